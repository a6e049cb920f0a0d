CREATE TYPE priority AS ENUM ('trivial', 'low', 'medium', 'high', 'urgent');
CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    priority priority NOT NULL
);
