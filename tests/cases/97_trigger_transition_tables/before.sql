-- statement-level triggers with transition tables, and TRUNCATE
CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric NOT NULL);
CREATE TABLE ledger_log (at timestamptz NOT NULL DEFAULT now(), rows_changed bigint NOT NULL);
