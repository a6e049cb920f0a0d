CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    placed date NOT NULL,
    note text
) PARTITION BY RANGE (id);
CREATE TABLE orders_small PARTITION OF orders FOR VALUES FROM (MINVALUE) TO (100);
CREATE TABLE orders_large PARTITION OF orders FOR VALUES FROM (100) TO (MAXVALUE);
CREATE TABLE order_lines (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id),
    qty integer NOT NULL
);
