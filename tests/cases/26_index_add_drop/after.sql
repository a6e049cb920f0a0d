CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL,
    title text NOT NULL,
    published_at timestamptz,
    slug text
);
CREATE INDEX ON posts (author_id);
CREATE INDEX posts_recent ON posts (published_at);
CREATE INDEX posts_slug_lookup ON posts (slug);
