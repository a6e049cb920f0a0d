-- enum create and drop: a new unused type appears; an old type goes together with the column that used it
CREATE TYPE legacy_flag AS ENUM ('red', 'green');
CREATE TABLE tickets (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    flag legacy_flag
);
