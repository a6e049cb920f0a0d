-- expect: round trip
-- Columns with everything at once: identity with every option, a generated column over a domain, a check
-- calling a function, collations, defaults calling sequences, arrays of every dimension.
CREATE FUNCTION is_even(n bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT n % 2 = 0';
CREATE DOMAIN cents AS bigint CHECK (VALUE >= 0);
CREATE SEQUENCE invoice_numbers AS integer START WITH 1000 INCREMENT BY 10 CACHE 5;
CREATE TABLE invoices (
    id smallint GENERATED ALWAYS AS IDENTITY (MINVALUE -10 MAXVALUE 30000 START WITH -5 INCREMENT BY 3 CACHE 2 CYCLE),
    number integer NOT NULL DEFAULT nextval('invoice_numbers'),
    amount cents NOT NULL,
    doubled cents GENERATED ALWAYS AS (amount * 2) STORED,
    grid integer[][] DEFAULT '{{1,2},{3,4}}',
    title text COLLATE "C" NOT NULL DEFAULT '',
    "select" text,
    CHECK (is_even(amount)),
    UNIQUE (number)
);
ALTER SEQUENCE invoice_numbers OWNED BY invoices.number;
