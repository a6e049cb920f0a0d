CREATE TABLE scheduler_config (
    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    max_attempts integer NOT NULL DEFAULT 5,
    base_backoff_seconds integer NOT NULL DEFAULT 30,
    poll_batch_size integer NOT NULL DEFAULT 10,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recipe_rotation (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipe text NOT NULL,
    position integer NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT recipe_rotation_recipe_position_key UNIQUE (recipe, position)
);

CREATE TABLE scheduled_jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    run_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    locked_by text,
    locked_at timestamptz,
    last_error text,
    recipe_id bigint REFERENCES recipe_rotation (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX scheduled_jobs_due_idx ON scheduled_jobs (run_at) WHERE status = 'pending';
CREATE INDEX scheduled_jobs_payload_idx ON scheduled_jobs USING gin (payload);

CREATE TABLE job_executions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id bigint NOT NULL REFERENCES scheduled_jobs (id) ON DELETE CASCADE,
    worker text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status text NOT NULL DEFAULT 'running',
    error text
);

CREATE INDEX job_executions_job_id_idx ON job_executions (job_id);

INSERT INTO scheduler_config DEFAULT VALUES;
