-- sequence options altered: type, start, increment, min/max, cache, cycle on and off
CREATE SEQUENCE ticket_numbers;
CREATE SEQUENCE batch_ids AS integer MAXVALUE 1000 CYCLE;
CREATE SEQUENCE countdown INCREMENT BY -1 MINVALUE 1 MAXVALUE 10 START WITH 10;
