CREATE TABLE payments (id integer PRIMARY KEY, day date NOT NULL, amount numeric(10,2) NOT NULL);
CREATE MATERIALIZED VIEW daily_totals AS SELECT day, sum(amount) AS total FROM payments GROUP BY day;
CREATE MATERIALIZED VIEW payment_days AS SELECT DISTINCT day FROM payments;
INSERT INTO payments VALUES (1, '2026-11-01', 10), (2, '2026-11-01', 5), (3, '2026-11-02', 7);
