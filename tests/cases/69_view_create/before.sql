CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, last_login_at timestamptz);
INSERT INTO users VALUES (1, 'a@example.com', now());
