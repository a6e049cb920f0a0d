-- // create enum role
CREATE TYPE public.role AS ENUM ('player', 'coach');

-- //@UNDO
DROP TYPE public.role;
