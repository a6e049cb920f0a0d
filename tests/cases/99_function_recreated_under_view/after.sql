CREATE TABLE prices (id bigint PRIMARY KEY, cents integer NOT NULL);
CREATE FUNCTION to_money(total_cents integer) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN total_cents / 100.0;
CREATE VIEW price_list AS SELECT id, to_money(cents) AS amount FROM prices;
