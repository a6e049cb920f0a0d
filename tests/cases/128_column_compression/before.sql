CREATE TABLE documents (
    id bigint PRIMARY KEY,
    body text,
    raw bytea
);
ALTER TABLE documents ALTER COLUMN body SET COMPRESSION pglz;
INSERT INTO documents VALUES (1, repeat('x', 10000), NULL);
