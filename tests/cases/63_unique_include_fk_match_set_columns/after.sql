CREATE TABLE tenants (
    id bigint PRIMARY KEY
);
CREATE TABLE users (
    tenant_id bigint NOT NULL,
    id bigint NOT NULL,
    email text NOT NULL,
    name text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (email) INCLUDE (name)
);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    author_id bigint,
    editor_id bigint DEFAULT 0,
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (author_id),
    FOREIGN KEY (tenant_id, editor_id) REFERENCES users (tenant_id, id) MATCH FULL ON DELETE SET DEFAULT (editor_id)
);
CREATE TABLE comments (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL,
    post_id bigint,
    author_id bigint,
    body text NOT NULL,
    UNIQUE (post_id, id) INCLUDE (body),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id) MATCH FULL ON DELETE SET NULL (author_id)
);
