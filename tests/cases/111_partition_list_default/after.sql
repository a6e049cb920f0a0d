CREATE TABLE orders (
    id integer NOT NULL,
    region text NOT NULL,
    total numeric(10, 2) CHECK (total >= 0),
    note text
) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('de', 'fr');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
CREATE TABLE orders_other PARTITION OF orders (CONSTRAINT other_total_small CHECK (total < 1000)) DEFAULT;
