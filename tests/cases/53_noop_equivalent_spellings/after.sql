CREATE TABLE parents (
    id int PRIMARY KEY,
    code varchar(255) NOT NULL UNIQUE
);
CREATE TABLE items (
    id serial PRIMARY KEY,
    parent_id int4 REFERENCES parents,
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done')),
    price decimal(10,2) DEFAULT 0.00,
    active bool NOT NULL DEFAULT TRUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    label char(3),
    big bigint,
    ratio float8
);
CREATE INDEX ON items (parent_id, created_at DESC);
