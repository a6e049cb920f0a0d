-- an INSTEAD OF trigger makes a view writable
CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW active_people AS SELECT id, name FROM people WHERE active;
