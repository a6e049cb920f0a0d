DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_a') THEN CREATE ROLE sd_owner_a NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_b') THEN CREATE ROLE sd_owner_b NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
END $$;
CREATE TABLE kept (id integer PRIMARY KEY);
ALTER TABLE kept OWNER TO sd_owner_a;
CREATE TABLE moved (id integer PRIMARY KEY, body text);
ALTER TABLE moved OWNER TO sd_owner_a;
GRANT SELECT, UPDATE ON moved TO sd_owner_b;
GRANT SELECT ON moved TO sd_reader;
CREATE TABLE unstated (id integer PRIMARY KEY);
ALTER TABLE unstated OWNER TO sd_owner_a;
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
ALTER TABLE events OWNER TO sd_owner_a;
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO moved VALUES (1, 'one');
INSERT INTO events VALUES (1, '2026-05-01');
