-- foreign key change of columns under the same name: single column -> composite, needing a new unique constraint on the referenced table first
CREATE TABLE stores (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL
);
CREATE TABLE stock (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL,
    store_id bigint NOT NULL,
    CONSTRAINT stock_store_fk FOREIGN KEY (store_id) REFERENCES stores (id)
);
