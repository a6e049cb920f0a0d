CREATE EXTENSION btree_gist;
CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    room_id bigint NOT NULL,
    during tstzrange NOT NULL
);
CREATE TABLE shifts (
    id bigint PRIMARY KEY,
    worker text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT shifts_no_overlap EXCLUDE USING gist (worker WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (NOT cancelled)
);
