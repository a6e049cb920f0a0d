DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF; END $$;
CREATE TABLE events (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text NOT NULL,
    payload text,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_kind_idx ON events (kind);
COMMENT ON TABLE events IS 'one partition a year';
GRANT SELECT ON events TO sd_reader;
INSERT INTO events VALUES
    (1, '2025-03-01', 'open', 'a'),
    (2, '2026-04-01', 'close', NULL),
    (1500, '2025-07-01', 'open', 'c'),
    (2500, '2026-09-01', 'open', 'd');
