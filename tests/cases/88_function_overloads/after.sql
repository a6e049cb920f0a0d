CREATE FUNCTION area(r double precision) RETURNS double precision LANGUAGE sql IMMUTABLE RETURN pi() * r * r;
CREATE FUNCTION area(w integer, h integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN abs(w * h);
CREATE FUNCTION area(w bigint, h bigint) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN w * h;
CREATE FUNCTION area(VARIADIC sides integer[]) RETURNS integer LANGUAGE sql IMMUTABLE RETURN sides[1] * sides[2];
