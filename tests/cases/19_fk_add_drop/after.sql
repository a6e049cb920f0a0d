CREATE TABLE customers (
    id bigint PRIMARY KEY
);
CREATE TABLE products (
    id bigint PRIMARY KEY
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id bigint
);
