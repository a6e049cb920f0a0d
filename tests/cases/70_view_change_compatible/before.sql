CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, active boolean NOT NULL DEFAULT true);
CREATE VIEW active_users AS SELECT id, email FROM users WHERE active;
CREATE VIEW user_emails AS SELECT id, email FROM active_users;
INSERT INTO users VALUES (1, 'a@example.com', 'A', true);
