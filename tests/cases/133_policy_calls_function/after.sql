-- a new function called by a new policy (created after it); the function of another policy changes its
-- signature (the policy is dropped before and made again after); a policy reading another table
CREATE TABLE members (team integer NOT NULL, who text NOT NULL, PRIMARY KEY (team, who));
CREATE TABLE projects (id integer PRIMARY KEY, team integer NOT NULL);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE FUNCTION in_team(t bigint) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM members WHERE team = t AND who = current_user) $$;
CREATE FUNCTION may_write(p integer) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT p > 0 $$;
CREATE POLICY by_team ON projects USING (in_team(team));
CREATE POLICY writes ON projects FOR INSERT WITH CHECK (may_write(id));
CREATE POLICY via_members ON projects FOR DELETE USING (EXISTS (SELECT 1 FROM members m WHERE m.team = projects.team));
