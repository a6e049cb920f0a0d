-- schemas: one dropped with its table, enum and sequence; one created with a table, enum and sequence; public untouched
CREATE SCHEMA archive;
CREATE TYPE archive.kind AS ENUM ('a', 'b');
CREATE SEQUENCE archive.old_ids;
CREATE TABLE archive.old_orders (
    id bigint PRIMARY KEY,
    kind archive.kind
);
CREATE TABLE users (
    id bigint PRIMARY KEY
);
