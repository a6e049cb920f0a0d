-- hazards that are true: a new table's indexes, unique index and foreign key carry no hazard (the table is
-- empty and unused), its comments are part of its creation (in the list and in the summary); the same on an
-- existing table with rows keeps its hazards
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
INSERT INTO users VALUES (1, 'a@example.com');
