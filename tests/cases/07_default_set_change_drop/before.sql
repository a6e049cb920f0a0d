-- column default: set where there was none, change a literal and a function default, drop one
CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    priority integer,
    state text NOT NULL DEFAULT 'new',
    created_at timestamptz DEFAULT now(),
    retries integer DEFAULT 3
);
