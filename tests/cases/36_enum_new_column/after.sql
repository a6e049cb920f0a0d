CREATE TYPE user_role AS ENUM ('guest', 'member', 'admin');
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    role user_role NOT NULL DEFAULT 'member'
);
CREATE TABLE invitations (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    role user_role NOT NULL,
    roles user_role[]
);
