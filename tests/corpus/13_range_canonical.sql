-- expect: unsupported: range type with a canonical function
-- A range type with a canonical function (which needs a shell type first): not modelled, named.
CREATE TYPE intspan;
CREATE FUNCTION intspan_canonical(intspan) RETURNS intspan LANGUAGE internal IMMUTABLE STRICT AS 'int4range_canonical';
CREATE TYPE intspan AS RANGE (subtype = integer, canonical = intspan_canonical);
