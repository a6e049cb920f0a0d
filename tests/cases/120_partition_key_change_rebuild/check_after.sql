DO $$ BEGIN
  IF (SELECT count(*) FROM events_low) <> 2 OR (SELECT count(*) FROM events_2026) <> 2
     OR NOT EXISTS (SELECT 1 FROM events WHERE id = 1500 AND at = '2025-07-01' AND kind = 'open' AND payload = 'c') THEN
    RAISE EXCEPTION 'rows not kept in their new partitions';
  END IF;
END $$;
