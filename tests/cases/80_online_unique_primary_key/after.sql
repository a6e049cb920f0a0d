CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL,
    email text NOT NULL,
    CONSTRAINT accounts_tenant_email_key UNIQUE (tenant_id, email)
);
