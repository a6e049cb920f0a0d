-- index change under the same name: method btree -> hash, btree -> brin, btree -> gin with pg_trgm's gin_trgm_ops, opclass text_pattern_ops added, jsonb gin opclass changed
CREATE EXTENSION pg_trgm;
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    code text NOT NULL,
    title text NOT NULL,
    path text,
    created_at timestamptz NOT NULL,
    data jsonb
);
CREATE INDEX documents_code ON documents (code);
CREATE INDEX documents_created ON documents (created_at);
CREATE INDEX documents_title ON documents (title);
CREATE INDEX documents_path ON documents (path);
CREATE INDEX documents_data ON documents USING gin (data);
