-- needs PostgreSQL 14: SQL-standard function bodies (BEGIN ATOMIC, RETURN)
-- Functions, procedures and triggers: a trigger function on two tables, overloads, SQL-standard bodies that
-- read a table, options (volatility, strict, security definer with a pinned search_path, parallel, cost, rows,
-- settings), set-returning and TABLE results, argument modes and defaults, a procedure, a function in a
-- default, a check and an index; constraint, statement, INSTEAD OF and disabled triggers; names that need
-- quoting, bodies with dollar quotes and marker-like lines.
CREATE SCHEMA jobs;
CREATE TABLE jobs.queue (id bigserial PRIMARY KEY, kind text NOT NULL, run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE audit_log (at timestamptz NOT NULL DEFAULT now(), n bigint NOT NULL);
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION set_updated_at() IS 'keeps updated_at current';
CREATE FUNCTION jobs.poll(p_kind text, p_limit integer DEFAULT 10)
  RETURNS SETOF jobs.queue LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobs, pg_temp ROWS 10 AS $$
BEGIN
  RETURN QUERY
    SELECT * FROM jobs.queue WHERE kind = p_kind AND run_at <= now()
    ORDER BY run_at LIMIT p_limit FOR UPDATE SKIP LOCKED;
END;
$$;
CREATE FUNCTION jobs.backoff(attempts integer) RETURNS interval LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 2
  RETURN least(make_interval(secs => 2 ^ attempts), interval '1 hour');
CREATE FUNCTION jobs.backoff(attempts integer, base_secs integer) RETURNS interval LANGUAGE sql IMMUTABLE
  RETURN make_interval(secs => base_secs * 2 ^ attempts);
CREATE FUNCTION jobs.pending(OUT kind text, OUT n bigint) RETURNS SETOF record LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT kind, count(*) FROM jobs.queue GROUP BY kind;
END;
CREATE FUNCTION jobs.stats() RETURNS TABLE(total bigint, "max ""attempts""" integer) LANGUAGE sql STABLE
  SET work_mem = '16MB' AS $$ SELECT count(*), max(attempts) FROM jobs.queue $$;
CREATE FUNCTION positive(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF RETURN n >= 0;
CREATE FUNCTION "Quoted ""Fn"""(VARIADIC parts text[]) RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
-- +goose Down
  RETURN array_to_string(parts, '$$');
END;
$body$;
CREATE PROCEDURE jobs.requeue(INOUT moved bigint, IN older_than interval DEFAULT '1 day') LANGUAGE plpgsql AS $$
BEGIN
  UPDATE jobs.queue SET run_at = now() WHERE run_at < now() - older_than;
  GET DIAGNOSTICS moved = ROW_COUNT;
END;
$$;
CREATE FUNCTION log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (n) SELECT count(*) FROM new_rows;
  RETURN NULL;
END;
$$;
CREATE FUNCTION check_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.attempts > TG_ARGV[0]::int THEN RAISE EXCEPTION 'too many'; END IF;
  RETURN NULL;
END;
$$;
CREATE TABLE jobs.limits (id integer PRIMARY KEY CHECK (positive(id)), max_attempts integer NOT NULL DEFAULT 5);
CREATE INDEX limits_positive ON jobs.limits (positive(max_attempts));
CREATE TRIGGER queue_updated_at BEFORE UPDATE ON jobs.queue FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER limits_updated_at BEFORE UPDATE OF max_attempts ON jobs.limits FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE jobs.limits DISABLE TRIGGER limits_updated_at;
CREATE TRIGGER queue_log AFTER UPDATE ON jobs.queue REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION log_changes();
CREATE CONSTRAINT TRIGGER queue_attempts AFTER INSERT OR UPDATE ON jobs.queue DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION check_attempts('5');
COMMENT ON TRIGGER queue_attempts ON jobs.queue IS 'at most five';
CREATE VIEW jobs.due AS SELECT id, kind FROM jobs.queue WHERE run_at <= now();
CREATE FUNCTION jobs.due_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO jobs.queue (kind) VALUES (NEW.kind);
  RETURN NEW;
END;
$$;
CREATE TRIGGER due_insert INSTEAD OF INSERT ON jobs.due FOR EACH ROW EXECUTE FUNCTION jobs.due_insert();
