-- a BEGIN ATOMIC function reads a column that is dropped: the function is dropped before and created after
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL, legacy_total numeric);
CREATE FUNCTION order_total(p_id bigint) RETURNS numeric LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT coalesce(legacy_total, total) FROM orders WHERE id = p_id;
END;
INSERT INTO orders VALUES (1, 10, NULL);
