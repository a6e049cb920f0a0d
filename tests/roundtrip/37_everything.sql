-- Everything a table and its types can carry, together: domains (one used in a composite), composite and range
-- types, a range-partitioned table with a DEFAULT partition and a hash sub-partitioned partition, list (with DEFAULT)
-- and hash partitioned tables, a partitioned index and a foreign key to and from partitioned tables, an unlogged table,
-- storage parameters, replica identity, a NOT VALID check, column storage and statistics targets, grants and a
-- policy.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rt_all_reader') THEN CREATE ROLE rt_all_reader NOLOGIN; END IF;
END $$;
CREATE SCHEMA shop;
GRANT USAGE ON SCHEMA shop TO rt_all_reader;
CREATE DOMAIN shop.sku AS text COLLATE "C" NOT NULL CONSTRAINT sku_format CHECK (VALUE ~ '^[A-Z0-9-]+$');
CREATE DOMAIN shop.quantity AS integer DEFAULT 1 CHECK (VALUE > 0);
COMMENT ON DOMAIN shop.quantity IS 'how many, at least one';
CREATE TYPE shop.line AS (sku shop.sku, qty shop.quantity, price numeric(12, 2));
CREATE TYPE shop.price_band AS RANGE (subtype = numeric);
CREATE DOMAIN shop.positive_band AS shop.price_band CHECK (lower(VALUE) >= 0);
GRANT USAGE ON TYPE shop.price_band TO rt_all_reader;

CREATE TABLE shop.customers (
    id bigint PRIMARY KEY,
    region text NOT NULL,
    email text NOT NULL,
    notes text,
    band shop.positive_band
) WITH (fillfactor = 80);
CREATE UNIQUE INDEX customers_email_key ON shop.customers (email);
ALTER TABLE shop.customers REPLICA IDENTITY USING INDEX customers_email_key;
ALTER TABLE shop.customers ALTER COLUMN notes SET STORAGE EXTERNAL;
ALTER TABLE shop.customers ALTER COLUMN region SET STATISTICS 500;
ALTER TABLE shop.customers ADD CONSTRAINT customers_email_lower CHECK (email = lower(email)) NOT VALID;
ALTER TABLE shop.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_region ON shop.customers FOR SELECT TO rt_all_reader
    USING (region = current_setting('shop.region', true));
GRANT SELECT ON shop.customers TO rt_all_reader;
GRANT UPDATE (notes) ON shop.customers TO rt_all_reader;

CREATE TABLE shop.orders (
    id bigint NOT NULL,
    placed date NOT NULL,
    customer bigint NOT NULL REFERENCES shop.customers (id),
    region text NOT NULL,
    lines shop.line[],
    prices shop.price_band,
    PRIMARY KEY (id, placed)
) PARTITION BY RANGE (placed);
CREATE INDEX orders_customer_idx ON shop.orders (customer, placed DESC);
CREATE TABLE shop.orders_2025 PARTITION OF shop.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE shop.orders_2026 PARTITION OF shop.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
    PARTITION BY HASH (id);
CREATE TABLE shop.orders_2026_0 PARTITION OF shop.orders_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE shop.orders_2026_1 PARTITION OF shop.orders_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE shop.orders_later PARTITION OF shop.orders DEFAULT;
GRANT SELECT ON shop.orders TO rt_all_reader;

CREATE TABLE shop.shipments (
    id integer PRIMARY KEY,
    order_id bigint NOT NULL,
    order_placed date NOT NULL,
    FOREIGN KEY (order_id, order_placed) REFERENCES shop.orders (id, placed) ON DELETE CASCADE
);

CREATE TABLE shop.stock (
    warehouse text NOT NULL,
    sku shop.sku,
    qty shop.quantity
) PARTITION BY LIST (warehouse);
CREATE TABLE shop.stock_north PARTITION OF shop.stock FOR VALUES IN ('north');
CREATE TABLE shop.stock_other PARTITION OF shop.stock DEFAULT;

CREATE TABLE shop.carts (
    id bigint NOT NULL,
    customer bigint,
    PRIMARY KEY (id)
) PARTITION BY HASH (id);
CREATE TABLE shop.carts_0 PARTITION OF shop.carts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE shop.carts_1 PARTITION OF shop.carts FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE UNLOGGED TABLE shop.sessions (
    token text PRIMARY KEY,
    customer bigint REFERENCES shop.customers (id),
    data jsonb
) WITH (fillfactor = 70, autovacuum_enabled = false);
ALTER TABLE shop.sessions REPLICA IDENTITY FULL;
