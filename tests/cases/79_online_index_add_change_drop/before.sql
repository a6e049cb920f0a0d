-- online: on a table with rows, an index added (and a unique one), one whose definition changes (built
-- under a temporary name concurrently, the old one dropped concurrently, the new one renamed), one dropped
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL,
    title text NOT NULL,
    slug text,
    published_at timestamptz
);
INSERT INTO posts SELECT i, i % 10, 'title ' || i, 'slug-' || i, now() FROM generate_series(1, 1000) i;
CREATE INDEX posts_recent ON posts (published_at);
CREATE INDEX posts_title_idx ON posts (title);
CREATE INDEX posts_author ON posts (author_id);
