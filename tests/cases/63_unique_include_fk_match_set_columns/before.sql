-- UNIQUE ... INCLUDE, FOREIGN KEY ... MATCH FULL, ON DELETE SET NULL (columns) / SET DEFAULT (columns)
-- (PostgreSQL 15+): added, changed, and on a new table
CREATE TABLE tenants (
    id bigint PRIMARY KEY
);
CREATE TABLE users (
    tenant_id bigint NOT NULL,
    id bigint NOT NULL,
    email text NOT NULL,
    name text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (email)
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    author_id bigint,
    editor_id bigint DEFAULT 0,
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL
);
INSERT INTO tenants VALUES (1);
INSERT INTO users VALUES (1, 1, 'a@example.com', 'A');
INSERT INTO posts VALUES (1, 1, 1, 1);
