-- column types change under a view and a view on that view: both dropped before, created after; a view that
-- reads the table but not those columns stays
CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, note text);
CREATE VIEW big_orders AS SELECT id, amount, note FROM orders WHERE amount > 100;
CREATE VIEW big_order_notes AS SELECT id, note FROM big_orders;
CREATE VIEW order_count AS SELECT count(*) AS n FROM orders;
