-- column type change, compatible: varchar(50) -> varchar(255), int -> bigint, numeric(8,2) -> numeric(12,2), varchar -> text, timestamp -> timestamptz
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    name varchar(50) NOT NULL,
    balance numeric(8,2) NOT NULL DEFAULT 0,
    note varchar(100),
    opened_at timestamp
);
INSERT INTO accounts VALUES (1, 'alice', 10.50, 'hello', '2024-01-01 10:00');
