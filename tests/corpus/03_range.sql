-- expect: round trip
-- CREATE TYPE ... AS RANGE: a subtype with an operator class and a collation, and a multirange name.
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE textrange AS RANGE (subtype = text, collation = "C", subtype_opclass = text_ops);
CREATE TABLE spans (id integer PRIMARY KEY, f floatrange, t textrange);
