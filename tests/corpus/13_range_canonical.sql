-- expect: unsupported: range type with a canonical or subtype_diff function of its own
-- A range type whose subtype_diff function is the user's own: not modelled, named.
CREATE FUNCTION my_diff(a numeric, b numeric) RETURNS double precision LANGUAGE sql IMMUTABLE AS 'SELECT (a - b)::float8';
CREATE TYPE numspan AS RANGE (subtype = numeric, subtype_diff = my_diff);
