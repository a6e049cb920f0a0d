CREATE SCHEMA "Reports";
CREATE TABLE "Reports"."Sales ""2026""" (id integer PRIMARY KEY, "Amount; DROP TABLE x" numeric NOT NULL);
INSERT INTO "Reports"."Sales ""2026""" VALUES (1, 12);
