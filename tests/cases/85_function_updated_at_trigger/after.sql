CREATE TABLE pages (id bigint PRIMARY KEY, title text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE page_views (id bigint PRIMARY KEY, page_id bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER pages_updated_at BEFORE UPDATE ON pages FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER page_views_updated_at BEFORE UPDATE ON page_views FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION set_updated_at();
COMMENT ON FUNCTION set_updated_at() IS 'keeps updated_at current';
COMMENT ON TRIGGER pages_updated_at ON pages IS 'touch';
