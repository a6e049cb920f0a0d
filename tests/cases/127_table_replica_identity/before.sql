CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
CREATE TABLE events (
    id bigint NOT NULL,
    kind text
);
ALTER TABLE events REPLICA IDENTITY FULL;
CREATE TABLE logs (
    id bigint PRIMARY KEY,
    line text
);
ALTER TABLE logs REPLICA IDENTITY NOTHING;
CREATE TABLE tokens (
    id bigint PRIMARY KEY,
    token text NOT NULL
);
CREATE UNIQUE INDEX tokens_token_key ON tokens (token);
ALTER TABLE tokens REPLICA IDENTITY USING INDEX tokens_token_key;
