-- expect: round trip
-- PARTITION BY and PARTITION OF, with a DEFAULT partition, a sub-partitioned partition, a hash-partitioned
-- table, a partitioned key and index declared on the parent, options on a partition, and grants on both.
CREATE TABLE measurements (id bigint, taken date NOT NULL, value numeric, PRIMARY KEY (id, taken)) PARTITION BY RANGE (taken);
CREATE INDEX measurements_value_idx ON measurements (value);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') WITH (fillfactor = 80);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (id);
CREATE TABLE measurements_2025_small PARTITION OF measurements_2025 FOR VALUES IN (1, 2, 3);
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
CREATE TABLE buckets (id integer NOT NULL) PARTITION BY HASH (id);
CREATE UNLOGGED TABLE buckets_0 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE buckets_1 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);
GRANT SELECT ON measurements TO PUBLIC;
GRANT INSERT ON measurements_2024 TO PUBLIC;
