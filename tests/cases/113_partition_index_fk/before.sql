CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE measurements (
    account_id bigint NOT NULL,
    at timestamptz NOT NULL,
    value double precision,
    PRIMARY KEY (account_id, at)
) PARTITION BY RANGE (at);
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint, at timestamptz);
INSERT INTO accounts VALUES (1, 'a');
INSERT INTO measurements VALUES (1, '2026-03-01', 1.5);
INSERT INTO notes VALUES (1, 1, '2026-03-01');
