DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_a') THEN CREATE ROLE sd_owner_a NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_b') THEN CREATE ROLE sd_owner_b NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
END $$;
CREATE SCHEMA app;
ALTER SCHEMA app OWNER TO sd_owner_a;
CREATE SCHEMA kept;
ALTER SCHEMA kept OWNER TO sd_owner_a;
CREATE TYPE app.mood AS ENUM ('ok', 'bad');
ALTER TYPE app.mood OWNER TO sd_owner_a;
CREATE DOMAIN app.posint AS integer CHECK (VALUE > 0);
ALTER DOMAIN app.posint OWNER TO sd_owner_a;
CREATE TYPE app.pair AS (a integer, b integer);
ALTER TYPE app.pair OWNER TO sd_owner_a;
CREATE TYPE app.span AS RANGE (subtype = integer);
ALTER TYPE app.span OWNER TO sd_owner_a;
CREATE TYPE app.unstated AS ENUM ('x');
ALTER TYPE app.unstated OWNER TO sd_owner_a;
