CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, public boolean NOT NULL DEFAULT false);
CREATE VIEW public_docs AS SELECT id, owner FROM docs WHERE public;
CREATE VIEW my_docs AS SELECT id, owner FROM docs WHERE owner = current_user;
COMMENT ON VIEW my_docs IS 'old comment';
INSERT INTO docs VALUES (1, 'alice', true);
