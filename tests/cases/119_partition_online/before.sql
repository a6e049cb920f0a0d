CREATE TABLE visits (at date NOT NULL, page text NOT NULL, ms integer) PARTITION BY RANGE (at);
CREATE TABLE visits_2026 PARTITION OF visits FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO visits VALUES ('2026-02-01', '/', 10), ('2026-03-01', '/a', 20);
