-- domains altered in place (default, NOT NULL, a new check added NOT VALID then validated, a comment), one whose
-- base type changes made anew with its column converted, one dropped once its column no longer uses it, one
-- created before the new column of it, and a domain made of another one
CREATE DOMAIN amount AS numeric(12,2) NOT NULL DEFAULT 1
  CONSTRAINT amount_nonneg CHECK (VALUE >= 0) CONSTRAINT amount_small CHECK (VALUE < 1000000);
COMMENT ON DOMAIN amount IS 'money, never negative';
CREATE DOMAIN email AS varchar(320) CHECK (VALUE LIKE '%@%');
CREATE DOMAIN sku AS text COLLATE "C" CHECK (length(VALUE) > 0);
CREATE DOMAIN sku_list AS sku[];
CREATE TABLE orders (id integer PRIMARY KEY, total amount NOT NULL, code text, contact email DEFAULT 'a@b.c', sku sku, skus sku_list);
