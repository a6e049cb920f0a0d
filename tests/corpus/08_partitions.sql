-- expect: unsupported: partition, partitioned table
-- PARTITION BY and PARTITION OF: not modelled yet, named.
CREATE TABLE measurements (id bigint, taken date NOT NULL, value numeric) PARTITION BY RANGE (taken);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
