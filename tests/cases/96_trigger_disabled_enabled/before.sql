-- enabled states: disabled, replica, always; one changes state in place
CREATE TABLE items (id bigint PRIMARY KEY, n integer NOT NULL DEFAULT 0);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER a_noop BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION noop();
CREATE TRIGGER b_noop BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION noop();
