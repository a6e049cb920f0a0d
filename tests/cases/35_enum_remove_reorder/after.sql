CREATE TYPE article_state AS ENUM ('draft', 'published', 'review');
CREATE TABLE articles (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    state article_state NOT NULL DEFAULT 'draft'
);
CREATE INDEX ON articles (state);
