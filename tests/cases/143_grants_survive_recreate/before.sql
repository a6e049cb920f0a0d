DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_writer') THEN CREATE ROLE sd_writer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_admin') THEN CREATE ROLE sd_admin NOLOGIN; END IF;
END $$;
CREATE TABLE events (id integer PRIMARY KEY, kind varchar(10) NOT NULL);
CREATE VIEW recent AS SELECT id, kind FROM events;
GRANT SELECT ON recent TO sd_reader;
CREATE MATERIALIZED VIEW kinds AS SELECT kind, count(*) AS n FROM events GROUP BY kind;
GRANT SELECT ON kinds TO sd_reader;
CREATE FUNCTION label(i integer) RETURNS text LANGUAGE sql AS 'SELECT i::text';
REVOKE EXECUTE ON FUNCTION label(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION label(integer) TO sd_writer;
CREATE TYPE status AS ENUM ('new', 'done');
GRANT USAGE ON TYPE status TO sd_writer;
CREATE TABLE jobs (id integer PRIMARY KEY, status status);
INSERT INTO events VALUES (1, 'a');
