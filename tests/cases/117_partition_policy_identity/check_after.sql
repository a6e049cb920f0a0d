INSERT INTO tickets (tenant, opened) VALUES (1, '2026-05-01');
