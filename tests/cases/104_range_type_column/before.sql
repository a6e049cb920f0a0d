CREATE TYPE old_span AS RANGE (subtype = int4);
CREATE TABLE rooms (id integer PRIMARY KEY, legacy old_span);
INSERT INTO rooms VALUES (1, '[1,5)');
