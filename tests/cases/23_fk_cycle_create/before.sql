-- foreign key cycle created together: two new tables that reference each other (one side deferrable)
CREATE TABLE settings (
    key text PRIMARY KEY,
    value text
);
