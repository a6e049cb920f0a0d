CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    team_id bigint
);
CREATE UNIQUE INDEX users_email_idx ON users (email);
COMMENT ON COLUMN users.team_id IS 'Null until invited';
CREATE TABLE teams (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    owner_id bigint NOT NULL REFERENCES users (id),
    CONSTRAINT teams_name_check CHECK (name <> '')
);
CREATE UNIQUE INDEX teams_name_idx ON teams (name);
CREATE INDEX teams_owner_id_idx ON teams (owner_id);
COMMENT ON TABLE teams IS 'Groups of users';
COMMENT ON COLUMN teams.name IS 'Shown in the app';
COMMENT ON CONSTRAINT teams_name_check ON teams IS 'Never empty';
COMMENT ON INDEX teams_name_idx IS 'One team per name';
ALTER TABLE users ADD CONSTRAINT users_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id);
