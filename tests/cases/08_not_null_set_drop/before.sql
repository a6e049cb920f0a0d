-- NOT NULL: set on a column whose rows have no nulls, dropped from another
CREATE TABLE contacts (
    id bigint PRIMARY KEY,
    email text,
    phone text NOT NULL
);
INSERT INTO contacts VALUES (1, 'a@example.com', '555-1'), (2, 'b@example.com', '555-2');
