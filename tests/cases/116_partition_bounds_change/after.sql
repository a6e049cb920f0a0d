-- Bounds move between partitions: q1 takes April from the rest, q2 is made from May and June, the rest keeps
-- the second half and grows. Every partition that frees bounds is detached before any takes them.
CREATE TABLE metrics (at date NOT NULL, n integer) PARTITION BY RANGE (at);
CREATE TABLE metrics_q1 PARTITION OF metrics FOR VALUES FROM ('2026-01-01') TO ('2026-05-01');
CREATE TABLE metrics_q2 PARTITION OF metrics FOR VALUES FROM ('2026-05-01') TO ('2026-07-01');
CREATE TABLE metrics_rest PARTITION OF metrics FOR VALUES FROM ('2026-07-01') TO ('2028-01-01');
