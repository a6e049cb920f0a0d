-- index change under the same name: becomes unique, unique -> NULLS NOT DISTINCT, column -> expression, expression changed; plus a new unnamed expression index
CREATE TABLE members (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    handle text,
    name text,
    city text
);
CREATE INDEX members_email ON members (email);
CREATE UNIQUE INDEX members_handle ON members (handle);
CREATE INDEX members_name ON members (name);
CREATE INDEX members_city ON members (lower(city));
