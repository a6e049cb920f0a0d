CREATE TABLE parents (
    id bigint PRIMARY KEY
);
CREATE TABLE children (
    id bigint PRIMARY KEY,
    parent_id bigint REFERENCES parents (id),
    code varchar(100) NOT NULL UNIQUE,
    amount bigint NOT NULL CHECK (amount >= 0)
);
CREATE INDEX children_parent ON children (parent_id);
CREATE INDEX children_code_lower ON children (lower(code));
CREATE INDEX children_big ON children (id) WHERE amount > 1000;
