CREATE TABLE stores (
    id bigint PRIMARY KEY,
    region_id bigint
);
CREATE TABLE warehouses (
    id bigint PRIMARY KEY,
    region_id bigint NOT NULL
);
CREATE INDEX ON warehouses (region_id);
