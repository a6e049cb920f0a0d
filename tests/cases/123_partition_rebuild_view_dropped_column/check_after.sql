INSERT INTO visits (at, page) VALUES ('2026-03-01', '/a');
DO $$ BEGIN
  IF (SELECT count(*) FROM visits) <> 4 OR (SELECT max(id) FROM visits) <> 4
     OR (SELECT count(*) FROM visits_old) <> 1 OR (SELECT count(*) FROM recent_visits) <> 3 THEN
    RAISE EXCEPTION 'rows not kept, or the identity starts over';
  END IF;
END $$;
