-- hostile names, created: a schema with a space, an enum "Mood" with quoted/unicode labels, a table with mixed-case, reserved-word, quoted and unicode column names, named constraints and index, a foreign key to the table "user"
CREATE TABLE "user" (
    "Id" bigint PRIMARY KEY
);
