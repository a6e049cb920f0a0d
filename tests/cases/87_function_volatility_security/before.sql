-- volatility, strictness, parallel safety, cost and SECURITY DEFINER with a pinned search_path
CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL);
CREATE FUNCTION account_owner(p_id bigint) RETURNS text LANGUAGE sql AS $$ SELECT owner FROM accounts WHERE id = p_id $$;
CREATE FUNCTION normalize_email(e text) RETURNS text LANGUAGE sql AS $$ SELECT lower(trim(e)) $$;
