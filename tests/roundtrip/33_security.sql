-- Row-level security: enabled and forced tables, permissive and restrictive policies for each command,
-- named roles and PUBLIC, policies calling a function and reading another table, comments, hostile names.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rt_app_user') THEN CREATE ROLE rt_app_user NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rt "Odd"; role') THEN CREATE ROLE "rt ""Odd""; role" NOLOGIN; END IF;
END $$;
CREATE TABLE tenants (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE members (tenant integer NOT NULL REFERENCES tenants, who text NOT NULL, PRIMARY KEY (tenant, who));
CREATE FUNCTION current_tenant() RETURNS integer LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant', true), '')::integer $$;
CREATE TABLE documents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant integer NOT NULL REFERENCES tenants,
    owner text NOT NULL DEFAULT current_user,
    published boolean NOT NULL DEFAULT false
);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON documents AS RESTRICTIVE USING (tenant = current_tenant()) WITH CHECK (tenant = current_tenant());
CREATE POLICY read_published ON documents FOR SELECT TO rt_app_user, pg_monitor USING (published OR owner = current_user);
CREATE POLICY insert_own ON documents FOR INSERT TO rt_app_user WITH CHECK (owner = current_user);
CREATE POLICY update_own ON documents FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user AND NOT published);
CREATE POLICY delete_members ON documents FOR DELETE USING (EXISTS (SELECT 1 FROM members m WHERE m.tenant = documents.tenant AND m.who = current_user));
COMMENT ON POLICY update_own ON documents IS 'owners edit drafts';
CREATE POLICY "see ""own""; tenant" ON tenants FOR SELECT TO "rt ""Odd""; role" USING (id = current_tenant() AND name <> ');--');
