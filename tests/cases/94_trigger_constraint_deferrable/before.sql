-- a constraint trigger, deferrable and initially deferred, with UPDATE OF columns and arguments
CREATE TABLE balances (id bigint PRIMARY KEY, amount numeric NOT NULL, currency text NOT NULL);
CREATE FUNCTION check_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.amount < TG_ARGV[0]::numeric THEN RAISE EXCEPTION 'too low'; END IF;
  RETURN NULL;
END;
$$;
