-- check constraints: add (named and unnamed), drop, change the expression of a named one and of an unnamed one (same server-chosen name)
CREATE TABLE rooms (
    id bigint PRIMARY KEY,
    capacity integer NOT NULL,
    floor integer,
    code text,
    price numeric(10,2),
    CONSTRAINT rooms_capacity_positive CHECK (capacity > 0),
    CHECK (floor BETWEEN 0 AND 10),
    CHECK (price >= 0)
);
