CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE measurements (
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    value double precision,
    PRIMARY KEY (account_id, at)
) PARTITION BY RANGE (at);
CREATE INDEX measurements_value_idx ON measurements (value DESC) WHERE value IS NOT NULL;
CREATE INDEX measurements_magnitude_idx ON measurements ((abs(value)), account_id);
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE measurements_2027 PARTITION OF measurements FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE INDEX measurements_2027_at_idx ON measurements_2027 (at);
CREATE TABLE notes (
    id bigint PRIMARY KEY,
    account_id bigint,
    at timestamptz,
    FOREIGN KEY (account_id, at) REFERENCES measurements (account_id, at)
);
