-- dependency order: new tables whose foreign keys reference new tables whose names sort later (a -> m -> z chain, and a composite key)
CREATE TABLE existing (
    id bigint PRIMARY KEY
);
