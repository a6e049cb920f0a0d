-- sequence create and drop: a new sequence used by a new column default; an old one dropped after the column whose default used it
CREATE SEQUENCE old_numbers;
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    legacy_number bigint DEFAULT nextval('old_numbers')
);
