CREATE TABLE tags (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE tag_log (
    id bigint NOT NULL,
    tag_id bigint,
    note text
);
