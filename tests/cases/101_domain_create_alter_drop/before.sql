CREATE DOMAIN amount AS numeric(12,2) DEFAULT 0 CONSTRAINT amount_nonneg CHECK (VALUE >= 0);
CREATE DOMAIN old_code AS text;
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE DOMAIN email_list AS email[];
CREATE TABLE orders (id integer PRIMARY KEY, total amount NOT NULL, code old_code, contact email DEFAULT 'a@b.c');
INSERT INTO orders VALUES (1, 10, 'a', 'x@example.com');
