-- realistic migration of the calendar app: before = migrations 000..002 (the part before -- //@UNDO of each), after = the repository schema.toml (new tables delayed_jobs, page_views, analytics_rollups)

-- from migrations/000_enable_postgis.sql
-- // enable postgis
-- Migration SQL that makes the change goes here.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS postgis;


-- from migrations/001_initial_schema.sql
-- // initial schema
-- Migration SQL that makes the change goes here.

CREATE TABLE calendar_users (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    email VARCHAR(255) NOT NULL UNIQUE,
    display_name VARCHAR(255),
    oauth_provider VARCHAR(50),
    oauth_subject VARCHAR(255),
    last_login_at TIMESTAMPTZ,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated TIMESTAMPTZ NOT NULL DEFAULT now(),
    version BIGINT NOT NULL DEFAULT 0,
    UNIQUE (oauth_provider, oauth_subject)
);

COMMENT ON TABLE calendar_users IS 'Registered users';
COMMENT ON COLUMN calendar_users.oauth_provider IS 'OAuth identity provider, e.g. google';
COMMENT ON COLUMN calendar_users.oauth_subject IS 'The user''s id at the OAuth provider';
COMMENT ON COLUMN calendar_users.version IS 'Optimistic locking version';

CREATE TABLE calendar_templates (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(255) NOT NULL UNIQUE,
    description TEXT,
    thumbnail_url VARCHAR(500),
    configuration JSONB NOT NULL,
    is_active BOOLEAN DEFAULT true,
    is_featured BOOLEAN DEFAULT false,
    display_order INTEGER,
    created_by UUID REFERENCES calendar_users(id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated TIMESTAMPTZ NOT NULL DEFAULT now(),
    version BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX ON calendar_templates (created_by);
CREATE INDEX ON calendar_templates (is_active, display_order);

COMMENT ON TABLE calendar_templates IS 'Printable calendar designs users start from';
COMMENT ON COLUMN calendar_templates.configuration IS 'Layout, fonts and colours of the design';
COMMENT ON COLUMN calendar_templates.is_active IS 'Inactive templates are hidden from the gallery';
COMMENT ON COLUMN calendar_templates.display_order IS 'Position in the gallery, lowest first';
COMMENT ON COLUMN calendar_templates.created_by IS 'The admin who created the template';
COMMENT ON COLUMN calendar_templates.version IS 'Optimistic locking version';

CREATE TABLE user_calendars (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID REFERENCES calendar_users(id) ON DELETE CASCADE,
    session_id VARCHAR(255),
    template_id UUID REFERENCES calendar_templates(id) ON DELETE SET NULL,
    name VARCHAR(255) NOT NULL,
    year INTEGER NOT NULL CHECK (year BETWEEN 1000 AND 9999),
    configuration JSONB,
    is_public BOOLEAN DEFAULT false,
    generated_pdf_url VARCHAR(500),
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated TIMESTAMPTZ NOT NULL DEFAULT now(),
    version BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX ON user_calendars (user_id);
CREATE INDEX ON user_calendars (session_id);
CREATE INDEX ON user_calendars (template_id);

COMMENT ON TABLE user_calendars IS 'A user''s calendar, built from a template';
COMMENT ON COLUMN user_calendars.user_id IS 'Null for calendars made by guests';
COMMENT ON COLUMN user_calendars.session_id IS 'The guest''s session, for calendars made by guests';
COMMENT ON COLUMN user_calendars.configuration IS 'The calendar''s settings; its events live here';
COMMENT ON COLUMN user_calendars.version IS 'Optimistic locking version';

CREATE TABLE calendar_orders (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES calendar_users(id) ON DELETE RESTRICT,
    calendar_id UUID NOT NULL REFERENCES user_calendars(id) ON DELETE RESTRICT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price DECIMAL(10,2) NOT NULL,
    total_price DECIMAL(10,2) NOT NULL,
    status VARCHAR(50) NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED')),
    shipping_address JSONB,
    stripe_payment_intent_id VARCHAR(255) UNIQUE,
    stripe_charge_id VARCHAR(255),
    paid_at TIMESTAMPTZ,
    shipped_at TIMESTAMPTZ,
    tracking_number VARCHAR(255),
    notes TEXT,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated TIMESTAMPTZ NOT NULL DEFAULT now(),
    version BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX ON calendar_orders (user_id);
CREATE INDEX ON calendar_orders (calendar_id);
CREATE INDEX ON calendar_orders (status, created DESC);

COMMENT ON TABLE calendar_orders IS 'Orders of printed calendars';
COMMENT ON COLUMN calendar_orders.total_price IS 'quantity * unit_price, plus shipping';
COMMENT ON COLUMN calendar_orders.stripe_payment_intent_id IS 'Stripe PaymentIntent that pays the order';
COMMENT ON COLUMN calendar_orders.tracking_number IS 'The carrier''s tracking number';
COMMENT ON COLUMN calendar_orders.version IS 'Optimistic locking version';


-- from migrations/002_add_admin_field.sql
-- // add admin field
-- Migration SQL that makes the change goes here.

ALTER TABLE calendar_users ADD COLUMN is_admin BOOLEAN NOT NULL DEFAULT false;
COMMENT ON COLUMN calendar_users.is_admin IS 'Grants access to the admin pages';

