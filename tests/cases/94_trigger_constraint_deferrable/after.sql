CREATE TABLE balances (id bigint PRIMARY KEY, amount numeric NOT NULL, currency text NOT NULL);
CREATE FUNCTION check_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.amount < TG_ARGV[0]::numeric THEN RAISE EXCEPTION 'too low'; END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER balances_positive AFTER INSERT OR UPDATE OF amount, currency ON balances
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_balance('0', 'it''s');
