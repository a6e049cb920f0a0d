-- column rename via schema.toml renamed_from, keeping rows; a named index, a named check and a named foreign key on the renamed columns follow
CREATE TABLE orgs (
    id bigint PRIMARY KEY
);
CREATE TABLE people (
    id bigint PRIMARY KEY,
    last_name text NOT NULL,
    org bigint,
    CONSTRAINT people_name_nonempty CHECK (length(last_name) > 0),
    CONSTRAINT people_org_fk FOREIGN KEY (org) REFERENCES orgs (id)
);
CREATE INDEX people_name_idx ON people (last_name);
INSERT INTO orgs VALUES (1);
INSERT INTO people VALUES (1, 'Smith', 1), (2, 'Jones', NULL);
