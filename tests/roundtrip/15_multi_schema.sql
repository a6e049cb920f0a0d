-- Several schemas (billing, inventory, "Audit Log") with same-named tables, cross-schema foreign keys, enums and sequences, schema comments.
CREATE SCHEMA billing;
CREATE SCHEMA inventory;
CREATE SCHEMA "Audit Log";

COMMENT ON SCHEMA billing IS 'Invoices and payments';
COMMENT ON SCHEMA "Audit Log" IS 'Append-only audit trail';

CREATE TYPE billing.currency AS ENUM ('EUR', 'USD', 'GBP');
CREATE TYPE "Audit Log"."Action" AS ENUM ('INSERT', 'UPDATE', 'DELETE');

CREATE TABLE public.customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE billing.customers (
    id integer PRIMARY KEY REFERENCES public.customers (id) ON DELETE CASCADE,
    vat_number text UNIQUE,
    currency billing.currency NOT NULL DEFAULT 'EUR'
);

CREATE SEQUENCE billing.invoice_seq AS integer START 1000;

CREATE TABLE billing.invoices (
    id integer PRIMARY KEY DEFAULT nextval('billing.invoice_seq'),
    customer_id integer NOT NULL REFERENCES billing.customers (id),
    issued_on date NOT NULL DEFAULT current_date,
    total numeric(12,2) NOT NULL CHECK (total >= 0),
    currency billing.currency NOT NULL
);

ALTER SEQUENCE billing.invoice_seq OWNED BY billing.invoices.id;

CREATE INDEX invoices_customer_idx ON billing.invoices (customer_id, issued_on DESC);

CREATE TABLE inventory.items (
    sku text PRIMARY KEY,
    description text,
    on_hand integer NOT NULL DEFAULT 0
);

CREATE TABLE billing.invoice_lines (
    invoice_id integer NOT NULL REFERENCES billing.invoices ON DELETE CASCADE,
    line_no smallint NOT NULL,
    sku text NOT NULL REFERENCES inventory.items (sku) ON UPDATE CASCADE,
    quantity integer NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE "Audit Log"."Entries" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "Action" "Audit Log"."Action" NOT NULL,
    "Table Name" text NOT NULL,
    customer_id integer REFERENCES public.customers (id) ON DELETE SET NULL,
    invoice_id integer REFERENCES billing.invoices (id) ON DELETE SET NULL,
    at timestamptz NOT NULL DEFAULT now(),
    "Old Row" jsonb,
    "New Row" jsonb
);

CREATE INDEX "Entries by table" ON "Audit Log"."Entries" ("Table Name", at DESC);
CREATE INDEX entries_customer_idx ON "Audit Log"."Entries" (customer_id) WHERE customer_id IS NOT NULL;

COMMENT ON TABLE "Audit Log"."Entries" IS 'One row per change';
COMMENT ON COLUMN "Audit Log"."Entries"."Old Row" IS 'Row before the change, NULL for INSERT';
COMMENT ON INDEX "Audit Log"."Entries by table" IS 'Newest entries per table first';
COMMENT ON TYPE "Audit Log"."Action" IS 'Kind of change';

-- same table name in three schemas
CREATE TABLE inventory.customers (id integer PRIMARY KEY, warehouse text);
CREATE TABLE "Audit Log".customers (id integer PRIMARY KEY REFERENCES inventory.customers);
