-- the updated_at trigger function, created with a trigger on two tables (and one that exists already)
CREATE TABLE pages (id bigint PRIMARY KEY, title text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE page_views (id bigint PRIMARY KEY, page_id bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
INSERT INTO pages VALUES (1, 'home', '2020-01-01');
