CREATE TABLE customers (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    CONSTRAINT customers_name_check CHECK (name <> '')
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total numeric(12, 2) NOT NULL,
    CONSTRAINT orders_total_check CHECK (total >= 0)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
