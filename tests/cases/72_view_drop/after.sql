-- two views dropped, the one reading the other first
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
