DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_writer') THEN CREATE ROLE sd_writer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_admin') THEN CREATE ROLE sd_admin NOLOGIN; END IF;
END $$;
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL, balance numeric NOT NULL DEFAULT 0);
GRANT SELECT, INSERT ON accounts TO sd_writer;
GRANT SELECT ON accounts TO PUBLIC;
GRANT DELETE ON accounts TO sd_admin WITH GRANT OPTION;
GRANT SELECT (email), UPDATE (email) ON accounts TO sd_reader;
CREATE TABLE notes (id integer PRIMARY KEY, body text);
GRANT SELECT, INSERT, DELETE ON notes TO sd_admin;
INSERT INTO accounts VALUES (1, 'a@example.com', 10);
