-- hostile names, renamed via schema.toml: a table, a column, an index, a unique and a check constraint, an enum type and one of its labels, a sequence; rows are kept
CREATE SCHEMA "Sales Dept";
CREATE TYPE "Sales Dept"."Mood" AS ENUM ('it''s ok', 'Very Happy');
CREATE SEQUENCE "Sales Dept"."Order No.";
CREATE TABLE "Sales Dept"."Old Table" (
    "Id" bigint PRIMARY KEY,
    "order" integer NOT NULL DEFAULT nextval('"Sales Dept"."Order No."'),
    "Mood" "Sales Dept"."Mood",
    "名前" text,
    CONSTRAINT "uq ""order""" UNIQUE ("order"),
    CONSTRAINT "Check Me" CHECK ("order" > 0)
);
CREATE INDEX "idx with spaces" ON "Sales Dept"."Old Table" ("名前");
INSERT INTO "Sales Dept"."Old Table" ("Id", "Mood", "名前") VALUES (1, 'it''s ok', 'Ada');
