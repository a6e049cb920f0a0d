DO $$ BEGIN
    IF (SELECT count(*) FROM events) <> 2 OR (SELECT count(*) FROM cache_entries) <> 1 THEN
        RAISE EXCEPTION 'rows lost';
    END IF;
    IF (SELECT relpersistence FROM pg_class WHERE relname = 'events') <> 'p'
       OR (SELECT relpersistence FROM pg_class WHERE relname = 'cache_entries') <> 'u'
       OR (SELECT relpersistence FROM pg_class WHERE relname = 'sessions') <> 'u' THEN
        RAISE EXCEPTION 'wrong persistence';
    END IF;
    IF (SELECT convalidated FROM pg_constraint WHERE conname = 'events_amount_positive') THEN
        RAISE EXCEPTION 'the NOT VALID check was validated';
    END IF;
END $$;
