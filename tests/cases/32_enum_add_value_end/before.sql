-- enum ADD VALUE at the end (two values), type used by a column with a default and rows
CREATE TYPE order_status AS ENUM ('pending', 'paid');
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'pending'
);
INSERT INTO orders VALUES (1, 'pending'), (2, 'paid');
