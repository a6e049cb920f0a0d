-- unique constraint: one added (single column), one added (composite, named), one dropped
CREATE TABLE users (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL,
    email text NOT NULL,
    username text,
    legacy_ref text UNIQUE
);
