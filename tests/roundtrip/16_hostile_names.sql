-- Hostile identifiers: mixed case, spaces, embedded double and single quotes, reserved words, in every object kind.
CREATE SCHEMA "MySchema";
CREATE SCHEMA "select";
CREATE SCHEMA "it's ""quoted""";

CREATE TYPE "MySchema"."Status Kind" AS ENUM ('Active', 'In Active');
CREATE TYPE "select"."from" AS ENUM ('where', 'group');

CREATE SEQUENCE "MySchema"."Seq With Spaces" START 7;

CREATE TABLE "UserAccounts" (
    "Id" integer PRIMARY KEY,
    "EmailAddress" text NOT NULL UNIQUE,
    "first name" text,
    "user" text,
    "order" integer,
    "select" boolean,
    "table" text,
    "group" text,
    "check" integer CHECK ("check" > 0),
    "default" text DEFAULT 'default',
    "primary" text,
    "column" text,
    "say ""hi""" text,
    "it's" text,
    "O'Brien ""Bob""" text,
    lowercase text,
    "UPPERCASE" text,
    "status" "MySchema"."Status Kind" DEFAULT 'In Active',
    "seq" bigint DEFAULT nextval('"MySchema"."Seq With Spaces"')
);

CREATE TABLE "user" (
    id integer PRIMARY KEY,
    "from" "select"."from"
);

CREATE TABLE "order" (
    "user" integer NOT NULL REFERENCES "user" (id),
    "order" integer NOT NULL,
    PRIMARY KEY ("user", "order")
);

CREATE TABLE "select"."table" (
    "where" integer PRIMARY KEY,
    "user" integer,
    "order" integer,
    CONSTRAINT "select" FOREIGN KEY ("user", "order") REFERENCES public."order" ("user", "order") ON DELETE CASCADE,
    CONSTRAINT "check" CHECK ("where" <> 0),
    CONSTRAINT "unique" UNIQUE ("user", "order")
);

CREATE TABLE "it's ""quoted"""."Table ""Q"" 'x'" (
    "Col ""1""" integer PRIMARY KEY,
    "col 'two'" text,
    "User Account" integer REFERENCES "UserAccounts" ("Id")
);

CREATE TABLE "MySchema"."Order Items" (
    "Order Id" integer NOT NULL,
    "Line No" integer NOT NULL,
    "Account" integer REFERENCES "UserAccounts",
    CONSTRAINT "Order Items PK" PRIMARY KEY ("Order Id", "Line No")
);

CREATE INDEX "UserAccounts idx ""mixed""" ON "UserAccounts" ("first name", "user");
CREATE INDEX "select" ON "UserAccounts" ("select") WHERE "select";
CREATE UNIQUE INDEX "it's unique" ON "UserAccounts" (lower("EmailAddress"));
CREATE INDEX "Index'Quote" ON "it's ""quoted"""."Table ""Q"" 'x'" ("col 'two'");

COMMENT ON SCHEMA "it's ""quoted""" IS 'schema with ''both'' "quotes"';
COMMENT ON TABLE "UserAccounts" IS 'Mixed-case table';
COMMENT ON COLUMN "UserAccounts"."say ""hi""" IS 'column with "double quotes" in its name';
COMMENT ON COLUMN "it's ""quoted"""."Table ""Q"" 'x'"."Col ""1""" IS 'quotes everywhere';
COMMENT ON CONSTRAINT "select" ON "select"."table" IS 'constraint named select';
COMMENT ON INDEX "UserAccounts idx ""mixed""" IS 'index with quotes';
COMMENT ON TYPE "select"."from" IS 'enum named from';
COMMENT ON SEQUENCE "MySchema"."Seq With Spaces" IS 'sequence with spaces';
