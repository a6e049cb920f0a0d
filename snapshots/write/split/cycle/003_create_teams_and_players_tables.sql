-- // create teams and players tables
-- public.teams and public.players reference each other through foreign keys, so no one of them can come first: they share this migration.

CREATE TABLE public.players (
    id bigint NOT NULL,
    team_id bigint NOT NULL,
    club_id bigint,
    role role DEFAULT 'player'::role NOT NULL,
    CONSTRAINT players_pkey PRIMARY KEY (id)
);
CREATE TABLE public.teams (
    id bigint NOT NULL,
    captain_id bigint,
    CONSTRAINT teams_pkey PRIMARY KEY (id)
);
ALTER TABLE public.players ADD CONSTRAINT players_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs (id);
ALTER TABLE public.players ADD CONSTRAINT players_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams (id);
ALTER TABLE public.teams ADD CONSTRAINT teams_captain_id_fkey FOREIGN KEY (captain_id) REFERENCES public.players (id);

-- //@UNDO
ALTER TABLE public.players DROP CONSTRAINT players_club_id_fkey;
ALTER TABLE public.players DROP CONSTRAINT players_team_id_fkey;
ALTER TABLE public.teams DROP CONSTRAINT teams_captain_id_fkey;
DROP TABLE public.players;
DROP TABLE public.teams;
