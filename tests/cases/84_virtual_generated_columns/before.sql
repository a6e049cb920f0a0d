-- PostgreSQL 18's VIRTUAL generated columns: a stored one made virtual, one added virtual, on a table holding a row
CREATE TABLE boxes (
    id bigint PRIMARY KEY,
    w integer NOT NULL,
    h integer NOT NULL,
    area integer GENERATED ALWAYS AS (w * h) STORED
);
INSERT INTO boxes (id, w, h) VALUES (1, 2, 3);
