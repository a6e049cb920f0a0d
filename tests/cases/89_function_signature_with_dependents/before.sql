-- a change of return type and of argument defaults: dropped and created again, with the default that calls it;
-- a trigger function moved to another schema: the trigger is dropped before the old one and created after
-- the new one
CREATE FUNCTION next_code(prefix text DEFAULT 'T') RETURNS text LANGUAGE sql VOLATILE
  AS $$ SELECT prefix || '-' || floor(random() * 1000)::int $$;
CREATE TABLE tickets (id bigint PRIMARY KEY, code text NOT NULL DEFAULT next_code(), note text);
CREATE FUNCTION tickets_audit() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER tickets_audit AFTER INSERT OR UPDATE OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_audit();
CREATE FUNCTION tickets_check() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER tickets_check BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_check();
INSERT INTO tickets (id, code) VALUES (1, 'T-1');
