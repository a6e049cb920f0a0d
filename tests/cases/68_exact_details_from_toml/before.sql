-- the details of case 59-63 written in schema.toml: not_valid, no_inherit, identity options, a unique key on
-- the primary key's columns, a deferrable primary key, include, match, on_delete_columns
CREATE TABLE customers (
    id bigint PRIMARY KEY
);
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint,
    editor_id bigint DEFAULT 0,
    quantity integer NOT NULL,
    note text
);
INSERT INTO customers VALUES (1);
INSERT INTO orders (customer_id, quantity) VALUES (1, 5), (7, -1);
