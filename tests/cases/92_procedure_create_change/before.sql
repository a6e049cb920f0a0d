-- procedures: one created (with INOUT), one changed in place, one dropped
CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
CREATE PROCEDURE purge_events(before timestamptz) LANGUAGE sql AS $$ DELETE FROM events WHERE at < before $$;
CREATE PROCEDURE old_job() LANGUAGE plpgsql AS $$BEGIN NULL; END$$;
