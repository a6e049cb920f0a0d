-- Sequences: AS smallint/integer/bigint, INCREMENT, MIN/MAXVALUE, START, CACHE, CYCLE, descending, OWNED BY, serial/bigserial, nextval defaults, comments.
CREATE SEQUENCE plain_seq;

CREATE SEQUENCE small_seq AS smallint INCREMENT BY 5 MINVALUE 10 MAXVALUE 30000 START WITH 100 CACHE 20 CYCLE;

CREATE SEQUENCE int_seq AS integer START 1000;

CREATE SEQUENCE big_seq AS bigint INCREMENT 10 NO MINVALUE NO MAXVALUE START 1 CACHE 1 NO CYCLE;

CREATE SEQUENCE countdown_seq AS integer INCREMENT BY -1 MINVALUE -1000 MAXVALUE -1 START WITH -1;

CREATE SEQUENCE invoice_number_seq AS bigint MINVALUE 100000 MAXVALUE 999999 START 100000 CYCLE;

COMMENT ON SEQUENCE invoice_number_seq IS 'Six-digit invoice numbers; wraps around';

CREATE TABLE invoices (
    id bigserial PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('invoice_number_seq'),
    line_count integer DEFAULT nextval('int_seq'::regclass),
    small_code smallint DEFAULT nextval('small_seq')
);

ALTER SEQUENCE invoice_number_seq OWNED BY invoices.number;

CREATE TABLE tickets (
    id serial PRIMARY KEY,
    code smallserial,
    rank integer
);

CREATE SEQUENCE ticket_rank_seq AS integer INCREMENT BY 2 START 3 OWNED BY tickets.rank;

COMMENT ON SEQUENCE tickets_id_seq IS 'Serial sequence of tickets.id';

CREATE SCHEMA counters;

CREATE SEQUENCE counters.global_seq AS bigint START 500 CACHE 50;

COMMENT ON SEQUENCE counters.global_seq IS 'Shared counter used by "counters".things';

CREATE TABLE counters.things (
    id bigint PRIMARY KEY DEFAULT nextval('counters.global_seq'),
    other_id bigint DEFAULT nextval('plain_seq')
);
