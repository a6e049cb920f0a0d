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
-- Range types: a subtype_diff function (built-in, and one of its own), a collation, an operator class, an
-- enum subtype, a comment; a domain over a range, a composite with a range attribute, columns of them.
CREATE TYPE float_range AS RANGE (subtype = float8, subtype_diff = float8mi);
COMMENT ON TYPE float_range IS 'temperatures';
CREATE TYPE billing.code_range AS RANGE (subtype = text, collation = "C");
CREATE TYPE pattern_range AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);
CREATE TYPE currency_span AS RANGE (subtype = currency);
CREATE FUNCTION time_diff(a time, b time) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT EXTRACT(EPOCH FROM a - b)::float8 $$;
CREATE TYPE billing.shift_range AS RANGE (subtype = time, subtype_diff = time_diff);
CREATE DOMAIN warm AS float_range CHECK (lower(VALUE) > 0);
CREATE TYPE reading AS (at timestamptz, temps float_range);
CREATE TABLE readings (
    id integer PRIMARY KEY,
    temps warm,
    codes billing.code_range[],
    pattern pattern_range,
    currencies currency_span,
    shifts billing.shift_range,
    last reading
);
