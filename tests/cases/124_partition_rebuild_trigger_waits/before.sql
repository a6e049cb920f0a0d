CREATE TABLE insert_count (n integer NOT NULL);
INSERT INTO insert_count VALUES (0);
CREATE FUNCTION count_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE insert_count SET n = n + 1; RETURN NULL; END $$;
CREATE TABLE payments (
    id bigint NOT NULL,
    paid date NOT NULL,
    amount numeric(10,2) NOT NULL,
    PRIMARY KEY (id, paid)
);
CREATE TRIGGER payments_counted AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION count_insert();
INSERT INTO payments VALUES (1, '2026-01-05', 10.50), (2, '2026-02-06', 20.00);
