-- a changed body and comment: CREATE OR REPLACE, the trigger on it stays
CREATE TABLE jobs (id bigint PRIMARY KEY, attempts integer NOT NULL DEFAULT 0, run_at timestamptz);
CREATE FUNCTION backoff(attempts integer) RETURNS interval LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN make_interval(secs => 2 ^ attempts);
END;
$$;
CREATE FUNCTION jobs_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.run_at := now(); RETURN NEW; END$$;
CREATE TRIGGER jobs_touch BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_touch();
