-- extensions: hstore dropped after the column that uses it; citext and uuid-ossp created before the columns that use them
CREATE EXTENSION hstore;
CREATE TABLE profiles (
    id bigint PRIMARY KEY,
    attrs hstore
);
