-- Storage parameters changed (SET), removed (RESET), added to a table that had none, taken off a table, and
-- on a new table.
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    note text
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);
CREATE TABLE audit (
    id bigint PRIMARY KEY
);
CREATE TABLE plain (
    id bigint PRIMARY KEY
) WITH (parallel_workers = 4, user_catalog_table = true);
CREATE TABLE archive (
    id bigint PRIMARY KEY
) WITH (fillfactor = 50, autovacuum_enabled = off);
