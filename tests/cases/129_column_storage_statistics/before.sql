CREATE TABLE measurements (
    id bigint PRIMARY KEY,
    payload text,
    amount numeric,
    tags text[],
    sensor integer
);
ALTER TABLE measurements ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE measurements ALTER COLUMN amount SET STORAGE PLAIN;
ALTER TABLE measurements ALTER COLUMN sensor SET STATISTICS 500;
INSERT INTO measurements VALUES (1, 'p', 1.5, '{a}', 3);
