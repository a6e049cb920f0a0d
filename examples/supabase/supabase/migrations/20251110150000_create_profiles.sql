-- Profiles, one per signed-in user, readable and editable by their owner only.

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;

-- Supabase provides the auth schema and auth.uid(); this stand-in (the same definition) lets the example run on
-- plain PostgreSQL.
CREATE SCHEMA IF NOT EXISTS auth;

CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid
$$;

CREATE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TABLE public.profiles (
    id uuid PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    display_name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE public.profiles IS 'one row per user of auth.users';

CREATE TRIGGER profiles_set_updated_at BEFORE UPDATE ON public.profiles
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;

CREATE POLICY profiles_select_own ON public.profiles FOR SELECT TO authenticated
    USING (auth.uid() = id);

CREATE POLICY profiles_update_own ON public.profiles FOR UPDATE TO authenticated
    USING (auth.uid() = id) WITH CHECK (auth.uid() = id);

-- Called by the app right after sign-up: creates the caller's profile. SECURITY DEFINER so that it can insert
-- before any policy lets the user do so; the search_path is pinned so that nobody can swap what it calls.
CREATE FUNCTION public.create_profile(p_email citext, p_display_name text DEFAULT NULL)
    RETURNS public.profiles
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ''
    AS $$
DECLARE
  created public.profiles;
BEGIN
  INSERT INTO public.profiles (id, email, display_name)
  VALUES (auth.uid(), p_email, p_display_name)
  RETURNING * INTO created;
  RETURN created;
END;
$$;

-- What the app's signed-in users may do; the policies above decide which rows.
GRANT USAGE ON SCHEMA auth TO authenticated;
GRANT SELECT, UPDATE ON public.profiles TO authenticated;
REVOKE EXECUTE ON FUNCTION public.create_profile(citext, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.create_profile(citext, text) TO authenticated;
