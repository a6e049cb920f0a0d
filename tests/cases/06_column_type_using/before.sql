-- column type change needing USING: text -> integer with using = "trim(code)::integer"; rows are converted
CREATE TABLE items (
    id bigint PRIMARY KEY,
    code text NOT NULL,
    label text
);
INSERT INTO items VALUES (1, ' 42 ', 'answer'), (2, '7', 'seven'), (3, '1000', NULL);
