CREATE TABLE settings (
    key text PRIMARY KEY,
    value text
);
CREATE TABLE departments (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    manager_id bigint
);
CREATE TABLE employees (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    department_id bigint NOT NULL REFERENCES departments (id)
);
ALTER TABLE departments ADD FOREIGN KEY (manager_id) REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED;
