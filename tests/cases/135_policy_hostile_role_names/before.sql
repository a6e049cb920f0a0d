DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'Role "Quoted"; DROP') THEN CREATE ROLE "Role ""Quoted""; DROP" NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rôle 135') THEN CREATE ROLE "rôle 135" NOLOGIN; END IF;
END $$;
CREATE TABLE "Tab; Le" (id integer PRIMARY KEY, "we""ird" text);
ALTER TABLE "Tab; Le" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "old ""p""" ON "Tab; Le" TO "rôle 135" USING ("we""ird" <> ');--');
