CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER scheduled_jobs_updated_at BEFORE UPDATE ON scheduled_jobs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE FUNCTION enqueue_job(p_name text, p_payload jsonb DEFAULT '{}', p_run_at timestamptz DEFAULT now())
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  INSERT INTO scheduled_jobs (name, payload, run_at) VALUES (p_name, p_payload, p_run_at)
  RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;

CREATE FUNCTION poll_jobs(p_worker text, p_limit integer DEFAULT 10)
RETURNS SETOF scheduled_jobs LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
  UPDATE scheduled_jobs j
     SET status = 'running', locked_by = p_worker, locked_at = now(), attempts = j.attempts + 1
   WHERE j.id IN (
         SELECT id FROM scheduled_jobs
          WHERE status = 'pending' AND run_at <= now()
          ORDER BY run_at
          LIMIT p_limit
          FOR UPDATE SKIP LOCKED)
  RETURNING j.*;
END;
$$;

CREATE FUNCTION start_execution(p_job_id bigint, p_worker text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  INSERT INTO job_executions (job_id, worker) VALUES (p_job_id, p_worker) RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;

CREATE FUNCTION complete_job(p_execution_id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE job_executions SET status = 'done', finished_at = now() WHERE id = p_execution_id;
  UPDATE scheduled_jobs SET status = 'done', locked_by = NULL, locked_at = NULL
   WHERE id = (SELECT job_id FROM job_executions WHERE id = p_execution_id);
END;
$$;

CREATE FUNCTION fail_job(p_execution_id bigint, p_error text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_job scheduled_jobs;
  v_config scheduler_config;
BEGIN
  SELECT * INTO v_config FROM scheduler_config WHERE id = 1;
  UPDATE job_executions SET status = 'failed', finished_at = now(), error = p_error WHERE id = p_execution_id;
  SELECT j.* INTO v_job FROM scheduled_jobs j JOIN job_executions e ON e.job_id = j.id WHERE e.id = p_execution_id;
  IF v_job.attempts >= v_config.max_attempts THEN
    UPDATE scheduled_jobs SET status = 'failed', last_error = p_error, locked_by = NULL WHERE id = v_job.id;
  ELSE
    -- exponential backoff: base * 2^(attempts - 1)
    UPDATE scheduled_jobs
       SET status = 'pending', last_error = p_error, locked_by = NULL, locked_at = NULL,
           run_at = now() + make_interval(secs => v_config.base_backoff_seconds * 2 ^ (v_job.attempts - 1))
     WHERE id = v_job.id;
  END IF;
END;
$$;

CREATE FUNCTION next_recipe() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_recipe text;
BEGIN
  SELECT recipe INTO v_recipe FROM recipe_rotation
   WHERE active ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED;
  UPDATE recipe_rotation SET position = position + (SELECT count(*) FROM recipe_rotation)
   WHERE recipe = v_recipe;
  RETURN v_recipe;
END;
$$;
