-- UNLOGGED -> LOGGED and LOGGED -> UNLOGGED (each rewrites its table), a new unlogged table; the NOT VALID
-- check of the table made logged stays NOT VALID (its rows still break it).
CREATE TABLE events (
    id bigint PRIMARY KEY,
    amount integer NOT NULL
);
ALTER TABLE events ADD CONSTRAINT events_amount_positive CHECK (amount > 0) NOT VALID;
CREATE UNLOGGED TABLE cache_entries (
    key text PRIMARY KEY,
    value jsonb
);
CREATE UNLOGGED TABLE sessions (
    id uuid PRIMARY KEY,
    data text
);
