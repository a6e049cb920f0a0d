-- online: SET NOT NULL on a table with rows goes through CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT
-- NULL (which takes the valid check instead of scanning) and the check dropped; one column also gets a default
CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text,
    "Payload Size" integer,
    created_at timestamptz
);
INSERT INTO events SELECT i, 'k', i, now() FROM generate_series(1, 1000) i;
