-- expect: round trip
-- CREATE TYPE ... AS (...): attributes with collations, arrays, nested composites; an empty composite; a
-- composite used by a table column and a function.
CREATE TYPE address AS (street text COLLATE "C", city text, zip varchar(10));
CREATE TYPE person AS (name text, home address, others address[]);
CREATE TYPE empty_composite AS ();
CREATE TABLE people (id integer PRIMARY KEY, p person, addresses address[]);
CREATE FUNCTION city_of(a address) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT a.city';
