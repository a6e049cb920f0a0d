CREATE TABLE order_lines (
    id bigint PRIMARY KEY,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    discount numeric(10,2) NOT NULL DEFAULT 0,
    total numeric(12,2) GENERATED ALWAYS AS (quantity * unit_price - discount) STORED,
    is_bulk boolean GENERATED ALWAYS AS (quantity >= 100) STORED
);
