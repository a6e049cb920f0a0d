CREATE TABLE logs (
    id bigint PRIMARY KEY,
    created timestamptz NOT NULL
);
CREATE INDEX logs_created_idx ON logs (created);
CREATE TABLE counters (
    name text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0
);
CREATE TABLE widgets (
    id bigint CONSTRAINT widgets_pkey PRIMARY KEY,
    code text NOT NULL
);
CREATE TABLE gadgets (
    id bigint PRIMARY KEY,
    code text NOT NULL
);
CREATE INDEX widgets_key ON gadgets (code);
-- A new table takes the name of the sequence that went with the dropped table.
CREATE TABLE drafts_id_seq (n integer);
CREATE TABLE status (
    code text PRIMARY KEY
);
