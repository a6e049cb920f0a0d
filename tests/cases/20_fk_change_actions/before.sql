-- foreign key change: ON DELETE no action -> cascade, restrict -> set null, ON UPDATE added, NOT DEFERRABLE -> DEFERRABLE INITIALLY DEFERRED and back
CREATE TABLE parents (
    id bigint PRIMARY KEY
);
CREATE TABLE children (
    id bigint PRIMARY KEY,
    a bigint REFERENCES parents (id),
    b bigint REFERENCES parents (id) ON DELETE RESTRICT,
    c bigint REFERENCES parents (id),
    d bigint REFERENCES parents (id),
    e bigint REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED
);
