-- needs PostgreSQL 15: NULLS NOT DISTINCT
-- Primary keys (single, composite, named) and UNIQUE constraints: multi-column, NULLS NOT DISTINCT, DEFERRABLE, INITIALLY DEFERRED, column-level.
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    email text NOT NULL UNIQUE,
    username text NOT NULL,
    tenant integer NOT NULL,
    external_ref text,
    CONSTRAINT accounts_username_tenant_key UNIQUE (tenant, username)
);

CREATE TABLE memberships (
    account_id integer NOT NULL,
    group_id integer NOT NULL,
    role text NOT NULL DEFAULT 'member',
    CONSTRAINT memberships_pk PRIMARY KEY (account_id, group_id)
);

CREATE TABLE slots (
    id integer,
    position integer NOT NULL,
    board integer NOT NULL,
    code text,
    alt_code text,
    PRIMARY KEY (id),
    CONSTRAINT slots_position_unique UNIQUE (board, position) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT slots_code_unique UNIQUE (code) DEFERRABLE,
    CONSTRAINT slots_alt_code_unique UNIQUE (alt_code) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE devices (
    id bigint PRIMARY KEY,
    serial_no text,
    vendor text,
    model text,
    UNIQUE NULLS NOT DISTINCT (serial_no),
    CONSTRAINT devices_vendor_model_key UNIQUE NULLS NOT DISTINCT (vendor, model),
    CONSTRAINT devices_model_vendor_key UNIQUE (model, vendor)
);

CREATE TABLE three_col_pk (
    a smallint,
    b text,
    c date,
    payload jsonb,
    PRIMARY KEY (c, a, b),
    UNIQUE (b, c)
);

CREATE TABLE deferred_pk (
    id integer,
    CONSTRAINT deferred_pk_pkey PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED
);

COMMENT ON CONSTRAINT slots_position_unique ON slots IS 'Checked at commit so rows can be swapped';
COMMENT ON CONSTRAINT memberships_pk ON memberships IS 'One membership per account and group';
