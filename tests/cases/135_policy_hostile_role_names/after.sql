-- hostile policy, role and table names; a string holding `);--`
CREATE TABLE "Tab; Le" (id integer PRIMARY KEY, "we""ird" text);
ALTER TABLE "Tab; Le" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "old ""p""" ON "Tab; Le" TO "Role ""Quoted""; DROP", "rôle 135" USING ("we""ird" <> ');--' AND id > 0);
CREATE POLICY "new; DROP TABLE x; --" ON "Tab; Le" FOR UPDATE TO "Role ""Quoted""; DROP" USING (true) WITH CHECK ("we""ird" = $q$)$q$);
