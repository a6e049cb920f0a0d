CREATE TABLE account (id int PRIMARY KEY);
-- A column of another table's row type: that table ("shape", which sorts after "drawing") is created first.
CREATE TABLE shape (id int PRIMARY KEY, label text);
CREATE TABLE drawing (id int PRIMARY KEY, outline shape, history shape[]);
