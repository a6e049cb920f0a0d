-- enum value rename via schema.toml renamed_from (ALTER TYPE ... RENAME VALUE), keeping the rows that hold it
CREATE TYPE ticket_state AS ENUM ('open', 'doing', 'closed');
CREATE TABLE tickets (
    id bigint PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'open'
);
INSERT INTO tickets VALUES (1, 'doing'), (2, 'closed');
