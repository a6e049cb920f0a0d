-- needs PostgreSQL 14: multirange types
-- Multirange column types (PostgreSQL 14 and later), with a default and an array of one.
CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    free_slots int4multirange NOT NULL DEFAULT '{}',
    busy datemultirange,
    history tstzmultirange[]
);
