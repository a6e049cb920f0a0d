-- collation change: default -> "C", "C" -> default, and an indexed column "POSIX" -> "C"
CREATE TABLE words (
    id bigint PRIMARY KEY,
    word text NOT NULL,
    sort_key text COLLATE "C",
    code varchar(20) COLLATE "POSIX"
);
CREATE INDEX ON words (code);
