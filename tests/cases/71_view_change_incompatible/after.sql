-- a changed view whose columns change type and order: dropped and created again, with the view on it
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE VIEW user_list AS SELECT id::text AS id, name, email FROM users;
CREATE VIEW user_names AS SELECT id, name FROM user_list;
