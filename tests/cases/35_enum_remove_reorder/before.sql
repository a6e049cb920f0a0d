-- enum value removal and reorder: the type is recreated; a column using it has a default, an index and rows
CREATE TYPE article_state AS ENUM ('draft', 'review', 'published', 'archived');
CREATE TABLE articles (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    state article_state NOT NULL DEFAULT 'draft'
);
CREATE INDEX ON articles (state);
INSERT INTO articles VALUES (1, 'a', 'draft'), (2, 'b', 'published'), (3, 'c', 'review');
