-- table rename via schema.toml renamed_from, keeping rows; its default-named key, unique and index take the new table's default names; a foreign key into it stays
CREATE TABLE clients (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text
);
CREATE INDEX ON clients (name);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    client_id bigint NOT NULL REFERENCES clients (id)
);
INSERT INTO clients VALUES (1, 'a@example.com', 'Ann'), (2, 'b@example.com', 'Bob');
INSERT INTO orders VALUES (10, 2);
