-- exclusion constraints (btree_gist): one dropped from a table, one added to another (with WHERE), extension present on both sides
CREATE EXTENSION btree_gist;
CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    room_id bigint NOT NULL,
    during tstzrange NOT NULL,
    EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
CREATE TABLE shifts (
    id bigint PRIMARY KEY,
    worker text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    cancelled boolean NOT NULL DEFAULT false
);
