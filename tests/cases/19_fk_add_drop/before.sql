-- foreign key: one added on an existing column, one dropped (the column stays)
CREATE TABLE customers (
    id bigint PRIMARY KEY
);
CREATE TABLE products (
    id bigint PRIMARY KEY
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    product_id bigint REFERENCES products (id)
);
