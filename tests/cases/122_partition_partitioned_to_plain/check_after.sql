INSERT INTO readings (at, value) VALUES ('2031-01-01', 4);
DO $$ BEGIN
  IF (SELECT max(id) FROM readings) <> 4 OR (SELECT count(*) FROM readings) <> 4 THEN
    RAISE EXCEPTION 'rows not kept, or the identity starts over';
  END IF;
END $$;
