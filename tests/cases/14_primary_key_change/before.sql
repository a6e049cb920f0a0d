-- primary key change: single column -> composite (default name), and a named key moved to another column
CREATE TABLE memberships (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    group_id bigint NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE countries (
    id integer NOT NULL,
    code char(2) NOT NULL,
    CONSTRAINT countries_pk PRIMARY KEY (id)
);
