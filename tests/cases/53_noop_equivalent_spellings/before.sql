-- no-op: before and after describe the same schema in different spellings (type aliases, default constraint names, IN vs = ANY, serial vs an owned sequence, explicit defaults and ASC, NO ACTION)
CREATE TABLE parents (
    id integer NOT NULL,
    code character varying(255) NOT NULL,
    CONSTRAINT parents_pkey PRIMARY KEY (id),
    CONSTRAINT parents_code_key UNIQUE (code)
);
CREATE SEQUENCE items_id_seq AS integer;
CREATE TABLE items (
    id integer NOT NULL DEFAULT nextval('items_id_seq'::regclass),
    parent_id integer,
    status text NOT NULL DEFAULT 'new'::text,
    price numeric(10,2) DEFAULT 0.00,
    active boolean NOT NULL DEFAULT true,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    label character(3),
    big int8,
    ratio double precision,
    CONSTRAINT items_pkey PRIMARY KEY (id),
    CONSTRAINT items_status_check CHECK (status = ANY (ARRAY['new'::text, 'done'::text])),
    CONSTRAINT items_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE NO ACTION ON UPDATE NO ACTION
);
ALTER SEQUENCE items_id_seq OWNED BY items.id;
CREATE INDEX items_parent_id_created_at_idx ON items USING btree (parent_id ASC, created_at DESC);
