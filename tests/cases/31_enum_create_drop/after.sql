CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE tickets (
    id bigint PRIMARY KEY,
    title text NOT NULL
);
