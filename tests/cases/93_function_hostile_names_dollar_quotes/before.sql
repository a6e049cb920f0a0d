-- hostile names and bodies holding $$, a tag and a line a migration runner would read as its marker
CREATE SCHEMA "we ird";
