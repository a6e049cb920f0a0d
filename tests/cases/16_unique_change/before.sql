-- unique change: columns of a named constraint, NULLS NOT DISTINCT on, DEFERRABLE INITIALLY DEFERRED on, deferrable off
CREATE TABLE seats (
    id bigint PRIMARY KEY,
    venue text NOT NULL,
    row_label text NOT NULL,
    number integer NOT NULL,
    badge text,
    slot integer,
    ticket text,
    CONSTRAINT seats_position_uq UNIQUE (venue, number),
    UNIQUE (badge),
    UNIQUE (slot),
    UNIQUE (ticket) DEFERRABLE INITIALLY DEFERRED
);
