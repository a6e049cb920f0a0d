-- index add and drop: an unnamed and a named index added, one dropped, one unchanged
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL,
    title text NOT NULL,
    published_at timestamptz,
    slug text
);
CREATE INDEX ON posts (title);
CREATE INDEX posts_slug_lookup ON posts (slug);
