CREATE TABLE customers (
    id bigint PRIMARY KEY
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    quantity integer NOT NULL,
    discount integer NOT NULL DEFAULT 0,
    CONSTRAINT orders_discount_positive CHECK (discount >= 0),
    CONSTRAINT orders_id_positive CHECK (id > 0) NO INHERIT
);
ALTER TABLE orders ADD CONSTRAINT orders_discount_small CHECK (discount < 5) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0) NOT VALID;
-- A new table: its NOT VALID check stays NOT VALID (CREATE TABLE alone would mark it valid).
CREATE TABLE refunds (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL
);
ALTER TABLE refunds ADD CONSTRAINT refunds_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
ALTER TABLE refunds ADD CONSTRAINT refunds_id_check CHECK (id > 0) NOT VALID;
