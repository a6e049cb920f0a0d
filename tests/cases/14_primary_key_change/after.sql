CREATE TABLE memberships (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    group_id bigint NOT NULL,
    PRIMARY KEY (user_id, group_id)
);
CREATE TABLE countries (
    id integer NOT NULL,
    code char(2) NOT NULL,
    CONSTRAINT countries_pk PRIMARY KEY (code)
);
