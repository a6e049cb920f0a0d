-- online, set in schema.toml: a new table's indexes, unique constraint, foreign key and check are created
-- plainly, in the transaction (nothing to protect: the table is empty and unused); the existing table gets
-- its new index concurrently
CREATE TABLE authors (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO authors SELECT i, 'a' || i FROM generate_series(1, 100) i;
