//! Nothing silently dropped: introspection names every object and property the model cannot represent, and
//! leaves out what belongs to extensions.

use schemadiff_catalog::introspect::{IntrospectOptions, introspect};

/// Every kind of object or property that schemadiff does not model yet, each created once.
const CORPUS: &str = r#"
CREATE TABLE t (id integer PRIMARY KEY, body text, n integer, tags text);
CREATE VIEW v AS SELECT id, body FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
CREATE TABLE p (at date) PARTITION BY RANGE (at);
CREATE TABLE p_2026 PARTITION OF p FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE p_2026 ALTER COLUMN at SET DEFAULT '2026-06-01';
CREATE TABLE parent (id integer);
CREATE TABLE child () INHERITS (parent);
CREATE UNLOGGED TABLE scratchpad (id integer);
CREATE TABLE tuned (id integer) WITH (fillfactor = 70);
CREATE TABLE ri (id integer); ALTER TABLE ri REPLICA IDENTITY FULL;
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON t USING (n > 0);
ALTER TABLE p ENABLE ROW LEVEL SECURITY;
CREATE POLICY part_own ON p USING (at > '2026-01-01');
GRANT SELECT ON t TO PUBLIC;
GRANT UPDATE (body) ON t TO PUBLIC;
ALTER TABLE t ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE t ALTER COLUMN n SET STATISTICS 500;
ALTER TABLE t ALTER COLUMN tags SET COMPRESSION pglz;
CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + 1;
REVOKE EXECUTE ON FUNCTION f(integer) FROM PUBLIC;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE PROCEDURE pr() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
CREATE TRIGGER t_trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER p_trg BEFORE UPDATE ON p FOR EACH ROW EXECUTE FUNCTION trg();
CREATE RULE no_delete AS ON DELETE TO parent DO INSTEAD NOTHING;
CREATE DOMAIN positive AS integer;
ALTER DOMAIN positive ADD CONSTRAINT positive_nv CHECK (VALUE > 0) NOT VALID;
CREATE TYPE span;
CREATE FUNCTION span_canonical(span) RETURNS span LANGUAGE internal IMMUTABLE STRICT AS 'int4range_canonical';
CREATE TYPE span AS RANGE (subtype = integer, canonical = span_canonical);
CREATE TYPE pair AS (a integer, b integer);
REVOKE USAGE ON TYPE pair FROM PUBLIC;
COMMENT ON COLUMN pair.a IS 'attribute comments are not modelled';
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);
CREATE TEXT SEARCH CONFIGURATION mycfg (COPY = pg_catalog.simple);
CREATE STATISTICS t_stats ON id, n FROM t;
CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO CURRENT_USER;
ALTER DEFAULT PRIVILEGES REVOKE TRUNCATE ON TABLES FROM CURRENT_USER;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO PUBLIC;
CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER audit_ddl ON ddl_command_start EXECUTE FUNCTION on_ddl();
CREATE PUBLICATION pub FOR TABLE t;
GRANT SELECT ON v TO PUBLIC;
GRANT SELECT (body) ON v TO PUBLIC;
REVOKE TRUNCATE ON mv FROM CURRENT_USER;
REVOKE EXECUTE ON PROCEDURE pr() FROM CURRENT_USER;
COMMENT ON COLUMN v.body IS 'what a view column holds is not modelled';
ALTER MATERIALIZED VIEW mv SET (fillfactor = 50);
CREATE TABLE toasty (body text) WITH (toast.autovacuum_enabled = false);
CREATE TYPE emp AS (name text);
CREATE TABLE emps OF emp;
CREATE UNLOGGED TABLE counters (id serial, n integer GENERATED ALWAYS AS IDENTITY);
"#;

#[tokio::test]
async fn every_unmodelled_kind_is_named_with_what_it_uses() {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    client.batch_execute(CORPUS).await.unwrap();
    let read = introspect(&client, &IntrospectOptions::default())
        .await
        .unwrap();
    let found: Vec<String> = read.unsupported.iter().map(|u| u.to_string()).collect();
    for expected in [
        "grants on column public.v.body",
        "privileges taken from the owner of public.mv",
        "privileges taken from the owner of public.pr()",
        "comment on column of public.v.body",
        "storage parameters of public.mv (fillfactor=50)",
        "column of partition with a default, NOT NULL or comment of its own public.p_2026.at",
        "table with inheritance public.child",
        "toast storage parameters of public.toasty (autovacuum_enabled=false)",
        "typed table public.emps (of type emp)",
        "unlogged sequence public.counters_id_seq",
        "aggregate public.total(integer)",
        "rule public.no_delete on parent (uses public.parent)",
        "NOT VALID constraint of domain public.positive_nv on positive",
        "range type with a canonical function public.span",
        "comment on column of public.pair.a",
        "collation public.ci",
        "operator public.===",
        "text search configuration public.mycfg",
        "extended statistics public.t_stats (uses public.t.id, public.t.n)",
        "default privileges of the owner in schema app for role postgres on tables",
        "default privileges of the owner for role postgres on tables",
        "event trigger audit_ddl",
        "publication pub",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "`{expected}` not found in:\n{}",
            found.join("\n")
        );
    }
    // Modelled kinds are read, never listed.
    for modelled in [
        "row-level security on public.t",
        "policy public.own on t (uses public.t, public.t.n)",
        "view public.v",
        "materialized view public.mv",
        "function public.f",
        "function public.trg",
        "procedure public.pr",
        "trigger public.t_trg",
        "unlogged table",
        "unlogged sequence public.counters_n_seq",
        "storage parameters of public.tuned",
        "storage parameters of public.toasty",
        "replica identity of",
        "storage of column",
        "statistics target of column",
        "compression of column",
        "partitioned table public.p",
        "partition public.p_2026",
        "row-level security on public.p",
        "policy public.part_own",
        "trigger public.p_trg",
        "grants on public.t",
        "grants on public.v",
        // PUBLIC's default EXECUTE or USAGE revoked is a grant like any other, not the owner's loss.
        "privileges taken from the owner of public.f",
        "privileges taken from the owner of public.pair",
        "grants on column public.t.body",
        "grants on function",
        "grants on schema app",
        "default privileges in schema app",
        "default privileges of the owner in schema app for role postgres on sequences",
    ] {
        assert!(
            !found.iter().any(|f| f.starts_with(modelled)),
            "`{modelled}` is listed:\n{}",
            found.join("\n")
        );
    }
    assert_eq!(
        read.schema.functions.len(),
        5,
        "f, trg, pr, on_ddl, span_canonical"
    );
    assert_eq!(read.schema.triggers.len(), 2, "t_trg on t, p_trg on p");
    assert_eq!(read.schema.policies.len(), 2, "own on t, part_own on p");
    let p = read
        .schema
        .tables
        .iter()
        .find(|t| t.name.name == "p")
        .unwrap();
    assert!(p.row_level_security);
    assert_eq!(p.partition_by.as_deref(), Some("RANGE (at)"));
    let p_2026 = read
        .schema
        .tables
        .iter()
        .find(|t| t.name.name == "p_2026")
        .unwrap();
    assert!(p_2026.columns.is_empty());
    assert_eq!(
        p_2026.partition_of.as_ref().map(|o| o.bounds.as_str()),
        Some("FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')")
    );
    // Grants are read with their objects: t, its column body, v, f, pair and app (the view's column is not).
    let mut grants: Vec<String> = read
        .schema
        .grants
        .iter()
        .map(|g| g.target.label())
        .collect();
    grants.sort();
    assert_eq!(
        grants,
        [
            "column public.t.body",
            "default privileges for role postgres in schema app on sequences",
            "default privileges for role postgres in schema app on tables",
            "function public.f(integer)",
            "schema app",
            "table public.t",
            "type public.pair",
            "view public.v"
        ]
    );
    let t = read
        .schema
        .tables
        .iter()
        .find(|t| t.name.name == "t")
        .unwrap();
    assert!(t.row_level_security && !t.force_row_level_security);
    // Table options are read (see table_options.rs).
    let table = |name: &str| {
        read.schema
            .tables
            .iter()
            .find(|t| t.name.name == name)
            .unwrap()
    };
    assert!(table("scratchpad").unlogged);
    assert_eq!(
        table("tuned").storage_parameters,
        vec![("fillfactor".to_string(), "70".to_string())]
    );
    assert_eq!(
        table("ri").replica_identity,
        schemadiff_model::ReplicaIdentity::Full
    );
    assert_eq!(
        t.column("body").unwrap().extras().storage.as_deref(),
        Some("external")
    );
    assert_eq!(t.column("n").unwrap().extras().statistics, Some(500));
    assert_eq!(
        t.column("tags").unwrap().extras().compression.as_deref(),
        Some("pglz")
    );
}

#[tokio::test]
async fn modelled_objects_and_extension_members_are_not_listed() {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    client
        .batch_execute(
            "CREATE EXTENSION postgis; CREATE EXTENSION \"uuid-ossp\"; \
             CREATE TYPE mood AS ENUM ('ok'); CREATE SEQUENCE s; \
             CREATE TABLE a (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), m mood, g geometry(Point, 4326), \
                             n integer GENERATED ALWAYS AS IDENTITY, CHECK (n > 0)); \
             CREATE INDEX ON a USING gist (g); COMMENT ON TABLE a IS 'x'; CREATE SCHEMA other; \
             CREATE VIEW v WITH (security_barrier = true) AS SELECT id, m FROM a WITH CHECK OPTION; \
             CREATE MATERIALIZED VIEW mv AS SELECT id FROM v; CREATE UNIQUE INDEX ON mv (id); \
             COMMENT ON VIEW v IS 'views are modelled'; \
             CREATE DOMAIN positive AS integer NOT NULL CHECK (VALUE > 0); \
             CREATE TYPE pair AS (a positive, b mood); COMMENT ON TYPE pair IS 'composites are modelled'; \
             CREATE TYPE span AS RANGE (subtype = float8, subtype_diff = float8mi); \
             CREATE TABLE b (p pair, s span, d positive[]);",
        )
        .await
        .unwrap();
    let read = introspect(&client, &IntrospectOptions::default())
        .await
        .unwrap();
    assert_eq!(read.unsupported, Vec::new());
}
