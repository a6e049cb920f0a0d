DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_writer') THEN CREATE ROLE sd_writer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_admin') THEN CREATE ROLE sd_admin NOLOGIN; END IF;
END $$;
CREATE SCHEMA app;
CREATE SEQUENCE app.counter;
GRANT USAGE ON SEQUENCE app.counter TO sd_writer;
CREATE TYPE app.mood AS ENUM ('ok', 'meh');
CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
CREATE TYPE app.pair AS (a integer, b integer);
CREATE TYPE app.span AS RANGE (subtype = integer);
REVOKE USAGE ON TYPE app.pair FROM PUBLIC;
CREATE TABLE app.items (id integer PRIMARY KEY, mood app.mood);
