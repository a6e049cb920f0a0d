CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    priority integer DEFAULT 5,
    state text NOT NULL DEFAULT 'open',
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP,
    retries integer
);
