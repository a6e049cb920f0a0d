-- self-referencing foreign keys: a new table referencing itself, and a self reference added to an existing table through a new column
CREATE TABLE categories (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
