BEGIN;
CREATE TABLE public.analytics_rollups (
    id uuid DEFAULT uuid_generate_v4() NOT NULL,
    metric_name character varying(255) NOT NULL,
    dimension_key character varying(255),
    dimension_value character varying(500),
    value numeric(15,2) NOT NULL,
    period_start timestamp with time zone NOT NULL,
    period_end timestamp with time zone NOT NULL,
    created timestamp with time zone DEFAULT now() NOT NULL,
    updated timestamp with time zone DEFAULT now() NOT NULL,
    version bigint DEFAULT 0 NOT NULL,
    CONSTRAINT analytics_rollups_pkey PRIMARY KEY (id),
    CONSTRAINT analytics_rollups_check CHECK (period_end > period_start)
);
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
CREATE TABLE public.page_views (
    id uuid DEFAULT uuid_generate_v4() NOT NULL,
    session_id character varying(255) NOT NULL,
    user_id uuid,
    path character varying(500) NOT NULL,
    referrer character varying(500),
    user_agent character varying(1000),
    created timestamp with time zone DEFAULT now() NOT NULL,
    updated timestamp with time zone DEFAULT now() NOT NULL,
    version bigint DEFAULT 0 NOT NULL,
    CONSTRAINT page_views_pkey PRIMARY KEY (id)
);
CREATE INDEX analytics_rollups_metric_name_period_start_dimension_key_idx ON public.analytics_rollups (metric_name, period_start, dimension_key);
CREATE INDEX analytics_rollups_period_start_period_end_idx ON public.analytics_rollups (period_start, period_end);
CREATE INDEX idx_delayed_jobs_queue_run_at ON public.delayed_jobs (queue, run_at, complete, locked);
CREATE INDEX page_views_path_created_idx ON public.page_views (path, created DESC);
CREATE INDEX page_views_session_id_created_idx ON public.page_views (session_id, created DESC);
CREATE INDEX page_views_user_id_created_idx ON public.page_views (user_id, created DESC);
ALTER TABLE public.page_views ADD CONSTRAINT page_views_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.calendar_users (id) ON DELETE SET NULL;
COMMENT ON COLUMN public.analytics_rollups.dimension_key IS 'What the metric is broken down by, e.g. template_id';
COMMENT ON COLUMN public.analytics_rollups.period_end IS 'Exclusive end of the period';
COMMENT ON COLUMN public.analytics_rollups.version IS 'Optimistic locking version';
COMMENT ON TABLE public.analytics_rollups IS 'Aggregated metrics per period and dimension';
COMMENT ON COLUMN public.delayed_jobs.actor_id IS 'The user on whose behalf the job runs, if any';
COMMENT ON COLUMN public.delayed_jobs.priority IS 'Higher runs first';
COMMENT ON COLUMN public.delayed_jobs.run_at IS 'Not before this time';
COMMENT ON COLUMN public.delayed_jobs.version IS 'Optimistic locking version';
COMMENT ON TABLE public.delayed_jobs IS 'Queue of asynchronous jobs';
COMMENT ON COLUMN public.page_views.user_id IS 'Null for guests';
COMMENT ON COLUMN public.page_views.version IS 'Optimistic locking version';
COMMENT ON TABLE public.page_views IS 'One row per page view, for analytics';
COMMIT;
