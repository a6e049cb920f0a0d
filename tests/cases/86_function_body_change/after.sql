CREATE TABLE jobs (id bigint PRIMARY KEY, attempts integer NOT NULL DEFAULT 0, run_at timestamptz);
CREATE FUNCTION backoff(attempts integer) RETURNS interval LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  -- capped at an hour
  RETURN least(make_interval(secs => 2 ^ attempts), interval '1 hour');
END;
$$;
COMMENT ON FUNCTION backoff(integer) IS 'exponential, capped';
CREATE FUNCTION jobs_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.run_at := coalesce(NEW.run_at, now()); RETURN NEW; END$$;
CREATE TRIGGER jobs_touch BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_touch();
