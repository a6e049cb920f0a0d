-- expect: unsupported: collation
-- CREATE COLLATION: not modelled, named (with the column that uses it).
CREATE COLLATION german (provider = libc, locale = 'C');
CREATE TABLE words (id integer PRIMARY KEY, w text COLLATE german);
