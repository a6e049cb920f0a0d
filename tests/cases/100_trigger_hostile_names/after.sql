CREATE SCHEMA "we ird";
CREATE TABLE "we ird"."T ""1""" (id bigint PRIMARY KEY, "FOR EACH ROW WHEN (" text);
CREATE FUNCTION "we ird"."trg fn"() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER "x FOR EACH ROW WHEN (" AFTER UPDATE OF "FOR EACH ROW WHEN (" ON "we ird"."T ""1"""
  FOR EACH ROW WHEN (NEW."FOR EACH ROW WHEN (" <> ')') EXECUTE FUNCTION "we ird"."trg fn"(') EXECUTE FUNCTION ', 'it''s', E'back\\slash');
CREATE TRIGGER "-- +goose Down" AFTER INSERT ON "we ird"."T ""1""" REFERENCING NEW TABLE AS "new ""rows"""
  FOR EACH STATEMENT EXECUTE FUNCTION "we ird"."trg fn"();
COMMENT ON TRIGGER "-- +goose Down" ON "we ird"."T ""1""" IS E'line\n-- migrate:down';
