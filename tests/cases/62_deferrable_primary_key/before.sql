-- DEFERRABLE / INITIALLY DEFERRED primary keys: one made deferrable, one made initially deferred, a new table
-- with one
CREATE TABLE slots (
    position integer PRIMARY KEY,
    label text NOT NULL
);
CREATE TABLE queue (
    position integer,
    label text NOT NULL,
    CONSTRAINT queue_pkey PRIMARY KEY (position) DEFERRABLE
);
INSERT INTO slots VALUES (1, 'a'), (2, 'b');
INSERT INTO queue VALUES (1, 'x');
