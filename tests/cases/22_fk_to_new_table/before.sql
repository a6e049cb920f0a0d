-- foreign key to a table created in the same change: a new column of an existing table references a new table
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    total numeric(10,2) NOT NULL
);
