-- Replica identity: default -> using an index, full -> nothing, nothing -> default, an index identity whose
-- index is made anew (set again after it), and a new table using its primary key's index.
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
ALTER TABLE accounts REPLICA IDENTITY USING INDEX accounts_email_key;
CREATE TABLE events (
    id bigint NOT NULL,
    kind text
);
ALTER TABLE events REPLICA IDENTITY NOTHING;
CREATE TABLE logs (
    id bigint PRIMARY KEY,
    line text
);
CREATE TABLE tokens (
    id bigint PRIMARY KEY,
    token text NOT NULL
);
CREATE UNIQUE INDEX tokens_token_key ON tokens (token) INCLUDE (id);
ALTER TABLE tokens REPLICA IDENTITY USING INDEX tokens_token_key;
CREATE TABLE sessions (
    id bigint PRIMARY KEY
);
ALTER TABLE sessions REPLICA IDENTITY USING INDEX sessions_pkey;
