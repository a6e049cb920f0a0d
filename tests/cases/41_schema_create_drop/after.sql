CREATE TABLE users (
    id bigint PRIMARY KEY
);
CREATE SCHEMA reporting;
CREATE TYPE reporting.period AS ENUM ('day', 'week', 'month');
CREATE SEQUENCE reporting.batch_ids;
CREATE TABLE reporting.totals (
    id bigint PRIMARY KEY DEFAULT nextval('reporting.batch_ids'),
    period reporting.period NOT NULL,
    user_id bigint REFERENCES public.users (id)
);
