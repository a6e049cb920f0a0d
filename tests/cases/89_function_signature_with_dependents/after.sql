CREATE SCHEMA audit;
CREATE FUNCTION next_code(prefix text DEFAULT 'TK') RETURNS varchar LANGUAGE sql VOLATILE
  AS $$ SELECT prefix || '-' || floor(random() * 1000)::int $$;
CREATE TABLE tickets (id bigint PRIMARY KEY, code text NOT NULL DEFAULT next_code(), note text);
CREATE FUNCTION audit.tickets_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER tickets_audit AFTER INSERT OR UPDATE OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION audit.tickets_audit();
CREATE FUNCTION tickets_check() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER tickets_check BEFORE INSERT OR UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_check();
INSERT INTO tickets (id, code) VALUES (1, 'T-1');
