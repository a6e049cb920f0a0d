-- Extensions (uuid-ossp, citext, hstore, pg_trgm, btree_gist), some installed WITH SCHEMA, and columns/indexes/defaults using their types and opclasses.
CREATE SCHEMA ext;
COMMENT ON SCHEMA ext IS 'Holds extension objects';

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA ext;
CREATE EXTENSION citext;
CREATE EXTENSION hstore WITH SCHEMA ext;
CREATE EXTENSION pg_trgm WITH SCHEMA ext;
CREATE EXTENSION btree_gist;

CREATE TABLE members (
    id uuid PRIMARY KEY DEFAULT ext.uuid_generate_v4(),
    alt_id uuid DEFAULT ext.uuid_generate_v1mc(),
    email citext NOT NULL UNIQUE,
    handle citext,
    aliases citext[],
    attributes ext.hstore,
    settings ext.hstore NOT NULL DEFAULT ''::ext.hstore,
    bio text,
    joined_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX members_handle_idx ON members (handle);
CREATE INDEX members_attributes_gin ON members USING gin (attributes);
CREATE INDEX members_attributes_gist ON members USING gist (settings ext.gist_hstore_ops);
CREATE INDEX members_bio_trgm ON members USING gin (bio ext.gin_trgm_ops);
CREATE INDEX members_email_trgm ON members USING gist (email ext.gist_trgm_ops);

CREATE TABLE member_sessions (
    member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    active tstzrange NOT NULL,
    device citext,
    EXCLUDE USING gist (member_id WITH =, active WITH &&)
);

COMMENT ON COLUMN members.email IS 'Case-insensitive via citext';
COMMENT ON COLUMN members.attributes IS 'Free-form key/value pairs (hstore)';
