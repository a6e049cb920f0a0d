INSERT INTO active_people VALUES (7, 'seven');
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM people WHERE id = 7) THEN RAISE 'not inserted'; END IF; END $$;
