INSERT INTO boxes (id, w, h) VALUES (2, 4, 5);
DO $$ BEGIN IF (SELECT area + perimeter FROM boxes WHERE id = 2) <> 38 THEN RAISE 'wrong values'; END IF; END $$;
