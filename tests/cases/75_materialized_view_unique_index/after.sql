-- a materialized view's query changes (recreated, data recomputed) with a unique index and a comment; another
-- gains an index; a new one is created without data
CREATE TABLE payments (id integer PRIMARY KEY, day date NOT NULL, amount numeric(10,2) NOT NULL);
CREATE MATERIALIZED VIEW daily_totals AS
  SELECT day, sum(amount) AS total, count(*) AS payments FROM payments GROUP BY day;
CREATE UNIQUE INDEX daily_totals_day_idx ON daily_totals (day);
COMMENT ON MATERIALIZED VIEW daily_totals IS 'Totals per day, refreshed nightly';
CREATE MATERIALIZED VIEW payment_days AS SELECT DISTINCT day FROM payments;
CREATE INDEX ON payment_days (day DESC);
CREATE MATERIALIZED VIEW big_payments AS SELECT id, amount FROM payments WHERE amount > 8 WITH NO DATA;
