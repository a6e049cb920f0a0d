CREATE TABLE events (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL,
    kind text NOT NULL,
    created_at timestamptz NOT NULL,
    score integer
);
CREATE INDEX events_account ON events (account_id, created_at);
CREATE INDEX events_created ON events (created_at DESC);
CREATE INDEX events_score ON events (score NULLS FIRST);
CREATE INDEX events_kind_account ON events (account_id, kind);
