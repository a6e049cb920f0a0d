INSERT INTO orders (placed) VALUES ('2026-05-06');
INSERT INTO order_lines VALUES (4, 4, 1);
DO $$ BEGIN
  IF (SELECT count(*) FROM orders_small) <> 4 OR (SELECT note FROM orders WHERE id = 3) <> 'third' THEN
    RAISE EXCEPTION 'rows not kept';
  END IF;
END $$;
