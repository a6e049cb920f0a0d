CREATE SCHEMA crm;
CREATE TYPE crm.stage AS ENUM ('lead', 'customer');
CREATE TYPE crm.source AS ENUM ('web', 'phone');
CREATE SEQUENCE crm.ticket_numbers;
CREATE SEQUENCE crm.batch_numbers;
CREATE TABLE crm.contacts (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    score integer CONSTRAINT contacts_score_range CHECK (score BETWEEN 0 AND 100),
    note text
);
CREATE INDEX contacts_score_idx ON crm.contacts (score);
CREATE INDEX contacts_note_idx ON crm.contacts (note);
COMMENT ON SCHEMA crm IS 'Customer relationship data';
COMMENT ON TYPE crm.stage IS 'Where a contact is in the funnel';
COMMENT ON SEQUENCE crm.ticket_numbers IS 'Numbers shown to customers';
COMMENT ON TABLE crm.contacts IS 'People we talk to';
COMMENT ON COLUMN crm.contacts.email IS 'Lower case';
COMMENT ON INDEX crm.contacts_score_idx IS 'Best contacts first';
COMMENT ON CONSTRAINT contacts_score_range ON crm.contacts IS 'A percentage';
CREATE SCHEMA archive;
CREATE TABLE crm.notes (
    id bigint PRIMARY KEY
);
