-- dependency order: type changes of columns used by indexes (plain, partial, expression), a unique constraint, a check, and a referenced primary key with its referencing column
CREATE TABLE parents (
    id integer PRIMARY KEY
);
CREATE TABLE children (
    id bigint PRIMARY KEY,
    parent_id integer REFERENCES parents (id),
    code varchar(20) NOT NULL UNIQUE,
    amount integer NOT NULL CHECK (amount >= 0)
);
CREATE INDEX children_parent ON children (parent_id);
CREATE INDEX children_code_lower ON children (lower(code));
CREATE INDEX children_big ON children (id) WHERE amount > 1000;
INSERT INTO parents VALUES (1);
INSERT INTO children VALUES (1, 1, 'ABC', 5000);
