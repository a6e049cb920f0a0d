-- // create page_views table
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
CREATE INDEX page_views_path_created_idx ON public.page_views (path, created DESC);
CREATE INDEX page_views_session_id_created_idx ON public.page_views (session_id, created DESC);
CREATE INDEX page_views_user_id_created_idx ON public.page_views (user_id, created DESC);
ALTER TABLE public.page_views ADD CONSTRAINT page_views_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.calendar_users (id) ON DELETE SET NULL;
COMMENT ON COLUMN public.page_views.user_id IS 'Null for guests';
COMMENT ON COLUMN public.page_views.version IS 'Optimistic locking version';
COMMENT ON TABLE public.page_views IS 'One row per page view, for analytics';

-- //@UNDO
ALTER TABLE public.page_views DROP CONSTRAINT page_views_user_id_fkey;
DROP TABLE public.page_views;
