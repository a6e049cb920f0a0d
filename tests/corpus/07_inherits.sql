-- expect: unsupported: table with inheritance
-- CREATE TABLE ... INHERITS: not modelled, named.
CREATE TABLE cities (name text PRIMARY KEY, population integer);
CREATE TABLE capitals (state char(2)) INHERITS (cities);
