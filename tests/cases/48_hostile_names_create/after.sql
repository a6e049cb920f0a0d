CREATE TABLE "user" (
    "Id" bigint PRIMARY KEY
);
CREATE SCHEMA "Sales Dept";
COMMENT ON SCHEMA "Sales Dept" IS 'The "sales" team''s schema';
CREATE TYPE "Sales Dept"."Mood" AS ENUM ('it''s ok', 'Very Happy', 'naïve', 'a,b');
CREATE TABLE "Sales Dept"."Big Orders" (
    "Id" bigint GENERATED ALWAYS AS IDENTITY,
    "order" integer NOT NULL,
    "select" text DEFAULT 'from',
    "first name" text,
    "say ""hi""" text,
    "café" numeric(10,2),
    "名前" text,
    "Mood" "Sales Dept"."Mood" DEFAULT 'it''s ok',
    "user" bigint,
    CONSTRAINT "Big Orders pk" PRIMARY KEY ("Id"),
    CONSTRAINT "Big Orders uq" UNIQUE ("order", "select"),
    CONSTRAINT "chk ""quoted""" CHECK ("café" >= 0),
    CONSTRAINT "FK → user" FOREIGN KEY ("user") REFERENCES "user" ("Id") ON DELETE SET NULL
);
CREATE INDEX "idx with spaces" ON "Sales Dept"."Big Orders" ("first name" DESC, "名前");
CREATE INDEX ON "Sales Dept"."Big Orders" ("say ""hi""");
COMMENT ON TABLE "Sales Dept"."Big Orders" IS 'Orders that are "big"';
COMMENT ON COLUMN "Sales Dept"."Big Orders"."名前" IS '名前 means name';
