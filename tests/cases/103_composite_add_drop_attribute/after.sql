-- attributes added and dropped on a type a column is of (the dropped one's values go), an attribute retyped
-- on a type nothing uses, a type dropped, a new attribute of a domain created first
CREATE DOMAIN amount AS numeric(12,2);
CREATE DOMAIN currency_code AS char(3);
CREATE TYPE money_pair AS (low amount, high amount, currency currency_code);
CREATE TYPE point3 AS (x bigint, y integer, z integer);
CREATE TABLE prices (id integer PRIMARY KEY, range money_pair);
