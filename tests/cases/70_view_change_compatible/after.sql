-- a changed view whose old columns come first: replaced in place, its dependent view untouched
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, active boolean NOT NULL DEFAULT true);
CREATE VIEW active_users AS SELECT id, email, name FROM users WHERE active AND email <> '';
CREATE VIEW user_emails AS SELECT id, email FROM active_users;
