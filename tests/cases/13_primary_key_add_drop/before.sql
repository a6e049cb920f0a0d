-- primary key: added to a table that had none (column becomes NOT NULL), dropped from another
CREATE TABLE tags (
    id bigint,
    name text NOT NULL
);
CREATE TABLE tag_log (
    id bigint PRIMARY KEY,
    tag_id bigint,
    note text
);
