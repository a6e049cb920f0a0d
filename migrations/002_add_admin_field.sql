-- // add admin field
-- Migration SQL that makes the change goes here.

ALTER TABLE calendar_users ADD COLUMN is_admin BOOLEAN NOT NULL DEFAULT false;
COMMENT ON COLUMN calendar_users.is_admin IS 'Grants access to the admin pages';

-- //@UNDO
-- SQL to undo the change goes here.

ALTER TABLE calendar_users DROP COLUMN is_admin;
