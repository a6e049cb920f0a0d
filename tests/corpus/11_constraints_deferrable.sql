-- expect: round trip
-- Deferrable keys and foreign keys in a cycle, a self reference, and a NOT VALID foreign key.
CREATE TABLE a (id integer PRIMARY KEY, code text UNIQUE DEFERRABLE INITIALLY IMMEDIATE, b_id integer);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED, parent integer REFERENCES b (id));
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id) NOT VALID;
