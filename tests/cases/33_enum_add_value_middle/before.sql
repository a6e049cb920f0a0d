-- enum ADD VALUE in the middle and at the start (BEFORE/AFTER), type used by a column
CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    priority priority NOT NULL
);
