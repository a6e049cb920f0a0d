-- Foreign keys: every ON DELETE / ON UPDATE action, multi-column keys, references to UNIQUE constraints, DEFERRABLE variants, named and unnamed.
CREATE TABLE parents (
    id integer PRIMARY KEY,
    code text NOT NULL UNIQUE,
    region text NOT NULL,
    num integer NOT NULL,
    UNIQUE (region, num)
);

CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_default integer REFERENCES parents,
    parent_cascade integer REFERENCES parents (id) ON DELETE CASCADE,
    parent_set_null integer REFERENCES parents (id) ON DELETE SET NULL,
    parent_set_default integer DEFAULT 0 REFERENCES parents (id) ON DELETE SET DEFAULT,
    parent_restrict integer REFERENCES parents (id) ON DELETE RESTRICT,
    parent_no_action integer REFERENCES parents (id) ON DELETE NO ACTION,
    parent_code text REFERENCES parents (code) ON UPDATE CASCADE ON DELETE CASCADE,
    upd_set_null text REFERENCES parents (code) ON UPDATE SET NULL,
    upd_set_default text DEFAULT 'none' REFERENCES parents (code) ON UPDATE SET DEFAULT ON DELETE SET DEFAULT,
    upd_restrict text REFERENCES parents (code) ON UPDATE RESTRICT ON DELETE RESTRICT,
    region text,
    num integer,
    CONSTRAINT children_region_num_fkey FOREIGN KEY (region, num) REFERENCES parents (region, num) ON UPDATE CASCADE ON DELETE SET NULL
);

CREATE TABLE deferred_children (
    id integer PRIMARY KEY,
    a integer,
    b integer,
    c integer,
    d text,
    CONSTRAINT fk_deferred FOREIGN KEY (a) REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT fk_deferrable FOREIGN KEY (b) REFERENCES parents (id) DEFERRABLE,
    CONSTRAINT fk_immediate FOREIGN KEY (c) REFERENCES parents (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT fk_not_deferrable FOREIGN KEY (d) REFERENCES parents (code) NOT DEFERRABLE
);

CREATE TABLE order_headers (
    shop_id integer NOT NULL,
    order_no integer NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, order_no)
);

CREATE TABLE order_lines (
    shop_id integer NOT NULL,
    order_no integer NOT NULL,
    line_no integer NOT NULL,
    sku text NOT NULL,
    PRIMARY KEY (shop_id, order_no, line_no),
    FOREIGN KEY (shop_id, order_no) REFERENCES order_headers (shop_id, order_no) ON DELETE CASCADE ON UPDATE CASCADE
);

-- key columns listed in a different order than the referenced primary key
CREATE TABLE order_notes (
    id serial PRIMARY KEY,
    o_no integer NOT NULL,
    s_id integer NOT NULL,
    note text,
    CONSTRAINT order_notes_order_fkey FOREIGN KEY (s_id, o_no) REFERENCES order_headers (shop_id, order_no)
);

ALTER TABLE order_notes ADD CONSTRAINT order_notes_line_fkey
    FOREIGN KEY (s_id, o_no, id) REFERENCES order_lines (shop_id, order_no, line_no) ON DELETE RESTRICT;

COMMENT ON CONSTRAINT fk_deferred ON deferred_children IS 'Checked at commit time';
