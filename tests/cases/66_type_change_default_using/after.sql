CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TYPE item_status AS ENUM ('open', 'closed');
CREATE TYPE feeling AS ENUM ('sad', 'happy', 'calm');
CREATE TABLE items (
    id bigint PRIMARY KEY,
    code integer NOT NULL,
    stamp timestamp,
    status item_status NOT NULL DEFAULT 'open',
    feeling feeling
);
