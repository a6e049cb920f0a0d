-- expect: round trip
-- CREATE TYPE ... AS ENUM: empty, one label, labels with quotes, spaces and non-ASCII, in another schema.
CREATE SCHEMA billing;
CREATE TYPE nothing_yet AS ENUM ();
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE billing."Odd Labels" AS ENUM ('it''s', 'two words', 'été', '');
CREATE TABLE moods (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'ok', history mood[], o billing."Odd Labels");
