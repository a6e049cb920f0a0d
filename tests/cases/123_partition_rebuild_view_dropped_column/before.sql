CREATE TABLE visits (
    id bigint GENERATED ALWAYS AS IDENTITY,
    at date NOT NULL,
    page text NOT NULL,
    old_note text,
    PRIMARY KEY (id, at)
);
CREATE VIEW recent_visits AS SELECT id, at, page FROM visits WHERE at >= '2026-01-01';
INSERT INTO visits (at, page, old_note) VALUES ('2025-12-31', '/a', 'x'), ('2026-01-01', '/b', NULL), ('2026-02-01', '/c', 'y');
