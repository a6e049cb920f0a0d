-- // create matches table
CREATE TABLE public.matches (
    id bigint NOT NULL,
    home_id bigint NOT NULL,
    CONSTRAINT matches_pkey PRIMARY KEY (id)
);
ALTER TABLE public.matches ADD CONSTRAINT matches_home_id_fkey FOREIGN KEY (home_id) REFERENCES public.teams (id);

-- //@UNDO
ALTER TABLE public.matches DROP CONSTRAINT matches_home_id_fkey;
DROP TABLE public.matches;
