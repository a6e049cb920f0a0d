-- a view in another schema, with names that need quoting, on a view in public, and a string with a line break
CREATE SCHEMA "Reports";
CREATE TABLE "Reports"."Sales ""2026""" (id integer PRIMARY KEY, "Amount; DROP TABLE x" numeric NOT NULL);
CREATE VIEW "Reports"."Big ""Sales""" AS
  SELECT id, "Amount; DROP TABLE x" AS "-- +goose Down", E'line\n-- migrate:down' AS label
  FROM "Reports"."Sales ""2026""" WHERE "Amount; DROP TABLE x" > 10;
CREATE VIEW public."summary view" AS SELECT count(*) AS n FROM "Reports"."Big ""Sales""";
