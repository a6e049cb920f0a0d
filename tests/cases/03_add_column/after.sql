CREATE TABLE products (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    description text,
    price numeric(10,2) NOT NULL DEFAULT 0,
    tags text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN products.price IS 'In euros';
