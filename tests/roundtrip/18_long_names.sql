-- 63-byte identifiers (ASCII and multi-byte) and long table/column names that make PostgreSQL truncate default constraint/index/sequence names (incl. collisions).
CREATE SCHEMA schema_name_that_is_exactly_sixty_three_bytes_long_zzzzzzzzzzzz;

CREATE TABLE schema_name_that_is_exactly_sixty_three_bytes_long_zzzzzzzzzzzz.a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx (
    a_column_name_that_is_exactly_sixty_three_bytes_long_yyyyyyyyyy integer PRIMARY KEY,
    another_column_name_that_is_exactly_sixty_three_bytes_long_wwww text UNIQUE,
    serial_column_with_a_fairly_long_name_to_force_truncation_here serial
);

COMMENT ON TABLE schema_name_that_is_exactly_sixty_three_bytes_long_zzzzzzzzzzzz.a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx
    IS 'Every name here is 63 bytes';

-- 63 bytes in UTF-8: seven times "größe_" (8 bytes each) + "日本" (6) + "x"
CREATE TABLE "größe_größe_größe_größe_größe_größe_größe_日本x" (
    "größe_größe_größe_größe_größe_größe_größe_日本x" integer PRIMARY KEY,
    "日本語日本語日本語日本語日本語日本語日本語" text NOT NULL UNIQUE
);

CREATE TABLE "Ünïcödé_table_with_a_long_name_for_truncation" (
    id integer PRIMARY KEY,
    "größe_größe_größe_größe_größe_größe_größe_日本x" integer
        REFERENCES "größe_größe_größe_größe_größe_größe_größe_日本x"
);

CREATE TABLE customer_subscription_billing_history_entries (
    id bigserial PRIMARY KEY,
    customer_subscription_identifier bigint NOT NULL,
    billing_period_start_timestamp timestamptz NOT NULL,
    billing_period_end_timestamp timestamptz NOT NULL,
    CHECK (billing_period_end_timestamp > billing_period_start_timestamp),
    UNIQUE (customer_subscription_identifier, billing_period_start_timestamp),
    UNIQUE (customer_subscription_identifier, billing_period_end_timestamp)
);

CREATE TABLE customer_subscription_billing_history_entry_adjustments (
    id bigserial PRIMARY KEY,
    customer_subscription_billing_history_entry_identifier bigint NOT NULL
        REFERENCES customer_subscription_billing_history_entries (id) ON DELETE CASCADE,
    customer_subscription_billing_history_entry_identifier_2 bigint
        REFERENCES customer_subscription_billing_history_entries (id),
    adjustment_amount_in_smallest_currency_unit bigint NOT NULL
        CHECK (adjustment_amount_in_smallest_currency_unit <> 0),
    adjustment_amount_in_smallest_currency_unit_2 bigint
        CHECK (adjustment_amount_in_smallest_currency_unit_2 <> 0)
);

CREATE INDEX ON customer_subscription_billing_history_entry_adjustments (customer_subscription_billing_history_entry_identifier);
CREATE INDEX ON customer_subscription_billing_history_entry_adjustments (customer_subscription_billing_history_entry_identifier_2);
CREATE INDEX ON customer_subscription_billing_history_entry_adjustments (customer_subscription_billing_history_entry_identifier, adjustment_amount_in_smallest_currency_unit);

CREATE TABLE a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    a_column_name_that_is_exactly_sixty_three_bytes_long_yyyyyyyyyy text,
    parent_id integer REFERENCES a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx,
    UNIQUE (a_column_name_that_is_exactly_sixty_three_bytes_long_yyyyyyyyyy, parent_id)
);

CREATE TYPE enum_type_name_that_is_exactly_sixty_three_bytes_long_qqqqqqqqq AS ENUM (
    'an_enum_label_that_is_exactly_sixty_three_bytes_long_pppppppppp'
);

CREATE SEQUENCE sequence_name_that_is_exactly_sixty_three_bytes_long_rrrrrrrrrr;

CREATE INDEX index_name_that_is_exactly_sixty_three_bytes_long_sssssssssssss
    ON a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx (parent_id);

ALTER TABLE a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx
    ADD CONSTRAINT constraint_name_that_is_exactly_sixty_three_bytes_long_tttttttt
    CHECK (id > 0);

COMMENT ON CONSTRAINT constraint_name_that_is_exactly_sixty_three_bytes_long_tttttttt
    ON a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx IS 'long constraint name';
COMMENT ON INDEX index_name_that_is_exactly_sixty_three_bytes_long_sssssssssssss IS 'long index name';
