CREATE EXTENSION citext;
CREATE EXTENSION "uuid-ossp";
CREATE TABLE profiles (
    id bigint PRIMARY KEY,
    email citext,
    public_id uuid NOT NULL DEFAULT uuid_generate_v4()
);
