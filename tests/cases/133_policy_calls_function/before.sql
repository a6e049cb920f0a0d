CREATE TABLE members (team integer NOT NULL, who text NOT NULL, PRIMARY KEY (team, who));
CREATE TABLE projects (id integer PRIMARY KEY, team integer NOT NULL);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE FUNCTION in_team(t integer) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM members WHERE team = t AND who = current_user) $$;
CREATE POLICY by_team ON projects USING (in_team(team));
