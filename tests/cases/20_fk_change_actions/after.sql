CREATE TABLE parents (
    id bigint PRIMARY KEY
);
CREATE TABLE children (
    id bigint PRIMARY KEY,
    a bigint REFERENCES parents (id) ON DELETE CASCADE,
    b bigint REFERENCES parents (id) ON DELETE SET NULL,
    c bigint REFERENCES parents (id) ON UPDATE CASCADE,
    d bigint REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED,
    e bigint REFERENCES parents (id)
);
