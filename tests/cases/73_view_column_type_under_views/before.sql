CREATE TABLE orders (id integer PRIMARY KEY, amount numeric(8,2) NOT NULL, note varchar(50));
CREATE VIEW big_orders AS SELECT id, amount, note FROM orders WHERE amount > 100;
CREATE VIEW big_order_notes AS SELECT id, note FROM big_orders;
CREATE VIEW order_count AS SELECT count(*) AS n FROM orders;
INSERT INTO orders VALUES (1, 150, 'large'), (2, 5, 'small');
