-- a function whose argument is renamed (which CREATE OR REPLACE cannot do) is dropped and created again, with the view that calls it around it
CREATE TABLE prices (id bigint PRIMARY KEY, cents integer NOT NULL);
CREATE FUNCTION to_money(c integer) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN c / 100.0;
CREATE VIEW price_list AS SELECT id, to_money(cents) AS amount FROM prices;
