-- Dependency ordering: objects whose dependencies sort later alphabetically (schemas, enums, sequences, referenced tables), same names across schemas.
CREATE SCHEMA zeta;
CREATE SCHEMA alpha;
CREATE SCHEMA "Zeta";

CREATE TYPE zeta.kind AS ENUM ('x', 'y');
CREATE SEQUENCE zeta.shared_seq;

CREATE TABLE zeta.z_last (
    id integer PRIMARY KEY,
    code text NOT NULL UNIQUE
);

CREATE TABLE alpha.a_first (
    id integer PRIMARY KEY DEFAULT nextval('zeta.shared_seq'),
    z_id integer NOT NULL REFERENCES zeta.z_last (id),
    z_code text REFERENCES zeta.z_last (code) ON UPDATE CASCADE,
    kind zeta.kind NOT NULL DEFAULT 'y',
    kinds zeta.kind[]
);

CREATE TABLE "Zeta".z_last (
    id integer PRIMARY KEY REFERENCES alpha.a_first
);

CREATE TABLE public.aaa (
    id integer PRIMARY KEY,
    mmm_id integer,
    zzz_id integer
);

CREATE TABLE public.zzz (
    id integer PRIMARY KEY,
    aaa_id integer REFERENCES public.aaa
);

CREATE TABLE public.mmm (
    id integer PRIMARY KEY,
    zzz_id integer REFERENCES public.zzz,
    alpha_id integer REFERENCES alpha.a_first
);

ALTER TABLE public.aaa ADD FOREIGN KEY (mmm_id) REFERENCES public.mmm;
ALTER TABLE public.aaa ADD FOREIGN KEY (zzz_id) REFERENCES public.zzz;

-- same index and constraint names in different schemas
CREATE INDEX same_name_idx ON alpha.a_first (z_id);
CREATE INDEX same_name_idx ON zeta.z_last (code);
CREATE INDEX same_name_idx ON public.aaa (mmm_id);

CREATE TABLE alpha.shared (id integer, CONSTRAINT shared_pk PRIMARY KEY (id), CONSTRAINT positive CHECK (id > 0));
CREATE TABLE zeta.shared (id integer, CONSTRAINT shared_pk PRIMARY KEY (id), CONSTRAINT positive CHECK (id > 0));

-- same constraint name on two tables in one schema (allowed for CHECK)
CREATE TABLE public.c1 (v integer CONSTRAINT v_positive CHECK (v > 0));
CREATE TABLE public.c2 (v integer CONSTRAINT v_positive CHECK (v > 0));

-- a schema named like a table and a table named like a schema
CREATE SCHEMA aaa;
CREATE TABLE aaa.aaa (id integer PRIMARY KEY REFERENCES public.aaa);
CREATE TABLE public.alpha (id integer PRIMARY KEY REFERENCES alpha.a_first);

-- an empty schema with only a comment
CREATE SCHEMA empty_schema;
COMMENT ON SCHEMA empty_schema IS 'Intentionally empty';
