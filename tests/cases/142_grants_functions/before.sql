DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_writer') THEN CREATE ROLE sd_writer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_admin') THEN CREATE ROLE sd_admin NOLOGIN; END IF;
END $$;
CREATE FUNCTION add_one(i integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
CREATE FUNCTION secret() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$SELECT 'x'$$;
CREATE PROCEDURE tidy(n integer) LANGUAGE sql AS 'SELECT 1';
GRANT EXECUTE ON PROCEDURE tidy(integer) TO sd_admin;
REVOKE EXECUTE ON FUNCTION add_one(integer) FROM PUBLIC;
