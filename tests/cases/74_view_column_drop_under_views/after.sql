-- a column dropped under a view (which stops reading it) and a view on that view
CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2));
CREATE VIEW product_list AS SELECT id, name, price FROM products;
CREATE VIEW product_names AS SELECT id, name FROM product_list;
