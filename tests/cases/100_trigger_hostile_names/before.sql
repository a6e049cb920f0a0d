-- triggers with names, transition tables, conditions and arguments that look like the text around them
CREATE SCHEMA "we ird";
CREATE TABLE "we ird"."T ""1""" (id bigint PRIMARY KEY, "FOR EACH ROW WHEN (" text);
