-- Column compression set, taken off (back to the server's default), on a new column and a new table.
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    body text,
    raw bytea,
    extra text
);
ALTER TABLE documents ALTER COLUMN raw SET COMPRESSION pglz;
ALTER TABLE documents ALTER COLUMN extra SET COMPRESSION pglz;
CREATE TABLE blobs (
    id bigint PRIMARY KEY,
    data bytea
);
ALTER TABLE blobs ALTER COLUMN data SET COMPRESSION pglz;
