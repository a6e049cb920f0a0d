CREATE TABLE members (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    handle text,
    name text,
    city text
);
CREATE UNIQUE INDEX members_email ON members (email);
CREATE UNIQUE INDEX members_handle ON members (handle) NULLS NOT DISTINCT;
CREATE INDEX members_name ON members (lower(name));
CREATE INDEX members_city ON members (upper(city), name);
CREATE INDEX ON members (split_part(email, '@', 2));
