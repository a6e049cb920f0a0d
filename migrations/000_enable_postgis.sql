-- // enable postgis
-- Migration SQL that makes the change goes here.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS postgis;

-- //@UNDO
-- SQL to undo the change goes here.

DROP EXTENSION IF EXISTS postgis;
DROP EXTENSION IF EXISTS "uuid-ossp";
