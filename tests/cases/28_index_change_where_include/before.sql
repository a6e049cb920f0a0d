-- index change under the same name: WHERE added, WHERE changed, INCLUDE added, INCLUDE dropped
CREATE TABLE jobs (
    id bigint PRIMARY KEY,
    queue text NOT NULL,
    run_at timestamptz NOT NULL,
    done boolean NOT NULL DEFAULT false,
    failed boolean NOT NULL DEFAULT false,
    payload jsonb
);
CREATE INDEX jobs_queue ON jobs (queue);
CREATE INDEX jobs_pending ON jobs (run_at) WHERE NOT done;
CREATE INDEX jobs_queue_run ON jobs (queue, run_at);
CREATE INDEX jobs_by_run ON jobs (run_at) INCLUDE (payload);
