CREATE EXTENSION pg_trgm;
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    code text NOT NULL,
    title text NOT NULL,
    path text,
    created_at timestamptz NOT NULL,
    data jsonb
);
CREATE INDEX documents_code ON documents USING hash (code);
CREATE INDEX documents_created ON documents USING brin (created_at);
CREATE INDEX documents_title ON documents USING gin (title gin_trgm_ops);
CREATE INDEX documents_path ON documents (path text_pattern_ops);
CREATE INDEX documents_data ON documents USING gin (data jsonb_path_ops);
