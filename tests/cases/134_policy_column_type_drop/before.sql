CREATE TABLE notes (id integer PRIMARY KEY, author integer NOT NULL, draft boolean NOT NULL DEFAULT true);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_author ON notes USING (author = current_setting('app.user', true)::integer);
CREATE POLICY no_drafts ON notes AS RESTRICTIVE FOR SELECT USING (NOT draft);
INSERT INTO notes VALUES (1, 7, false);
