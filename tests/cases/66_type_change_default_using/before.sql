-- type changes without an implicit cast get a default USING (through text where no cast exists), with the
-- hazard "may fail on existing data": text -> integer, bigint -> timestamp, text -> enum, enum -> another enum;
-- a written using would win (case 06). The rollback casts back; timestamp -> bigint has no cast back, so that
-- rollback step is marked as needing a hand-written step.
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE items (
    id bigint PRIMARY KEY,
    code text NOT NULL,
    stamp bigint,
    status text NOT NULL DEFAULT 'open',
    feeling mood
);
INSERT INTO items VALUES (1, '42', 20240101, 'open', 'happy'), (2, '7', NULL, 'closed', 'sad');
