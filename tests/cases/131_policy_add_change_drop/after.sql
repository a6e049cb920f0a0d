-- each clause changes: USING, WITH CHECK, roles (ALTER POLICY); command, a lost WITH CHECK (drop + create);
-- a policy dropped, one added, a comment changed
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL DEFAULT current_user, public boolean NOT NULL DEFAULT false);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own ON docs FOR SELECT USING (owner = current_user OR public);
CREATE POLICY insert_own ON docs FOR INSERT WITH CHECK (owner = session_user);
CREATE POLICY update_own ON docs FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user AND NOT public);
CREATE POLICY to_roles ON docs FOR SELECT TO pg_signal_backend, pg_monitor USING (public);
CREATE POLICY command_changes ON docs FOR UPDATE USING (true);
CREATE POLICY loses_check ON docs USING (owner = current_user);
CREATE POLICY commented ON docs FOR SELECT USING (id > 0);
COMMENT ON POLICY commented ON docs IS 'after';
CREATE POLICY added ON docs FOR DELETE USING (owner = current_user AND id > 100);
