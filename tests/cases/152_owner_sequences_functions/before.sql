DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_a') THEN CREATE ROLE sd_owner_a NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_b') THEN CREATE ROLE sd_owner_b NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
END $$;
CREATE SEQUENCE counter;
ALTER SEQUENCE counter OWNER TO sd_owner_a;
CREATE SEQUENCE kept_counter;
ALTER SEQUENCE kept_counter OWNER TO sd_owner_a;
-- A serial column's sequence has its table's owner: it follows the table.
CREATE TABLE tickets (id serial PRIMARY KEY, title text);
ALTER TABLE tickets OWNER TO sd_owner_a;
CREATE FUNCTION add_one(a integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + 1';
ALTER FUNCTION add_one(integer) OWNER TO sd_owner_a;
CREATE FUNCTION unstated_fn() RETURNS integer LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION unstated_fn() OWNER TO sd_owner_a;
CREATE PROCEDURE touch(n integer) LANGUAGE sql AS 'SELECT n';
ALTER PROCEDURE touch(integer) OWNER TO sd_owner_a;
