-- a new domain used by a new composite type, and a new column of that type: domain, then type, then column
CREATE DOMAIN zip_code AS text COLLATE "C" CONSTRAINT zip_code_digits CHECK (VALUE ~ '^[0-9]{5}$');
CREATE TYPE address AS (street text, zip zip_code, lines text[] COLLATE "C");
COMMENT ON TYPE address IS 'a postal address';
CREATE TABLE customers (id integer PRIMARY KEY, street text, zip text, address address, previous address[]);
