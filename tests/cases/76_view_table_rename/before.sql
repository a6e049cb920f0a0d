CREATE TABLE accounts (id integer PRIMARY KEY, owner text NOT NULL, balance numeric NOT NULL DEFAULT 0);
CREATE VIEW rich_accounts AS SELECT id, owner FROM accounts WHERE balance > 1000;
INSERT INTO accounts VALUES (1, 'a', 5000), (2, 'b', 10);
