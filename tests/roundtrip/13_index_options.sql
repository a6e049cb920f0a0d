-- needs PostgreSQL 15: NULLS NOT DISTINCT
-- Index options: ASC/DESC, NULLS FIRST/LAST, expression keys, partial (WHERE), INCLUDE, opclasses, COLLATE, NULLS NOT DISTINCT.
CREATE EXTENSION pg_trgm;

CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    name text,
    tenant_id integer NOT NULL,
    score integer,
    deleted_at timestamptz,
    created_at timestamptz NOT NULL,
    profile jsonb,
    path text,
    phone varchar(32)
);

CREATE INDEX users_created_desc ON users (created_at DESC);
CREATE INDEX users_score_nulls_first ON users (score NULLS FIRST);
CREATE INDEX users_score_desc_nulls_last ON users (score DESC NULLS LAST);
CREATE INDEX users_mixed_order ON users (tenant_id ASC, created_at DESC NULLS LAST, score ASC NULLS FIRST);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_name_expr ON users ((coalesce(name, '') || ' ' || email));
CREATE INDEX users_created_date ON users (tenant_id, (date_trunc('day', created_at AT TIME ZONE 'UTC')));
CREATE INDEX users_active ON users (tenant_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_tenant_email_active ON users (tenant_id, lower(email)) WHERE (deleted_at IS NULL AND email <> '');
CREATE INDEX users_tenant_include ON users (tenant_id) INCLUDE (email, name);
CREATE UNIQUE INDEX users_email_include ON users (email) INCLUDE (id, created_at);
CREATE INDEX users_path_pattern ON users (path text_pattern_ops);
CREATE INDEX users_phone_pattern ON users (phone varchar_pattern_ops);
CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
CREATE INDEX users_email_trgm_gist ON users USING gist (email gist_trgm_ops);
CREATE INDEX users_profile_path_ops ON users USING gin (profile jsonb_path_ops);
CREATE INDEX users_name_collate_c ON users (name COLLATE "C");
CREATE INDEX users_name_collate_posix_desc ON users (name COLLATE "POSIX" DESC NULLS LAST);
CREATE INDEX users_profile_key ON users ((profile ->> 'plan')) WHERE profile ? 'plan';
CREATE UNIQUE INDEX users_phone_nnd ON users (phone) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX users_tenant_phone_nnd ON users (tenant_id, phone) NULLS NOT DISTINCT WHERE deleted_at IS NULL;
CREATE INDEX users_everything ON users (tenant_id DESC, lower(name) COLLATE "C" text_pattern_ops NULLS FIRST) INCLUDE (score) WHERE score > 0;

COMMENT ON INDEX users_email_lower IS 'Case-insensitive unique e-mail';
COMMENT ON INDEX users_everything IS 'Exercises every index option at once';
