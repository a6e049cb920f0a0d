-- RLS enabled and forced, disabled (a refused hazard), forced only; a new table with RLS
CREATE TABLE open_t (id integer PRIMARY KEY);
ALTER TABLE open_t ENABLE ROW LEVEL SECURITY;
ALTER TABLE open_t FORCE ROW LEVEL SECURITY;
CREATE TABLE closed_t (id integer PRIMARY KEY);
CREATE TABLE half_t (id integer PRIMARY KEY);
ALTER TABLE half_t ENABLE ROW LEVEL SECURITY;
ALTER TABLE half_t FORCE ROW LEVEL SECURITY;
CREATE TABLE new_t (id integer PRIMARY KEY);
ALTER TABLE new_t ENABLE ROW LEVEL SECURITY;
