CREATE FUNCTION ts_diff(a timestamp, b timestamp) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$ BEGIN RETURN EXTRACT(EPOCH FROM a - b); END $$;
CREATE TYPE ts_span AS RANGE (subtype = timestamp, subtype_diff = ts_diff);
CREATE FUNCTION old_diff(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a - b';
CREATE TYPE old_span AS RANGE (subtype = float8, subtype_diff = old_diff);
CREATE TABLE visits (id integer PRIMARY KEY);
INSERT INTO visits VALUES (1);
CREATE FUNCTION num_diff(a numeric, b numeric) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS 'SELECT (a - b)::float8';
CREATE TYPE num_span AS RANGE (subtype = numeric, subtype_diff = num_diff);
