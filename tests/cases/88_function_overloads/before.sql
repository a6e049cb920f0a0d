-- overloads: one name, different arguments; one kept, one changed, one dropped, one added
CREATE FUNCTION area(r double precision) RETURNS double precision LANGUAGE sql IMMUTABLE RETURN pi() * r * r;
CREATE FUNCTION area(w integer, h integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN w * h;
CREATE FUNCTION area(w numeric, h numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN w * h;
