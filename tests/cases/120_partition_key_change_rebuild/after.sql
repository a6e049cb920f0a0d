DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF; END $$;
CREATE TABLE events (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text NOT NULL,
    payload text,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (id);
CREATE TABLE events_low PARTITION OF events FOR VALUES FROM (MINVALUE) TO (1000);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM (1000) TO (MAXVALUE);
CREATE INDEX events_kind_idx ON events (kind);
COMMENT ON TABLE events IS 'partitioned by id now';
GRANT SELECT ON events TO sd_reader;
