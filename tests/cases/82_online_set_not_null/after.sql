CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL DEFAULT 'other',
    "Payload Size" integer NOT NULL,
    created_at timestamptz
);
