-- hostile names, dropped: a schema with a space and everything in it, a mixed-case table with a self reference, an enum with quoted labels, a unicode column and a reserved-word index
CREATE SCHEMA "Sales Dept";
CREATE TYPE "Sales Dept"."Mood" AS ENUM ('it''s ok', 'Very Happy');
CREATE TABLE "Sales Dept"."Big Orders" (
    "Id" bigint PRIMARY KEY,
    "Parent" bigint REFERENCES "Sales Dept"."Big Orders" ("Id"),
    "Mood" "Sales Dept"."Mood"
);
CREATE TABLE "UserAccounts" (
    "Id" bigint PRIMARY KEY,
    "table" text,
    "café" text
);
CREATE INDEX "select" ON "UserAccounts" ("table");
