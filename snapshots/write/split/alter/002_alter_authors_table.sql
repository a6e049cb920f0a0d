-- // alter authors table
ALTER TABLE public.authors ADD COLUMN email text;
ALTER TABLE public.authors ADD CONSTRAINT authors_email_key UNIQUE (email);
COMMENT ON COLUMN public.authors.email IS 'Where reviews are sent';

-- //@UNDO
ALTER TABLE public.authors DROP CONSTRAINT authors_email_key;
ALTER TABLE public.authors DROP COLUMN email;
