-- the last policy of a table that keeps row-level security (removes_row_security), one of two policies, and
-- the policy of a table without row-level security (changes_access only)
CREATE TABLE a (id integer PRIMARY KEY);
ALTER TABLE a ENABLE ROW LEVEL SECURITY;
CREATE TABLE b (id integer PRIMARY KEY);
ALTER TABLE b ENABLE ROW LEVEL SECURITY;
CREATE POLICY one ON b FOR SELECT USING (true);
CREATE TABLE c (id integer PRIMARY KEY);
