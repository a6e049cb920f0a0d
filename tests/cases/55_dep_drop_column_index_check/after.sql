CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    room text NOT NULL,
    starts_at timestamptz NOT NULL
);
CREATE INDEX bookings_room ON bookings (room);
