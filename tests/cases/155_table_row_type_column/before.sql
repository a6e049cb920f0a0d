CREATE TABLE account (id int PRIMARY KEY);
