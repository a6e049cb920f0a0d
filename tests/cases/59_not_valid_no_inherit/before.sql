-- NOT VALID and NO INHERIT: a NOT VALID foreign key and check added to tables whose rows violate them (the
-- plan must apply to the real rows), one kept NOT VALID as it is, one validated, and a NO INHERIT check.
CREATE TABLE customers (
    id bigint PRIMARY KEY
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    quantity integer NOT NULL,
    discount integer NOT NULL DEFAULT 0
);
INSERT INTO customers VALUES (1);
INSERT INTO orders VALUES (1, 1, 5, 0), (2, 42, -3, 0), (3, 1, 2, 10);
-- Kept NOT VALID: rows break it, and a plan must never validate it by surprise.
ALTER TABLE orders ADD CONSTRAINT orders_discount_small CHECK (discount < 5) NOT VALID;
-- Validated by the plan (every row fits).
ALTER TABLE orders ADD CONSTRAINT orders_discount_positive CHECK (discount >= 0) NOT VALID;
