-- a new enum type used by a new column (with a default) of an existing table, and by a new table
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
