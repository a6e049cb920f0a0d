CREATE SCHEMA "we ird";
CREATE FUNCTION "we ird"."Fn ""q""()"("a b" text, "$x" integer DEFAULT 1) RETURNS text LANGUAGE plpgsql AS $body2$
BEGIN
  -- $$ and $body$ are text here
  RETURN 'it''s $$' || "a b" || $q$;$q$;
END;
$body2$;
CREATE FUNCTION "we ird".markers() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
-- +goose Down
-- migrate:down
-- //@UNDO
  RETURN 'x';
END;
$$;
CREATE FUNCTION "we ird".tab(t text) RETURNS TABLE("col ""1""" text, n bigint) LANGUAGE sql STABLE ROWS 10
  AS $$ SELECT t, 1::bigint $$;
COMMENT ON FUNCTION "we ird"."Fn ""q""()"(text, integer) IS 'a comment; with -- and $$';
