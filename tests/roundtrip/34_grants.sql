-- Privileges: tables and their columns, views and materialized views, sequences, functions and procedures
-- (EXECUTE revoked from PUBLIC), schemas, enum, domain, composite and range types (USAGE revoked from PUBLIC),
-- WITH GRANT OPTION, PUBLIC and named roles, hostile role names.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rt_reader') THEN CREATE ROLE rt_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rt_writer') THEN CREATE ROLE rt_writer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rt "Gr"; ant') THEN CREATE ROLE "rt ""Gr""; ant" NOLOGIN; END IF;
END $$;
CREATE SCHEMA ops;
GRANT USAGE ON SCHEMA ops TO rt_reader;
GRANT USAGE, CREATE ON SCHEMA ops TO rt_writer WITH GRANT OPTION;
CREATE TYPE ops.level AS ENUM ('low', 'high');
REVOKE USAGE ON TYPE ops.level FROM PUBLIC;
GRANT USAGE ON TYPE ops.level TO rt_writer;
CREATE DOMAIN ops.code AS text CHECK (VALUE <> '');
GRANT USAGE ON DOMAIN ops.code TO "rt ""Gr""; ant";
CREATE TYPE ops.pair AS (a integer, b integer);
REVOKE USAGE ON TYPE ops.pair FROM PUBLIC;
CREATE TYPE ops.window AS RANGE (subtype = integer);
GRANT USAGE ON TYPE ops.window TO rt_reader WITH GRANT OPTION;
CREATE SEQUENCE ops.ticket;
GRANT USAGE, SELECT ON SEQUENCE ops.ticket TO rt_writer;
CREATE TABLE ops.incidents (
    id integer PRIMARY KEY,
    level ops.level NOT NULL,
    code ops.code,
    secret text
);
GRANT SELECT, INSERT, UPDATE ON ops.incidents TO rt_writer;
GRANT SELECT (id, level), REFERENCES (id) ON ops.incidents TO rt_reader;
GRANT UPDATE (secret) ON ops.incidents TO "rt ""Gr""; ant" WITH GRANT OPTION;
GRANT SELECT ON ops.incidents TO PUBLIC;
CREATE VIEW ops.open_incidents AS SELECT id, level FROM ops.incidents;
GRANT SELECT ON ops.open_incidents TO rt_reader;
CREATE MATERIALIZED VIEW ops.counts AS SELECT level, count(*) AS n FROM ops.incidents GROUP BY level;
GRANT SELECT ON ops.counts TO rt_reader, rt_writer;
CREATE FUNCTION ops.rotate(n integer) RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog
  AS $$ SELECT n + 1 $$;
REVOKE EXECUTE ON FUNCTION ops.rotate(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.rotate(integer) TO rt_writer WITH GRANT OPTION;
CREATE PROCEDURE ops.purge() LANGUAGE sql AS $$ SELECT 1 $$;
REVOKE EXECUTE ON PROCEDURE ops.purge() FROM PUBLIC;
CREATE FUNCTION ops.open_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM ops.incidents $$;
