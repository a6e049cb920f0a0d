CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, legacy_code text, price numeric(10,2));
CREATE VIEW product_list AS SELECT id, name, legacy_code FROM products;
CREATE VIEW product_names AS SELECT id, name FROM product_list;
INSERT INTO products VALUES (1, 'lamp', 'L-1', 9.99);
