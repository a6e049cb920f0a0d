CREATE UNLOGGED TABLE events (
    id bigint PRIMARY KEY,
    amount integer NOT NULL
);
CREATE TABLE cache_entries (
    key text PRIMARY KEY,
    value jsonb
);
INSERT INTO events VALUES (1, 10), (2, -5);
INSERT INTO cache_entries VALUES ('a', '{}');
-- Kept NOT VALID through the rewrite of SET LOGGED: a row breaks it.
ALTER TABLE events ADD CONSTRAINT events_amount_positive CHECK (amount > 0) NOT VALID;
