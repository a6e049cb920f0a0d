-- // alter books table
ALTER TABLE public.books ADD COLUMN author_id bigint;
ALTER TABLE public.books ALTER COLUMN title TYPE character varying(500);
CREATE INDEX books_author_id_idx ON public.books (author_id);
ALTER TABLE public.books ADD CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id);

-- //@UNDO
ALTER TABLE public.books DROP CONSTRAINT books_author_id_fkey;
DROP INDEX public.books_author_id_idx;
ALTER TABLE public.books ALTER COLUMN title TYPE character varying(200) USING title::character varying(200);
ALTER TABLE public.books DROP COLUMN author_id;
