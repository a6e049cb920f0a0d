CREATE TABLE invoices (id integer PRIMARY KEY, customer text NOT NULL);
INSERT INTO invoices VALUES (1, 'acme');
