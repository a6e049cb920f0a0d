-- Comments on every supported object kind, with single/double quotes, backslashes, newlines, tabs, unicode, emoji and empty-ish text.
CREATE SCHEMA commented;

COMMENT ON SCHEMA commented IS 'Schema comment with ''quotes'' and "double quotes"';

CREATE TYPE commented.state AS ENUM ('on', 'off');

COMMENT ON TYPE commented.state IS E'Multi-line\ncomment\nwith three lines';

CREATE SEQUENCE commented.counter;

COMMENT ON SEQUENCE commented.counter IS 'Backslashes: C:\Program Files\app\ and \n (not a newline)';

CREATE TABLE commented.items (
    id integer PRIMARY KEY,
    state commented.state NOT NULL DEFAULT 'on',
    note text,
    amount numeric(10,2) CONSTRAINT amount_positive CHECK (amount > 0),
    code text UNIQUE
);

COMMENT ON TABLE commented.items IS 'Table comment:
  - spans lines (literal newline)
  - has a tab:	here
  - unicode: größe, 日本語, naïve café, emoji 🎉';

COMMENT ON COLUMN commented.items.id IS 'Primary identifier';
COMMENT ON COLUMN commented.items.state IS E'Escaped \\ backslash, \' quote, and \t tab';
COMMENT ON COLUMN commented.items.note IS '''Starts and ends with quotes''';
COMMENT ON COLUMN commented.items.amount IS '  leading and trailing spaces  ';
COMMENT ON COLUMN commented.items.code IS 'Looks like SQL: ''; DROP TABLE commented.items; --';

COMMENT ON CONSTRAINT items_pkey ON commented.items IS 'PK comment';
COMMENT ON CONSTRAINT amount_positive ON commented.items IS 'Check comment with % and _ wildcards';
COMMENT ON CONSTRAINT items_code_key ON commented.items IS 'Unique comment "quoted"';

CREATE INDEX items_note_idx ON commented.items (note);

COMMENT ON INDEX commented.items_note_idx IS E'Index comment ending with a newline\n';

CREATE TABLE plain (
    id integer PRIMARY KEY,
    x text
);

COMMENT ON TABLE plain IS 'x';
COMMENT ON COLUMN plain.x IS '$$dollar$$ quoted look-alike and $1 placeholder';
