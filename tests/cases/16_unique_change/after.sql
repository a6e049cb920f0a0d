CREATE TABLE seats (
    id bigint PRIMARY KEY,
    venue text NOT NULL,
    row_label text NOT NULL,
    number integer NOT NULL,
    badge text,
    slot integer,
    ticket text,
    CONSTRAINT seats_position_uq UNIQUE (venue, row_label, number),
    UNIQUE NULLS NOT DISTINCT (badge),
    UNIQUE (slot) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (ticket)
);
