DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_reader') THEN CREATE ROLE sd_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_writer') THEN CREATE ROLE sd_writer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sd_admin') THEN CREATE ROLE sd_admin NOLOGIN; END IF;
END $$;
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL, balance numeric NOT NULL DEFAULT 0);
GRANT SELECT, INSERT, UPDATE ON accounts TO sd_writer;
GRANT DELETE ON accounts TO sd_admin;
GRANT SELECT ON accounts TO sd_reader WITH GRANT OPTION;
GRANT SELECT (email, balance) ON accounts TO sd_reader;
GRANT REFERENCES (id) ON accounts TO sd_writer;
CREATE TABLE notes (id integer PRIMARY KEY, body text);
CREATE TABLE fresh (id integer PRIMARY KEY);
GRANT SELECT, TRUNCATE ON fresh TO sd_reader, sd_writer;
