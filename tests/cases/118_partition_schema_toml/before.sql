CREATE TABLE events (
    id bigserial,
    at timestamptz NOT NULL,
    kind text NOT NULL,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE events_2026_10 PARTITION OF events FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00');
INSERT INTO events (at, kind) VALUES ('2026-10-05', 'click');
