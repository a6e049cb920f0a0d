-- EXCLUDE USING gist: btree_gist scalar equality plus range overlap, pure range exclusion, WHERE predicate, DEFERRABLE, comments.
CREATE EXTENSION btree_gist;

CREATE TABLE room_reservations (
    id bigserial PRIMARY KEY,
    room_id integer NOT NULL,
    during tstzrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT no_double_booking EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (NOT cancelled)
);

CREATE TABLE price_periods (
    id serial PRIMARY KEY,
    product_code text NOT NULL,
    valid daterange NOT NULL,
    price numeric(10,2) NOT NULL,
    EXCLUDE USING gist (product_code WITH =, valid WITH &&)
);

CREATE TABLE maintenance_windows (
    id serial PRIMARY KEY,
    window_range tsrange NOT NULL,
    EXCLUDE USING gist (window_range WITH &&)
);

CREATE TABLE shifts (
    id serial PRIMARY KEY,
    worker_id bigint NOT NULL,
    site text NOT NULL,
    hours int4range NOT NULL,
    day date NOT NULL,
    CONSTRAINT shifts_no_overlap EXCLUDE USING gist (worker_id WITH =, day WITH =, hours WITH &&) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE circles (
    id serial PRIMARY KEY,
    c circle NOT NULL,
    EXCLUDE USING gist (c WITH &&)
);

COMMENT ON CONSTRAINT no_double_booking ON room_reservations IS 'A room cannot be booked twice at the same time';
