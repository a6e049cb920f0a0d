-- The rows that break the NOT VALID constraints are still there, and the constraints are still NOT VALID.
DO $$ BEGIN
    IF (SELECT count(*) FROM orders WHERE customer_id NOT IN (SELECT id FROM customers)) <> 1
       OR (SELECT count(*) FROM orders WHERE quantity <= 0) <> 1 THEN
        RAISE EXCEPTION 'the violating rows are gone';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_constraint
               WHERE conname IN ('orders_customer_id_fkey', 'orders_quantity_positive', 'orders_discount_small')
                 AND convalidated) THEN
        RAISE EXCEPTION 'a NOT VALID constraint was validated';
    END IF;
    IF NOT (SELECT convalidated FROM pg_constraint WHERE conname = 'orders_discount_positive') THEN
        RAISE EXCEPTION 'orders_discount_positive was to be validated';
    END IF;
END $$;
-- New rows are checked.
DO $$ BEGIN
    INSERT INTO orders VALUES (10, 99, 1, 0);
    RAISE EXCEPTION 'a new row broke the NOT VALID foreign key';
EXCEPTION WHEN foreign_key_violation THEN NULL;
END $$;
