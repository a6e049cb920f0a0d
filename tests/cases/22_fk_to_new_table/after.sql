CREATE TABLE customers (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    total numeric(10,2) NOT NULL,
    customer_id bigint REFERENCES customers (id) ON DELETE SET NULL
);
CREATE INDEX ON orders (customer_id);
