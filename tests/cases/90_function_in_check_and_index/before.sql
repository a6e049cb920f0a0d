-- a function used by a CHECK and an index expression: created first; its argument type changes, so the
-- check and the index are dropped before the old one and made again after the new one
CREATE FUNCTION slugify(t varchar) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(regexp_replace(t, '[^a-zA-Z0-9]+', '-', 'g')) $$;
CREATE TABLE posts (id bigint PRIMARY KEY, title varchar(200) NOT NULL,
  CONSTRAINT posts_title_slug CHECK (slugify(title) <> ''));
CREATE INDEX posts_slug_idx ON posts (slugify(title));
INSERT INTO posts VALUES (1, 'Hello World');
