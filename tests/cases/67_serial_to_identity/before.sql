-- a serial column turned into an identity column keeps its numbering (the identity goes on after the
-- serial's current value) and its sequence keeps the name <table>_<column>_seq; the rollback turns it back
-- the same way
CREATE TABLE orders (
    id serial PRIMARY KEY,
    note text
);
CREATE TABLE events (
    id bigserial PRIMARY KEY,
    kind text NOT NULL
);
INSERT INTO orders (note) VALUES ('a'), ('b'), ('c');
INSERT INTO events (kind) VALUES ('x');
