CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE VIEW user_list AS SELECT id, email, name FROM users;
CREATE VIEW user_names AS SELECT id, name FROM user_list;
INSERT INTO users VALUES (1, 'a@example.com', 'A');
