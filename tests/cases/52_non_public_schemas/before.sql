-- changes inside non-public schemas: same table name in two schemas (only one changes), a cross-schema foreign key added, enum value, sequence option, index, check and schema comment changes
CREATE SCHEMA app;
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices';
CREATE TYPE billing.invoice_status AS ENUM ('draft', 'sent', 'paid');
CREATE SEQUENCE billing.invoice_numbers START WITH 1;
CREATE TABLE app.accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE billing.accounts (
    id bigint PRIMARY KEY,
    iban text NOT NULL
);
CREATE TABLE billing.invoices (
    id bigint PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('billing.invoice_numbers'),
    account_id bigint NOT NULL,
    status billing.invoice_status NOT NULL DEFAULT 'draft',
    total numeric(12,2) NOT NULL CHECK (total >= 0)
);
CREATE INDEX invoices_account ON billing.invoices (account_id);
