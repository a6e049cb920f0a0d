DO $$ BEGIN
  IF (SELECT n FROM insert_count) <> 2 OR (SELECT count(*) FROM payments_2026) <> 2 THEN
    RAISE EXCEPTION 'the rows restored fired the trigger, or were not kept';
  END IF;
END $$;
INSERT INTO payments VALUES (3, '2026-03-07', 1.00);
DO $$ BEGIN
  IF (SELECT n FROM insert_count) <> 3 THEN
    RAISE EXCEPTION 'the trigger was not created again';
  END IF;
END $$;
