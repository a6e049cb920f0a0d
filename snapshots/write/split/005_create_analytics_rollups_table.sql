-- // create analytics_rollups table
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
CREATE INDEX analytics_rollups_metric_name_period_start_dimension_key_idx ON public.analytics_rollups (metric_name, period_start, dimension_key);
CREATE INDEX analytics_rollups_period_start_period_end_idx ON public.analytics_rollups (period_start, period_end);
COMMENT ON COLUMN public.analytics_rollups.dimension_key IS 'What the metric is broken down by, e.g. template_id';
COMMENT ON COLUMN public.analytics_rollups.period_end IS 'Exclusive end of the period';
COMMENT ON COLUMN public.analytics_rollups.version IS 'Optimistic locking version';
COMMENT ON TABLE public.analytics_rollups IS 'Aggregated metrics per period and dimension';

-- //@UNDO
DROP TABLE public.analytics_rollups;
