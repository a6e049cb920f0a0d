-- sequence OWNED BY: set on a free sequence, removed from an owned one, and an owned sequence that goes with its dropped column
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    number bigint,
    ref bigint,
    legacy bigint
);
CREATE SEQUENCE invoice_numbers;
CREATE SEQUENCE ref_numbers OWNED BY invoices.ref;
CREATE SEQUENCE legacy_numbers OWNED BY invoices.legacy;
ALTER TABLE invoices ALTER COLUMN number SET DEFAULT nextval('invoice_numbers');
