CREATE TABLE people (
    id bigint PRIMARY KEY,
    email text CONSTRAINT people_email_required NOT NULL,
    name text NOT NULL,
    nickname text CONSTRAINT nickname_present NOT NULL,
    city text
);
INSERT INTO people VALUES (1, 'a@example.com', 'A', 'a', 'X');
