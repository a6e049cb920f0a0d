CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL
);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor text NOT NULL,
    action varchar(50) NOT NULL DEFAULT 'unknown',
    happened_at timestamptz NOT NULL DEFAULT now(),
    details jsonb,
    attempt integer CHECK (attempt >= 0),
    UNIQUE (actor, happened_at)
);
CREATE INDEX ON audit_log (happened_at DESC);
