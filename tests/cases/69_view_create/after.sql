-- a new view on an existing table
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, last_login_at timestamptz);
CREATE VIEW active_users AS
  SELECT id, email FROM users WHERE last_login_at > now() - interval '30 days';
