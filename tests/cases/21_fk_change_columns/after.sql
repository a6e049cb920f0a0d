CREATE TABLE stores (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE TABLE stock (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL,
    store_id bigint NOT NULL,
    CONSTRAINT stock_store_fk FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id)
);
