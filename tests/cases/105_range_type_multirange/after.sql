-- a range type with a multirange type of its own name, and columns of both
CREATE TYPE timespan AS RANGE (subtype = timestamptz, multirange_type_name = timespans);
CREATE TYPE num_range AS RANGE (subtype = numeric);
CREATE TABLE rooms (id integer PRIMARY KEY, busy timespans NOT NULL DEFAULT '{}', free num_multirange, one timespan);
