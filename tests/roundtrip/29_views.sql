-- Views and materialized views: options, comments, views on views, a view in another schema reading an enum,
-- a materialized view with indexes, one without data, names that need quoting.
CREATE SCHEMA reporting;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, mood mood, score numeric(6,2));
CREATE VIEW happy_people WITH (security_barrier = true) AS
  SELECT id, name FROM people WHERE mood = 'happy'::mood;
COMMENT ON VIEW happy_people IS 'People in a good mood';
CREATE VIEW happy_names AS SELECT name FROM happy_people WHERE name <> '' WITH LOCAL CHECK OPTION;
CREATE VIEW reporting."Mood ""Counts""" AS
  SELECT mood, count(*) AS "how many" FROM people GROUP BY mood;
CREATE VIEW named_columns (person, label) AS SELECT id, upper(name) FROM people;
CREATE MATERIALIZED VIEW reporting.scores AS SELECT id, score FROM people WHERE score IS NOT NULL;
CREATE UNIQUE INDEX scores_id_idx ON reporting.scores (id);
CREATE INDEX scores_high ON reporting.scores (score DESC) WHERE score > 50;
COMMENT ON MATERIALIZED VIEW reporting.scores IS 'Scores, refreshed hourly';
CREATE MATERIALIZED VIEW later AS SELECT id FROM people WITH NO DATA;
