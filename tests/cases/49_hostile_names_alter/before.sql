-- hostile names, altered: type, default and NOT NULL changes on quoted columns, an index and a check changed under hostile names, an enum value added, a column dropped, a column added, comments changed
CREATE SCHEMA "Sales Dept";
CREATE TYPE "Sales Dept"."Mood" AS ENUM ('it''s ok', 'Very Happy');
CREATE TABLE "user" (
    "Id" bigint PRIMARY KEY
);
CREATE TABLE "Sales Dept"."Big Orders" (
    "Id" bigint PRIMARY KEY,
    "order" integer NOT NULL,
    "select" text DEFAULT 'from',
    "first name" text,
    "say ""hi""" varchar(10),
    "名前" text,
    "Mood" "Sales Dept"."Mood",
    "user" bigint,
    CONSTRAINT "chk ""quoted""" CHECK ("order" > 0),
    CONSTRAINT "FK → user" FOREIGN KEY ("user") REFERENCES "user" ("Id")
);
CREATE INDEX "idx with spaces" ON "Sales Dept"."Big Orders" ("first name");
COMMENT ON TABLE "Sales Dept"."Big Orders" IS 'Old comment';
COMMENT ON COLUMN "Sales Dept"."Big Orders"."select" IS 'It''s a reserved word';
