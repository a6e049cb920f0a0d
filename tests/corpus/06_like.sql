-- expect: round trip
-- CREATE TABLE ... (LIKE ...): the copy is an ordinary table afterwards.
CREATE TABLE base (id integer PRIMARY KEY, name text NOT NULL DEFAULT 'x' CHECK (name <> ''), created timestamptz);
COMMENT ON COLUMN base.name IS 'the name';
CREATE INDEX base_created ON base (created);
CREATE TABLE copy_all (LIKE base INCLUDING ALL, extra integer);
CREATE TABLE copy_plain (LIKE base);
