CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL,
    title text NOT NULL,
    slug text,
    published_at timestamptz
);
CREATE INDEX posts_recent ON posts (published_at DESC) WHERE published_at IS NOT NULL;
CREATE INDEX posts_author ON posts (author_id);
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);
CREATE INDEX posts_author_recent ON posts (author_id, published_at);
COMMENT ON INDEX posts_recent IS 'Newest first';
