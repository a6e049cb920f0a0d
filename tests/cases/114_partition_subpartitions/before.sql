CREATE TABLE readings (
    sensor integer NOT NULL,
    at date NOT NULL,
    value numeric
) PARTITION BY RANGE (at);
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (sensor);
CREATE TABLE readings_2026_a PARTITION OF readings_2026 FOR VALUES IN (1, 2);
CREATE TABLE readings_2026_b PARTITION OF readings_2026 FOR VALUES IN (3);
INSERT INTO readings VALUES (1, '2026-05-01', 3), (3, '2026-06-01', 4);
