-- PostgreSQL 18 keeps NOT NULL as named constraints: a name changed, a default name made explicit, an explicit
-- name back to the default, a new NOT NULL with a name, and a new column with one. Earlier majors keep no
-- name: the same schemas plan only the NOT NULL added and the column.
CREATE TABLE people (
    id bigint PRIMARY KEY,
    email text CONSTRAINT email_is_required NOT NULL,
    name text CONSTRAINT name_is_required NOT NULL,
    nickname text NOT NULL,
    city text CONSTRAINT city_is_required NOT NULL,
    country text CONSTRAINT country_is_required NOT NULL DEFAULT 'FR'
);
