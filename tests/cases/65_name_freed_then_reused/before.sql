-- a name freed by a drop and taken by a create (tables, sequences, indexes and keys share one namespace per
-- schema, and a table is a type as an enum is): the drop goes first. An index of a dropped table reused on a new
-- table, a sequence replaced by a table, and a primary key's name reused by a new table's index.
CREATE TABLE old_logs (
    id bigint PRIMARY KEY,
    created timestamptz NOT NULL
);
CREATE INDEX logs_created_idx ON old_logs (created);
CREATE SEQUENCE counters;
CREATE TABLE widgets (
    id bigint CONSTRAINT widgets_key PRIMARY KEY,
    code text NOT NULL
);
INSERT INTO old_logs VALUES (1, now());
INSERT INTO widgets VALUES (1, 'a');
-- Its serial's sequence goes with the table, and a new table takes its name.
CREATE TABLE drafts (
    id serial PRIMARY KEY
);
-- An enum replaced by a table of its name (a table is a type too).
CREATE TYPE status AS ENUM ('on', 'off');
