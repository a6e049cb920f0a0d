-- Index access methods: btree (default and explicit), unique, hash, gin (arrays, jsonb, tsvector), gist (ranges, geometric), brin, multi-column.
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    slug text NOT NULL,
    body text,
    tags text[],
    meta jsonb,
    search tsvector,
    valid tstzrange,
    location point,
    created_at timestamptz NOT NULL DEFAULT now(),
    seq bigint NOT NULL
);

CREATE INDEX documents_title_idx ON documents (title);
CREATE INDEX documents_title_btree ON documents USING btree (title, created_at);
CREATE UNIQUE INDEX documents_slug_key ON documents (slug);
CREATE INDEX documents_slug_hash ON documents USING hash (slug);
CREATE INDEX documents_tags_gin ON documents USING gin (tags);
CREATE INDEX documents_meta_gin ON documents USING gin (meta);
CREATE INDEX documents_search_gin ON documents USING gin (search);
CREATE INDEX documents_valid_gist ON documents USING gist (valid);
CREATE INDEX documents_location_gist ON documents USING gist (location);
CREATE INDEX documents_created_brin ON documents USING brin (created_at);
CREATE INDEX documents_seq_brin ON documents USING brin (seq, created_at);
CREATE INDEX ON documents (seq);
CREATE INDEX ON documents (created_at, seq);

CREATE TABLE measurements (
    sensor_id integer NOT NULL,
    taken_at timestamptz NOT NULL,
    value double precision
);

CREATE INDEX measurements_taken_brin ON measurements USING brin (taken_at);
CREATE UNIQUE INDEX measurements_sensor_time ON measurements (sensor_id, taken_at);
CREATE INDEX measurements_sensor_hash ON measurements USING hash (sensor_id);

COMMENT ON INDEX documents_meta_gin IS 'Supports @> containment queries on meta';
COMMENT ON INDEX measurements_taken_brin IS 'Rows arrive roughly in time order';
