CREATE TABLE slots (
    position integer PRIMARY KEY DEFERRABLE,
    label text NOT NULL
);
CREATE TABLE queue (
    position integer,
    label text NOT NULL,
    CONSTRAINT queue_pkey PRIMARY KEY (position) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE ranks (
    position integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED
);
