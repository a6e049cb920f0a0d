CREATE TABLE orders (
    id bigint PRIMARY KEY,
    note text
) WITH (fillfactor = 70, autovacuum_enabled = false);
CREATE TABLE audit (
    id bigint PRIMARY KEY
) WITH (autovacuum_vacuum_scale_factor = 0.2);
CREATE TABLE plain (
    id bigint PRIMARY KEY
) WITH (parallel_workers = 4);
INSERT INTO orders VALUES (1, 'x');
