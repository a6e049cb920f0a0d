-- Unicode identifiers (größe, 日本語, emoji), names containing dots, names starting with digits, and whitespace-only differences.
CREATE SCHEMA "日本語";
CREATE SCHEMA "a.b";
CREATE SCHEMA "1schema";

CREATE TYPE "日本語"."色" AS ENUM ('赤', '緑', '青');

CREATE TABLE "größe" (
    "größe" integer PRIMARY KEY,
    "Maß" numeric(6,2),
    "naïve café" text,
    "emoji 🎉" text,
    "ß" text UNIQUE
);

CREATE TABLE "日本語"."テーブル" (
    "識別子" bigint PRIMARY KEY,
    "名前" text NOT NULL,
    "色" "日本語"."色" DEFAULT '赤',
    "größe_ref" integer REFERENCES "größe" ("größe")
);

CREATE INDEX "名前_索引" ON "日本語"."テーブル" ("名前");

CREATE TABLE "a.b" (
    "x.y" integer PRIMARY KEY,
    "c.d.e" text
);

CREATE TABLE "a.b"."c.d" (
    id integer PRIMARY KEY,
    "a.b_ref" integer REFERENCES public."a.b" ("x.y")
);

CREATE TABLE "a.b".plain (
    id integer PRIMARY KEY REFERENCES "a.b"."c.d"
);

CREATE TABLE "1schema"."2table" (
    "3column" integer PRIMARY KEY,
    "4th column" text,
    "007" boolean
);

CREATE TABLE "123" (
    "1" integer,
    "2" integer,
    PRIMARY KEY ("1", "2"),
    FOREIGN KEY ("1") REFERENCES "1schema"."2table" ("3column")
);

CREATE SEQUENCE "1schema"."9seq";
CREATE INDEX "0index" ON "123" ("2");
CREATE INDEX "a.b.idx" ON "a.b" ("c.d.e");

CREATE TABLE " leading space" ("trailing space " integer, "  " text);
CREATE TABLE "tab	name" ("new
line" text);

COMMENT ON SCHEMA "日本語" IS '日本語のスキーマ';
COMMENT ON TABLE "größe" IS 'Größe in Zentimetern — „Anführungszeichen“';
COMMENT ON COLUMN "日本語"."テーブル"."名前" IS '名前です';
COMMENT ON TYPE "日本語"."色" IS '色の列挙型';
COMMENT ON TABLE "a.b"."c.d" IS 'table c.d in schema a.b, not table d in schema a.b.c';
COMMENT ON INDEX "a.b.idx" IS 'index with dots';
COMMENT ON SEQUENCE "1schema"."9seq" IS 'starts with a digit';
