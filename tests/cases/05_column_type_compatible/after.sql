CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    name varchar(255) NOT NULL,
    balance numeric(12,2) NOT NULL DEFAULT 0,
    note text,
    opened_at timestamptz
);
