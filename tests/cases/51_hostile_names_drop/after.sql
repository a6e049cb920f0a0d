CREATE TABLE "UserAccounts" (
    "Id" bigint PRIMARY KEY
);
