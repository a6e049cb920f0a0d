CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
ALTER TABLE users ADD UNIQUE (id);
CREATE TABLE teams (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
ALTER TABLE teams ADD CONSTRAINT teams_id_unique UNIQUE (id);
CREATE TABLE projects (
    id bigint PRIMARY KEY,
    team_id bigint NOT NULL
);
ALTER TABLE projects ADD UNIQUE (id);
ALTER TABLE projects ADD CONSTRAINT projects_id_team_unique UNIQUE (id, team_id);
ALTER TABLE projects ADD CONSTRAINT projects_id_team_again UNIQUE (team_id, id);
