CREATE TABLE insert_count (n integer NOT NULL);
INSERT INTO insert_count VALUES (0);
CREATE FUNCTION count_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE insert_count SET n = n + 1; RETURN NULL; END $$;
CREATE TABLE payments (
    id bigint NOT NULL,
    paid date NOT NULL,
    amount numeric(10,2) NOT NULL,
    PRIMARY KEY (id, paid)
) PARTITION BY RANGE (paid);
CREATE TABLE payments_2026 PARTITION OF payments FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TRIGGER payments_counted AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION count_insert();
