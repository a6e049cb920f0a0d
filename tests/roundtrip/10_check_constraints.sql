-- CHECK constraints: unnamed column-level and table-level, named, multi-column, IN lists, regex, IS NOT NULL, boolean logic, comments on checks.
CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL CHECK (length(name) > 0),
    price numeric(10,2) NOT NULL CHECK (price >= 0),
    sale_price numeric(10,2),
    stock integer NOT NULL DEFAULT 0 CONSTRAINT stock_non_negative CHECK (stock >= 0),
    sku text CHECK (sku ~ '^[A-Z]{3}-[0-9]{4}$'),
    kind text NOT NULL DEFAULT 'physical' CHECK (kind IN ('physical', 'digital', 'service')),
    weight_g integer,
    CHECK (sale_price IS NULL OR sale_price < price),
    CONSTRAINT physical_has_weight CHECK (kind <> 'physical' OR weight_g IS NOT NULL)
);

CREATE TABLE periods (
    id serial PRIMARY KEY,
    starts_on date NOT NULL,
    ends_on date,
    min_qty integer,
    max_qty integer,
    CONSTRAINT periods_order CHECK (ends_on IS NULL OR ends_on > starts_on),
    CONSTRAINT qty_range CHECK (min_qty <= max_qty AND min_qty > 0),
    CHECK (extract(year FROM starts_on) >= 2000)
);

CREATE TABLE contacts (
    id integer PRIMARY KEY,
    email text,
    phone text,
    note text CHECK (note <> 'it''s forbidden'),
    tags text[] CHECK (array_length(tags, 1) <= 10),
    data jsonb CHECK (jsonb_typeof(data) = 'object'),
    CONSTRAINT "contact method required" CHECK (num_nonnulls(email, phone) >= 1),
    CONSTRAINT email_lowercase CHECK (email = lower(email))
);

CREATE TABLE flags (
    id integer PRIMARY KEY,
    a boolean,
    b boolean,
    CHECK (a),
    CHECK (NOT (a AND b)),
    CHECK (true)
);

COMMENT ON CONSTRAINT stock_non_negative ON products IS 'Stock can never go below zero';
COMMENT ON CONSTRAINT "contact method required" ON contacts IS 'Either an e-mail address or a phone number';
