CREATE TABLE contacts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    phone text
);
