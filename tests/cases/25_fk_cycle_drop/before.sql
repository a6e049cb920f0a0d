-- dropping both tables of a foreign key cycle (plus a self reference on one), while an unrelated table stays
CREATE TABLE keep_me (
    id bigint PRIMARY KEY
);
CREATE TABLE teams (
    id bigint PRIMARY KEY,
    captain_id bigint
);
CREATE TABLE players (
    id bigint PRIMARY KEY,
    team_id bigint REFERENCES teams (id),
    mentor_id bigint REFERENCES players (id)
);
ALTER TABLE teams ADD FOREIGN KEY (captain_id) REFERENCES players (id);
