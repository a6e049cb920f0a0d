-- expect: round trip
-- CREATE DOMAIN with everything: a default, NOT NULL, named and unnamed checks, a collation, a domain over a
-- domain, over an array, over a composite, and a NOT VALID-free set of constraints.
CREATE DOMAIN positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE DOMAIN small_positive AS positive DEFAULT 1 NOT NULL CHECK (VALUE < 100);
CREATE DOMAIN code AS text COLLATE "C" CONSTRAINT code_format CHECK (VALUE ~ '^[A-Z]+$') CONSTRAINT code_length CHECK (length(VALUE) <= 8);
CREATE DOMAIN tags AS text[] DEFAULT '{}' CHECK (cardinality(VALUE) < 10);
CREATE TYPE pair AS (a integer, b integer);
CREATE DOMAIN ordered_pair AS pair CHECK ((VALUE).a <= (VALUE).b);
CREATE TABLE items (id integer PRIMARY KEY, qty small_positive, c code, t tags, p ordered_pair);
