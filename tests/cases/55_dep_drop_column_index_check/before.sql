-- dependency order: dropping a column used by an index (alone and with another column), a multi-column check and a unique constraint
CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    room text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    CONSTRAINT bookings_order CHECK (ends_at > starts_at),
    CONSTRAINT bookings_room_end_uq UNIQUE (room, ends_at)
);
CREATE INDEX bookings_ends ON bookings (ends_at);
CREATE INDEX bookings_span ON bookings (starts_at, ends_at);
CREATE INDEX bookings_room ON bookings (room);
