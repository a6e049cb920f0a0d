-- Basic tables: primary keys, NOT NULL, simple literal defaults, a table without a primary key, an empty table.
CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL,
    bio text,
    active boolean NOT NULL DEFAULT true
);

CREATE TABLE books (
    id bigint NOT NULL,
    author_id integer NOT NULL,
    title varchar(200) NOT NULL,
    pages smallint DEFAULT 0,
    price numeric(8,2) DEFAULT 9.99,
    CONSTRAINT books_pkey PRIMARY KEY (id)
);

CREATE TABLE event_log (
    happened_at timestamp without time zone,
    message text
);

CREATE TABLE empty_table ();

CREATE TABLE settings (
    key text PRIMARY KEY,
    value text NOT NULL DEFAULT '',
    ratio double precision DEFAULT 0.5,
    retries integer DEFAULT -1
);
