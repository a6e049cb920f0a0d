-- a column a policy reads changes type (the policy is dropped before and made again after); a column a
-- dropped policy read is dropped (the policy goes first)
CREATE TABLE notes (id integer PRIMARY KEY, author bigint NOT NULL);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_author ON notes USING (author = current_setting('app.user', true)::bigint);
