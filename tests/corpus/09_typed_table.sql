-- expect: unsupported: typed table
-- CREATE TABLE ... OF type: the table's columns come from a composite type; not modelled, named.
CREATE TYPE employee AS (name text, salary numeric);
CREATE TABLE employees OF employee (PRIMARY KEY (name), salary WITH OPTIONS DEFAULT 1000);
