CREATE TABLE words (
    id bigint PRIMARY KEY,
    word text COLLATE "C" NOT NULL,
    sort_key text,
    code varchar(20) COLLATE "C"
);
CREATE INDEX ON words (code);
