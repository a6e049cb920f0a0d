-- Domains: over a built-in type with a default, NOT NULL, named checks, a collation and a comment; over an
-- enum; over another domain; an array of a domain; columns of them, one in another schema.
CREATE SCHEMA billing;
CREATE TYPE currency AS ENUM ('EUR', 'USD');
CREATE DOMAIN amount AS numeric(12,2) NOT NULL DEFAULT 0
  CONSTRAINT amount_nonneg CHECK (VALUE >= 0)
  CONSTRAINT amount_small CHECK (VALUE < 1000000);
COMMENT ON DOMAIN amount IS 'money, never negative';
CREATE DOMAIN positive_amount AS amount CHECK (VALUE > 0);
CREATE DOMAIN billing.code AS text COLLATE "C" CHECK (VALUE ~ '^[A-Z]+$');
CREATE DOMAIN billing."Money Currency" AS currency DEFAULT 'EUR';
CREATE DOMAIN billing.codes AS billing.code[];
CREATE TABLE billing.invoices (
    id bigint PRIMARY KEY,
    total amount,
    due positive_amount NOT NULL,
    code billing.code UNIQUE,
    tags billing.codes,
    currency billing."Money Currency",
    history amount[]
);
-- Composite types: attributes of built-in types, a domain, an enum, another composite, arrays, a collation;
-- a comment; a domain over a composite; columns of them.
CREATE TYPE billing.address AS (street text, zip billing.code, country char(2) COLLATE "C", lines text[]);
COMMENT ON TYPE billing.address IS 'a postal address';
CREATE TYPE "Contact Card" AS (name text, home billing.address, currency currency, emails varchar(320)[]);
CREATE DOMAIN billing.eu_address AS billing.address CHECK ((VALUE).country IN ('DE', 'FR'));
CREATE TABLE customers (
    id integer PRIMARY KEY,
    card "Contact Card",
    billing_address billing.eu_address,
    addresses billing.address[]
);
