CREATE TABLE existing (
    id bigint PRIMARY KEY
);
CREATE TABLE z_customers (
    id bigint PRIMARY KEY,
    region text NOT NULL,
    UNIQUE (region, id)
);
CREATE TABLE m_orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    region text NOT NULL,
    FOREIGN KEY (region, customer_id) REFERENCES z_customers (region, id)
);
CREATE TABLE a_order_lines (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES m_orders (id) ON DELETE CASCADE,
    existing_id bigint REFERENCES existing (id)
);
