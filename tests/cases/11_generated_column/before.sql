-- generated (stored) columns: one added, one whose expression changes, on a table holding a row
CREATE TABLE order_lines (
    id bigint PRIMARY KEY,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    discount numeric(10,2) NOT NULL DEFAULT 0,
    total numeric(12,2) GENERATED ALWAYS AS (quantity * unit_price) STORED
);
INSERT INTO order_lines (id, quantity, unit_price, discount) VALUES (1, 3, 2.50, 1.00);
