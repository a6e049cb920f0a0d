-- online: a foreign key and a CHECK on existing tables with rows are added NOT VALID, then validated as steps
-- of their own (the foreign key's new index is built concurrently too)
CREATE TABLE customers (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    total numeric(12, 2) NOT NULL
);
INSERT INTO customers SELECT i, 'c' || i FROM generate_series(1, 100) i;
INSERT INTO orders SELECT i, 1 + i % 100, i * 1.5 FROM generate_series(1, 1000) i;
