-- comments changed on some objects (schema, table, column, index, constraint, enum, sequence) and dropped from others
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
COMMENT ON SCHEMA crm IS 'CRM';
COMMENT ON TYPE crm.stage IS 'Funnel stage';
COMMENT ON TYPE crm.source IS 'Where the lead came from';
COMMENT ON SEQUENCE crm.ticket_numbers IS 'Ticket numbers';
COMMENT ON SEQUENCE crm.batch_numbers IS 'Batches';
COMMENT ON TABLE crm.contacts IS 'Contacts';
COMMENT ON COLUMN crm.contacts.email IS 'E-mail';
COMMENT ON COLUMN crm.contacts.note IS 'Free text';
COMMENT ON INDEX crm.contacts_score_idx IS 'Best first';
COMMENT ON INDEX crm.contacts_note_idx IS 'Search';
COMMENT ON CONSTRAINT contacts_score_range ON crm.contacts IS 'Percent';
COMMENT ON CONSTRAINT contacts_email_key ON crm.contacts IS 'Unique address';
CREATE SCHEMA archive;
COMMENT ON SCHEMA archive IS 'Old rows';
CREATE TABLE crm.notes (
    id bigint PRIMARY KEY
);
COMMENT ON TABLE crm.notes IS 'Notes about contacts';
COMMENT ON CONSTRAINT notes_pkey ON crm.notes IS 'Row id';
