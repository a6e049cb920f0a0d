CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL);
CREATE FUNCTION account_owner(p_id bigint) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp SET work_mem = '8MB'
  AS $$ SELECT owner FROM accounts WHERE id = p_id $$;
CREATE FUNCTION normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 5
  AS $$ SELECT lower(trim(e)) $$;
