CREATE TABLE accounts (id integer PRIMARY KEY, tenant integer NOT NULL, active boolean NOT NULL DEFAULT true);
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON accounts USING (tenant = current_setting('app.tenant', true)::integer);
CREATE POLICY only_active ON accounts AS PERMISSIVE FOR SELECT USING (active);
