CREATE TABLE categories (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    parent_id bigint REFERENCES categories (id) ON DELETE CASCADE
);
CREATE TABLE comments (
    id bigint PRIMARY KEY,
    body text NOT NULL,
    reply_to bigint REFERENCES comments (id) ON DELETE SET NULL
);
