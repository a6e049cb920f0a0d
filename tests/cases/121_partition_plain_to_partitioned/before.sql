CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    placed date NOT NULL,
    note text
);
CREATE TABLE order_lines (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id),
    qty integer NOT NULL
);
INSERT INTO orders (placed, note) VALUES ('2026-01-02', 'first'), ('2026-02-03', NULL), ('2026-03-04', 'third');
INSERT INTO order_lines VALUES (1, 1, 5), (2, 1, 1), (3, 3, 2);
