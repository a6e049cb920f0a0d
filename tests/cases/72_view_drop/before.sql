CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE VIEW user_emails AS SELECT id, email FROM users;
CREATE VIEW user_ids AS SELECT id FROM user_emails;
INSERT INTO users VALUES (1, 'a@example.com');
