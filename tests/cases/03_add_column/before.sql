-- add column: nullable, NOT NULL with a default, with a comment, and an array column, on a table holding rows
CREATE TABLE products (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO products VALUES (1, 'pen'), (2, 'ink');
