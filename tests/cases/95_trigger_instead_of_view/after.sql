CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW active_people AS SELECT id, name FROM people WHERE active;
CREATE FUNCTION active_people_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO people (id, name) VALUES (NEW.id, NEW.name);
  RETURN NEW;
END;
$$;
CREATE TRIGGER active_people_insert INSTEAD OF INSERT ON active_people FOR EACH ROW EXECUTE FUNCTION active_people_insert();
