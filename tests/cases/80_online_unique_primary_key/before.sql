-- online: a UNIQUE constraint and a PRIMARY KEY added to tables with rows, each after a concurrent build of
-- its index (ADD CONSTRAINT ... USING INDEX); the primary key's column is made NOT NULL through a check first
CREATE TABLE accounts (
    id bigint,
    tenant_id bigint NOT NULL,
    email text NOT NULL
);
INSERT INTO accounts SELECT i, i % 7, 'user' || i || '@example.com' FROM generate_series(1, 500) i;
