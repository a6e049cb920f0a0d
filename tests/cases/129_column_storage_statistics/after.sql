-- Column storage back to the type's own (text: extended, numeric: main), set on another column, statistics
-- targets changed, reset and set, and a new column and table with both.
CREATE TABLE measurements (
    id bigint PRIMARY KEY,
    payload text,
    amount numeric,
    tags text[],
    sensor integer,
    note varchar(200)
);
ALTER TABLE measurements ALTER COLUMN tags SET STORAGE MAIN;
ALTER TABLE measurements ALTER COLUMN id SET STATISTICS 1000;
ALTER TABLE measurements ALTER COLUMN note SET STORAGE EXTERNAL;
ALTER TABLE measurements ALTER COLUMN note SET STATISTICS 50;
CREATE TABLE readings (
    id bigint PRIMARY KEY,
    blob bytea
);
ALTER TABLE readings ALTER COLUMN blob SET STORAGE EXTERNAL;
ALTER TABLE readings ALTER COLUMN blob SET STATISTICS 0;
