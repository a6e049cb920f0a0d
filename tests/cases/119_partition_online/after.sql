CREATE TABLE visits (at date NOT NULL, page text NOT NULL, ms integer) PARTITION BY RANGE (at);
CREATE TABLE visits_2026 PARTITION OF visits (CONSTRAINT visits_2026_ms_positive CHECK (ms > 0))
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX visits_2026_page_idx ON visits_2026 (page);
CREATE TABLE visits_2027 PARTITION OF visits FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
