CREATE SEQUENCE invoice_numbers AS integer START WITH 1000 MINVALUE 1000;
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    number integer NOT NULL DEFAULT nextval('invoice_numbers')
);
