CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(regexp_replace(t, '[^a-zA-Z0-9]+', '-', 'g')) $$;
CREATE TABLE posts (id bigint PRIMARY KEY, title varchar(200) NOT NULL,
  CONSTRAINT posts_title_slug CHECK (slugify(title) <> ''));
CREATE INDEX posts_slug_idx ON posts (slugify(title));
CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL CHECK (slugify(name) = name));
CREATE UNIQUE INDEX tags_slug_idx ON tags (slugify(name));
INSERT INTO posts VALUES (1, 'Hello World');
