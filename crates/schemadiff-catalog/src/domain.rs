//! Domains, the catalog stage: one query reads every domain with its base type, default, NOT NULL, collation,
//! comment, CHECK constraints (as the server prints them) and the type it is made of when that type is defined
//! in the database (`pg_type.typbasetype`, the element type for an array). The model is
//! `schemadiff_model::domain`, the diff `schemadiff_diff::diff::domain`.

use schemadiff_model::{Domain, DomainCheck, QualifiedName};
use tokio_postgres::Row;

use crate::introspect::NAMESPACE_FILTER;

/// The query; `$1` is the schema filter.
pub(crate) fn query() -> String {
    format!(
        "SELECT n.nspname::text, t.typname::text, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, \
                pg_catalog.pg_get_expr(t.typdefaultbin, 0), \
                CASE WHEN t.typcollation <> bt.typcollation THEN co.collname::text END, \
                CASE WHEN cn.nspname NOT IN ('pg_catalog', 'public') THEN cn.nspname::text END, \
                d.description, \
                array(SELECT c.conname::text FROM pg_catalog.pg_constraint c \
                      WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname), \
                array(SELECT pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c \
                      WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname), \
                un.nspname::text, ut.typname::text, {} \
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype \
         LEFT JOIN pg_catalog.pg_type ut ON ut.oid = CASE WHEN bt.typcategory = 'A' THEN bt.typelem ELSE bt.oid END \
         LEFT JOIN pg_catalog.pg_namespace un ON un.oid = ut.typnamespace \
              AND un.nspname <> 'information_schema' AND un.nspname NOT LIKE 'pg\\_%' \
         LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation \
         LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0 \
         WHERE t.typtype = 'd' AND {NAMESPACE_FILTER} AND {} ORDER BY 1, 2",
        crate::grant::owner_and_acl_columns("t.typacl", "t.typowner"),
        crate::introspect::not_in_extension("pg_type", "t.oid")
    )
}

/// The domains of the rows of [`query`].
pub(crate) fn from_rows(rows: &[Row]) -> Vec<Domain> {
    rows.iter()
        .map(|r| {
            let name = QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1));
            let mut d = Domain::new(name, r.get::<_, String>(2));
            d.not_null = r.get(3);
            d.default = r.get(4);
            d.collation = r.get::<_, Option<String>>(5).map(|name| {
                QualifiedName::reference_text(r.get::<_, Option<String>>(6).as_deref(), &name)
            });
            d.comment = r.get(7);
            let names: Vec<String> = r.get(8);
            let defs: Vec<String> = r.get(9);
            d.checks = names
                .into_iter()
                .zip(defs)
                .map(|(name, def)| DomainCheck {
                    name: Some(name),
                    expression: check_expression(&def),
                })
                .collect();
            if let (Some(s), Some(t)) = (
                r.get::<_, Option<String>>(10),
                r.get::<_, Option<String>>(11),
            ) {
                d.uses.push(QualifiedName::new(s, t));
            }
            d
        })
        .collect()
}

/// `CHECK ((VALUE > 0))` as printed by `pg_get_constraintdef`, without `CHECK (` and its `)`.
fn check_expression(def: &str) -> String {
    def.trim()
        .strip_prefix("CHECK (")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(def)
        .to_string()
}
