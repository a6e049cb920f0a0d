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
COMMENT ON SCHEMA crm IS 'Customer relationship data';
COMMENT ON TYPE crm.stage IS 'Where a contact is in the funnel';
COMMENT ON SEQUENCE crm.ticket_numbers IS 'Numbers shown to customers';
COMMENT ON TABLE crm.contacts IS 'People we talk to';
COMMENT ON COLUMN crm.contacts.email IS 'Lower case, it''s checked by the app';
COMMENT ON COLUMN crm.contacts.score IS E'Two lines:\nfirst and second — with an em dash';
COMMENT ON INDEX crm.contacts_stage_score_idx IS 'The funnel view';
COMMENT ON CONSTRAINT contacts_pkey ON crm.contacts IS 'Never reused';
COMMENT ON CONSTRAINT contacts_email_key ON crm.contacts IS 'One contact per address';
COMMENT ON CONSTRAINT contacts_score_range ON crm.contacts IS 'A percentage';
COMMENT ON CONSTRAINT contacts_team_id_fkey ON crm.contacts IS 'The team that owns the contact';
