-- The next numbers follow the rows already there (no duplicate key).
INSERT INTO orders (note) VALUES ('d');
INSERT INTO events (kind) VALUES ('y');
DO $$ BEGIN
    IF (SELECT max(id) FROM orders) <> 4 OR (SELECT max(id) FROM events) <> 2 THEN
        RAISE EXCEPTION 'the numbering did not go on';
    END IF;
END $$;
