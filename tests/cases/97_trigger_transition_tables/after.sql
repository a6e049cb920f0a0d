CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric NOT NULL);
CREATE TABLE ledger_log (at timestamptz NOT NULL DEFAULT now(), rows_changed bigint NOT NULL);
CREATE FUNCTION log_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_log (rows_changed) SELECT count(*) FROM new_rows;
  RETURN NULL;
END;
$$;
CREATE FUNCTION log_truncate() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO ledger_log (rows_changed) VALUES (-1); RETURN NULL; END$$;
CREATE TRIGGER ledger_changes AFTER UPDATE ON ledger REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION log_ledger();
CREATE TRIGGER ledger_truncate AFTER TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION log_truncate();
