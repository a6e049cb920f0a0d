-- Enum types: plain, schema-qualified, hostile labels (quotes, spaces, unicode, empty), enum columns, enum defaults, enum arrays, comments.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');

COMMENT ON TYPE order_status IS 'Lifecycle of an order';

CREATE TYPE "Weird Labels" AS ENUM ('it''s', 'say "hi"', 'with space', 'UPPER', 'größe', '日本語', 'a.b', '1st', '', 'back\slash');

COMMENT ON TYPE "Weird Labels" IS 'Labels that need quoting: ''single'', "double", \backslash';

CREATE TYPE single_value AS ENUM ('only');

CREATE TYPE empty_enum AS ENUM ();

CREATE SCHEMA catalog;

CREATE TYPE catalog.size AS ENUM ('XS', 'S', 'M', 'L', 'XL');

CREATE TYPE catalog."Colour" AS ENUM ('red', 'green', 'blue');

COMMENT ON TYPE catalog.size IS 'Garment sizes';

CREATE TABLE catalog.garments (
    id serial PRIMARY KEY,
    size catalog.size NOT NULL DEFAULT 'M',
    colour catalog."Colour",
    available_sizes catalog.size[] DEFAULT '{S,M,L}',
    mood mood DEFAULT 'ok'::mood
);

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'pending',
    history order_status[] NOT NULL DEFAULT ARRAY[]::order_status[],
    label "Weird Labels" DEFAULT 'it''s',
    other "Weird Labels" DEFAULT 'say "hi"',
    one single_value
);

CREATE INDEX orders_status_idx ON orders (status);
