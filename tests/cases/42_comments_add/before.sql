-- comments added on a schema, table, column, index, primary key, unique, check and foreign key constraints, enum and sequence (with quotes, newline and unicode)
CREATE SCHEMA crm;
CREATE TYPE crm.stage AS ENUM ('lead', 'customer');
CREATE SEQUENCE crm.ticket_numbers;
CREATE TABLE crm.teams (
    id bigint PRIMARY KEY
);
CREATE TABLE crm.contacts (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    stage crm.stage NOT NULL DEFAULT 'lead',
    score integer CONSTRAINT contacts_score_range CHECK (score BETWEEN 0 AND 100),
    team_id bigint REFERENCES crm.teams (id)
);
CREATE INDEX ON crm.contacts (stage, score DESC);
