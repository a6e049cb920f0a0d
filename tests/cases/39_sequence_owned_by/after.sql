CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    number bigint,
    ref bigint
);
CREATE SEQUENCE invoice_numbers OWNED BY invoices.number;
CREATE SEQUENCE ref_numbers;
ALTER TABLE invoices ALTER COLUMN number SET DEFAULT nextval('invoice_numbers');
