DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_a') THEN CREATE ROLE sd_owner_a NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_owner_b') THEN CREATE ROLE sd_owner_b NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
END $$;
CREATE TABLE items (id integer PRIMARY KEY, name text);
CREATE VIEW item_names AS SELECT id, name FROM items;
ALTER VIEW item_names OWNER TO sd_owner_a;
GRANT SELECT ON item_names TO sd_reader;
CREATE MATERIALIZED VIEW item_count AS SELECT count(*) AS n FROM items;
ALTER MATERIALIZED VIEW item_count OWNER TO sd_owner_a;
CREATE VIEW kept_view AS SELECT id FROM items;
ALTER VIEW kept_view OWNER TO sd_owner_a;
CREATE VIEW unstated_view AS SELECT name FROM items;
ALTER VIEW unstated_view OWNER TO sd_owner_a;
