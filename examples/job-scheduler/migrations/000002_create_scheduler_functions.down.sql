DROP FUNCTION next_recipe();
DROP FUNCTION fail_job(bigint, text);
DROP FUNCTION complete_job(bigint);
DROP FUNCTION start_execution(bigint, text);
DROP FUNCTION poll_jobs(text, integer);
DROP FUNCTION enqueue_job(text, jsonb, timestamptz);
DROP TRIGGER scheduled_jobs_updated_at ON scheduled_jobs;
DROP FUNCTION set_updated_at();
