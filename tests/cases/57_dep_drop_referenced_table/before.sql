-- dependency order: dropping a table referenced by foreign keys of tables that remain (the foreign keys go, the columns stay)
CREATE TABLE regions (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE stores (
    id bigint PRIMARY KEY,
    region_id bigint REFERENCES regions (id)
);
CREATE TABLE warehouses (
    id bigint PRIMARY KEY,
    region_id bigint NOT NULL,
    CONSTRAINT warehouses_region_fk FOREIGN KEY (region_id) REFERENCES regions (id) ON DELETE CASCADE
);
CREATE INDEX ON warehouses (region_id);
