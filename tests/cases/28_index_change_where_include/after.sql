CREATE TABLE jobs (
    id bigint PRIMARY KEY,
    queue text NOT NULL,
    run_at timestamptz NOT NULL,
    done boolean NOT NULL DEFAULT false,
    failed boolean NOT NULL DEFAULT false,
    payload jsonb
);
CREATE INDEX jobs_queue ON jobs (queue) WHERE NOT failed;
CREATE INDEX jobs_pending ON jobs (run_at) WHERE NOT done AND NOT failed;
CREATE INDEX jobs_queue_run ON jobs (queue, run_at) INCLUDE (payload);
CREATE INDEX jobs_by_run ON jobs (run_at);
