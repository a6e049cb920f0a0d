CREATE SCHEMA app;
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices and payments';
CREATE TYPE billing.invoice_status AS ENUM ('draft', 'sent', 'paid', 'void');
CREATE SEQUENCE billing.invoice_numbers START WITH 1000 MINVALUE 1000;
CREATE TABLE app.accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE billing.accounts (
    id bigint PRIMARY KEY,
    iban text NOT NULL
);
CREATE TABLE billing.invoices (
    id bigint PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('billing.invoice_numbers'),
    account_id bigint NOT NULL REFERENCES app.accounts (id),
    status billing.invoice_status NOT NULL DEFAULT 'draft',
    total numeric(12,2) NOT NULL CHECK (total > 0),
    -- New: last, as PostgreSQL can only add a column at the end of an existing table.
    billing_account_id bigint REFERENCES billing.accounts (id)
);
CREATE INDEX invoices_account ON billing.invoices (account_id, status);
