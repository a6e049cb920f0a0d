CREATE TABLE keep_me (
    id bigint PRIMARY KEY
);
