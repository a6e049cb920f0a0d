-- range types created before the columns of them (a subtype_diff function, a collation, an operator class,
-- an enum subtype, a comment), and one dropped after its column
CREATE TYPE level AS ENUM ('low', 'mid', 'high');
CREATE TYPE float_range AS RANGE (subtype = float8, subtype_diff = float8mi);
COMMENT ON TYPE float_range IS 'temperatures';
CREATE TYPE c_text_range AS RANGE (subtype = text, collation = "C");
CREATE TYPE pattern_range AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);
CREATE TYPE level_range AS RANGE (subtype = level);
CREATE TABLE rooms (id integer PRIMARY KEY, temps float_range, names c_text_range, codes pattern_range[],
                    levels level_range);
