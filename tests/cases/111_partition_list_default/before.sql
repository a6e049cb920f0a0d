CREATE TABLE orders (
    id integer NOT NULL,
    region text NOT NULL,
    total numeric(10, 2) CHECK (total >= 0)
) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('de', 'fr');
INSERT INTO orders VALUES (1, 'de', 10), (2, 'fr', 20);
