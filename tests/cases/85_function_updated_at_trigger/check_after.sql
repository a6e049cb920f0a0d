UPDATE pages SET title = 'Home' WHERE id = 1;
DO $$ BEGIN IF (SELECT updated_at FROM pages WHERE id = 1) < '2021-01-01' THEN RAISE 'trigger did not fire'; END IF; END $$;
