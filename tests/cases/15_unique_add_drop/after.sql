CREATE TABLE users (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL,
    email text NOT NULL,
    username text UNIQUE,
    legacy_ref text,
    CONSTRAINT users_tenant_email_uq UNIQUE (tenant_id, email)
);
