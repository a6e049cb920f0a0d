CREATE DOMAIN amount AS numeric(12,2);
CREATE TYPE money_pair AS (low amount, high amount, note text);
CREATE TYPE point3 AS (x integer, y integer);
CREATE TYPE unused AS (a integer);
CREATE TABLE prices (id integer PRIMARY KEY, range money_pair);
INSERT INTO prices VALUES (1, ROW(1, 2, 'x'));
