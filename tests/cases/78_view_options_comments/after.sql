-- view options (security_barrier, check option, security_invoker) and comments set and changed in place
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, public boolean NOT NULL DEFAULT false);
CREATE VIEW public_docs WITH (security_barrier = true) AS SELECT id, owner, public FROM docs WHERE public
  WITH CASCADED CHECK OPTION;
CREATE VIEW my_docs WITH (security_invoker = true) AS SELECT id, owner FROM docs WHERE owner = current_user;
COMMENT ON VIEW my_docs IS 'Documents of the current role';
COMMENT ON VIEW public_docs IS 'Published documents';
