-- // create delayed_jobs table
CREATE TABLE public.delayed_jobs (
    id uuid DEFAULT uuid_generate_v4() NOT NULL,
    priority integer DEFAULT 0 NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    queue character varying(100) NOT NULL,
    actor_id uuid,
    last_error text,
    run_at timestamp with time zone DEFAULT now() NOT NULL,
    locked boolean DEFAULT false NOT NULL,
    locked_at timestamp with time zone,
    failed_at timestamp with time zone,
    complete boolean DEFAULT false NOT NULL,
    completed_at timestamp with time zone,
    completed_with_failure boolean DEFAULT false NOT NULL,
    failure_reason text,
    created timestamp with time zone DEFAULT now() NOT NULL,
    updated timestamp with time zone DEFAULT now() NOT NULL,
    version bigint DEFAULT 0 NOT NULL,
    CONSTRAINT delayed_jobs_pkey PRIMARY KEY (id)
);
CREATE INDEX idx_delayed_jobs_queue_run_at ON public.delayed_jobs (queue, run_at, complete, locked);
COMMENT ON COLUMN public.delayed_jobs.actor_id IS 'The user on whose behalf the job runs, if any';
COMMENT ON COLUMN public.delayed_jobs.priority IS 'Higher runs first';
COMMENT ON COLUMN public.delayed_jobs.run_at IS 'Not before this time';
COMMENT ON COLUMN public.delayed_jobs.version IS 'Optimistic locking version';
COMMENT ON TABLE public.delayed_jobs IS 'Queue of asynchronous jobs';

-- //@UNDO
DROP TABLE public.delayed_jobs;
