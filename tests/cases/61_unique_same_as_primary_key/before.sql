-- a UNIQUE constraint on the same columns as the primary key: PostgreSQL keeps both when added separately
-- (one CREATE TABLE would merge them); one kept, one added, one on a new table
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
ALTER TABLE users ADD UNIQUE (id);
CREATE TABLE teams (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO users VALUES (1, 'a@example.com');
INSERT INTO teams VALUES (1, 'core');
