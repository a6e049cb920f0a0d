-- range types whose subtype_diff is a function of their own: one created after its new function, one made
-- anew on another function (created first), one dropped before its function, one made anew around its function
CREATE FUNCTION ts_diff(a timestamp, b timestamp) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$ BEGIN RETURN EXTRACT(EPOCH FROM a - b); END $$;
CREATE FUNCTION ts_diff_minutes(a timestamp, b timestamp) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT EXTRACT(EPOCH FROM a - b)::float8 / 60 $$;
CREATE TYPE ts_span AS RANGE (subtype = timestamp, subtype_diff = ts_diff_minutes);
CREATE FUNCTION temp_diff(a float8, b float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$ BEGIN RETURN a - b; END $$;
CREATE TYPE temp_span AS RANGE (subtype = float8, subtype_diff = temp_diff);
COMMENT ON TYPE temp_span IS 'temperatures';
CREATE TABLE visits (id integer PRIMARY KEY, temps temp_span);
CREATE INDEX visits_temps ON visits USING gist (temps);
-- its function's argument names change, which CREATE OR REPLACE cannot do: the type goes and comes back
CREATE FUNCTION num_diff(x numeric, y numeric) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS 'SELECT (x - y)::float8';
CREATE TYPE num_span AS RANGE (subtype = numeric, subtype_diff = num_diff);
