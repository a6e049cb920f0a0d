CREATE TABLE customers (id integer PRIMARY KEY, street text, zip text);
INSERT INTO customers VALUES (1, 'Main St 1', '12345');
