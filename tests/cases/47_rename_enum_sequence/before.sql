-- enum type and sequence renames via schema.toml renamed_from, keeping the column that uses the type and the default that uses the sequence
CREATE TYPE issue_state AS ENUM ('open', 'closed');
CREATE SEQUENCE issue_numbers START WITH 100 MINVALUE 100;
CREATE TABLE issues (
    id bigint PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('issue_numbers'),
    state issue_state NOT NULL DEFAULT 'open'
);
INSERT INTO issues (id, state) VALUES (1, 'closed');
