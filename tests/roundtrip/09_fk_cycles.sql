-- Foreign-key cycles: self-references, two tables referencing each other (added with ALTER TABLE), a three-table cycle, a cross-schema cycle.
CREATE TABLE categories (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES categories (id) ON DELETE CASCADE,
    name text NOT NULL
);

CREATE TABLE employees (
    id integer PRIMARY KEY,
    manager_id integer,
    mentor_id integer,
    name text NOT NULL,
    CONSTRAINT employees_manager_fkey FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL,
    CONSTRAINT employees_mentor_fkey FOREIGN KEY (mentor_id) REFERENCES employees DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE departments (
    id integer PRIMARY KEY,
    name text NOT NULL,
    head_id integer
);

CREATE TABLE staff (
    id integer PRIMARY KEY,
    department_id integer NOT NULL,
    name text NOT NULL
);

ALTER TABLE departments ADD CONSTRAINT departments_head_fkey
    FOREIGN KEY (head_id) REFERENCES staff (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE staff ADD CONSTRAINT staff_department_fkey
    FOREIGN KEY (department_id) REFERENCES departments (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE a_nodes (id integer PRIMARY KEY, b_id integer);
CREATE TABLE b_nodes (id integer PRIMARY KEY, c_id integer);
CREATE TABLE c_nodes (id integer PRIMARY KEY, a_id integer);

ALTER TABLE a_nodes ADD FOREIGN KEY (b_id) REFERENCES b_nodes (id);
ALTER TABLE b_nodes ADD FOREIGN KEY (c_id) REFERENCES c_nodes (id) ON DELETE CASCADE;
ALTER TABLE c_nodes ADD FOREIGN KEY (a_id) REFERENCES a_nodes (id) ON UPDATE CASCADE;

CREATE SCHEMA left_side;
CREATE SCHEMA right_side;

CREATE TABLE left_side.things (
    id uuid PRIMARY KEY,
    partner_id uuid
);

CREATE TABLE right_side.things (
    id uuid PRIMARY KEY,
    partner_id uuid REFERENCES left_side.things (id)
);

ALTER TABLE left_side.things ADD CONSTRAINT things_partner_fkey
    FOREIGN KEY (partner_id) REFERENCES right_side.things (id) ON DELETE SET NULL;

-- a table whose composite key references itself
CREATE TABLE tree_nodes (
    tree_id integer NOT NULL,
    node_id integer NOT NULL,
    parent_node_id integer,
    PRIMARY KEY (tree_id, node_id),
    FOREIGN KEY (tree_id, parent_node_id) REFERENCES tree_nodes (tree_id, node_id) ON DELETE CASCADE
);
