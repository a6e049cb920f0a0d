CREATE TABLE rooms (
    id bigint PRIMARY KEY,
    capacity integer NOT NULL,
    floor integer,
    code text,
    price numeric(10,2),
    CONSTRAINT rooms_capacity_positive CHECK (capacity > 0 AND capacity <= 500),
    CHECK (floor BETWEEN -5 AND 200),
    CHECK (code ~ '^[A-Z]{2}[0-9]+$'),
    CONSTRAINT rooms_code_length CHECK (length(code) <= 10)
);
