CREATE SCHEMA "Sales Dept";
CREATE TYPE "Sales Dept"."Mood" AS ENUM ('it''s ok', 'Über', 'Very Happy');
CREATE TABLE "user" (
    "Id" bigint PRIMARY KEY
);
CREATE TABLE "Sales Dept"."Big Orders" (
    "Id" bigint PRIMARY KEY,
    "order" bigint NOT NULL,
    "select" text DEFAULT 'where',
    "first name" text NOT NULL,
    "say ""hi""" varchar(200),
    "Mood" "Sales Dept"."Mood" DEFAULT 'Über',
    "user" bigint,
    "Prix €" numeric(10,2),
    CONSTRAINT "chk ""quoted""" CHECK ("order" > 0 AND "Prix €" >= 0),
    CONSTRAINT "FK → user" FOREIGN KEY ("user") REFERENCES "user" ("Id") ON DELETE CASCADE
);
CREATE INDEX "idx with spaces" ON "Sales Dept"."Big Orders" ("first name", "say ""hi""" DESC);
COMMENT ON TABLE "Sales Dept"."Big Orders" IS 'New "comment"';
COMMENT ON COLUMN "Sales Dept"."Big Orders"."Prix €" IS 'Prix en €';
