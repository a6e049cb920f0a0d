-- Chat sessions and their messages. Messages are immutable: written once, never updated.

CREATE TYPE public.message_role AS ENUM ('user', 'assistant', 'system');

CREATE TABLE public.sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    profile_id uuid NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    title text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sessions_profile_id_idx ON public.sessions (profile_id);

CREATE TRIGGER sessions_set_updated_at BEFORE UPDATE ON public.sessions
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES public.sessions (id) ON DELETE CASCADE,
    role public.message_role NOT NULL,
    content text NOT NULL,
    "timestamp" timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX messages_session_id_idx ON public.messages (session_id);

CREATE FUNCTION public.forbid_message_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'messages are immutable (message %)', OLD.id;
END;
$$;

CREATE TRIGGER messages_immutable BEFORE UPDATE ON public.messages
    FOR EACH ROW EXECUTE FUNCTION public.forbid_message_update();

ALTER TABLE public.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.messages ENABLE ROW LEVEL SECURITY;

CREATE POLICY sessions_own ON public.sessions TO authenticated
    USING (profile_id = auth.uid()) WITH CHECK (profile_id = auth.uid());

CREATE POLICY messages_select_own ON public.messages FOR SELECT TO authenticated
    USING (EXISTS (SELECT 1 FROM public.sessions s WHERE s.id = session_id AND s.profile_id = auth.uid()));

CREATE POLICY messages_insert_own ON public.messages FOR INSERT TO authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM public.sessions s WHERE s.id = session_id AND s.profile_id = auth.uid()));

GRANT SELECT, INSERT, UPDATE, DELETE ON public.sessions TO authenticated;
GRANT SELECT, INSERT ON public.messages TO authenticated;
