CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
CREATE PROCEDURE purge_events(before timestamptz) LANGUAGE sql
BEGIN ATOMIC
  DELETE FROM events WHERE at < before;
END;
CREATE PROCEDURE count_events(INOUT n bigint) LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$BEGIN SELECT count(*) INTO n FROM events; END$$;
