CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);
CREATE FUNCTION order_total(p_id bigint) RETURNS numeric LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT total FROM orders WHERE id = p_id;
END;
CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM orders);
INSERT INTO orders VALUES (1, 10);
