-- drop column: columns with a default, NOT NULL and a comment are dropped; the rest of the table stays
CREATE TABLE products (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    legacy_code varchar(20) NOT NULL DEFAULT 'none',
    old_price numeric(10,2),
    notes text
);
COMMENT ON COLUMN products.old_price IS 'Before the 2020 price list';
