-- index and constraint renames via schema.toml renamed_from: an index, a unique constraint, a foreign key and a check
CREATE TABLE teams (
    id bigint PRIMARY KEY
);
CREATE TABLE players (
    id bigint PRIMARY KEY,
    team_id bigint,
    shirt integer,
    nick text,
    CONSTRAINT players_uq1 UNIQUE (team_id, shirt),
    CONSTRAINT players_fk1 FOREIGN KEY (team_id) REFERENCES teams (id),
    CONSTRAINT players_ck1 CHECK (shirt BETWEEN 1 AND 99)
);
CREATE INDEX players_idx1 ON players (nick);
