-- Table options: unlogged tables, storage parameters (in their order, numbers, booleans, words), replica
-- identities of every kind, and the storage and statistics target of columns.
CREATE UNLOGGED TABLE cache_entries (
    key text PRIMARY KEY,
    value jsonb
) WITH (fillfactor = 60, autovacuum_enabled = false);

CREATE TABLE events (
    id bigint NOT NULL,
    kind text NOT NULL,
    payload text,
    amount numeric(12, 2),
    tags text[]
) WITH (autovacuum_vacuum_scale_factor = 0.05, parallel_workers = 2, toast_tuple_target = 4096);
ALTER TABLE events REPLICA IDENTITY FULL;
ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE events ALTER COLUMN amount SET STORAGE PLAIN;
ALTER TABLE events ALTER COLUMN tags SET STORAGE MAIN;
ALTER TABLE events ALTER COLUMN kind SET STATISTICS 1000;
ALTER TABLE events ALTER COLUMN id SET STATISTICS 0;

CREATE TABLE logs (
    id bigint PRIMARY KEY,
    line text
);
ALTER TABLE logs REPLICA IDENTITY NOTHING;

CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    "Weird ""Name""" text
);
CREATE UNIQUE INDEX "accounts email key" ON accounts (email);
ALTER TABLE accounts REPLICA IDENTITY USING INDEX "accounts email key";
ALTER TABLE accounts ALTER COLUMN "Weird ""Name""" SET STORAGE EXTERNAL;

CREATE TABLE sessions (
    id bigint PRIMARY KEY
) WITH (vacuum_truncate = off, autovacuum_enabled = on);
ALTER TABLE sessions REPLICA IDENTITY USING INDEX sessions_pkey;

-- An unlogged table referenced by another unlogged one.
CREATE UNLOGGED TABLE scratch_items (
    id bigint PRIMARY KEY,
    cache_key text REFERENCES cache_entries (key)
);
