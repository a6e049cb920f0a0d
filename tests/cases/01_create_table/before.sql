-- create table: a new table with a primary key, identity, defaults, NOT NULL, unique, check and an index, beside an untouched table
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
