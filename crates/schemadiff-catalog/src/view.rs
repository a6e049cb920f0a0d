//! Views and materialized views, the catalog stage: one query reads every view with its definition (as the
//! server prints it, `pg_get_viewdef`), options, comment, output columns and what its query reads (the
//! `pg_depend` rows of its `_RETURN` rule). Indexes of materialized views come with the other indexes
//! (`introspect`). The model is `schemadiff_model::view`, the diff `schemadiff_diff::diff::view`.

use std::collections::BTreeMap;

use schemadiff_model::{QualifiedName, View, ViewColumn, ViewUse};
use tokio_postgres::Row;

use crate::introspect::NAMESPACE_FILTER;

/// The query; `$1` is the schema filter.
pub(crate) fn query() -> String {
    format!(
        "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid), \
                COALESCE(c.reloptions, '{{}}')::text[], c.relispopulated, d.description, \
                array(SELECT a.attname::text FROM pg_catalog.pg_attribute a \
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), \
                array(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a \
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), \
                array(SELECT DISTINCT CASE \
                        WHEN rc.oid IS NOT NULL AND dp.refobjsubid > 0 \
                          THEN 'c' || chr(31) || rn.nspname || chr(31) || rc.relname || chr(31) || ra.attname \
                        WHEN rc.oid IS NOT NULL THEN 'r' || chr(31) || rn.nspname || chr(31) || rc.relname \
                        ELSE 't' || chr(31) || tn.nspname || chr(31) || ty.typname END \
                      FROM pg_catalog.pg_rewrite r \
                      JOIN pg_catalog.pg_depend dp ON dp.classid = 'pg_rewrite'::regclass AND dp.objid = r.oid \
                      LEFT JOIN pg_catalog.pg_class rc ON dp.refclassid = 'pg_class'::regclass \
                           AND rc.oid = dp.refobjid AND rc.oid <> c.oid \
                      LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace \
                      LEFT JOIN pg_catalog.pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = dp.refobjsubid \
                      LEFT JOIN pg_catalog.pg_type ty ON dp.refclassid = 'pg_type'::regclass AND ty.oid = dp.refobjid \
                      LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = ty.typnamespace \
                           AND tn.nspname <> 'information_schema' AND tn.nspname NOT LIKE 'pg\\_%' \
                      WHERE r.ev_class = c.oid AND r.rulename = '_RETURN' AND dp.deptype = 'n' \
                        AND (rc.oid IS NOT NULL OR tn.oid IS NOT NULL) \
                      ORDER BY 1), {} \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 \
         WHERE c.relkind IN ('v', 'm') AND {NAMESPACE_FILTER} AND {} ORDER BY 2, 3",
        crate::grant::owner_and_acl_columns("c.relacl", "c.relowner"),
        crate::introspect::not_in_extension("pg_class", "c.oid")
    )
}

/// The views of the rows of [`query`], by oid, and their oids in name order.
pub(crate) fn from_rows(rows: &[Row]) -> (BTreeMap<u32, View>, Vec<u32>) {
    let mut views = BTreeMap::new();
    let mut order = Vec::new();
    for r in rows {
        let oid: u32 = r.get(0);
        let name = QualifiedName::new(r.get::<_, String>(1), r.get::<_, String>(2));
        let definition: String = r.get(4);
        let mut v = View::new(name, r.get(3), query_text(&definition));
        for option in r.get::<_, Vec<String>>(5) {
            let (key, value) = option.split_once('=').unwrap_or((&option, ""));
            let on = matches!(
                value.to_ascii_lowercase().as_str(),
                "true" | "on" | "yes" | "1"
            );
            match key {
                "check_option" => v.check_option = Some(value.to_ascii_lowercase()),
                "security_barrier" => v.security_barrier = on,
                "security_invoker" => v.security_invoker = on,
                // Storage parameters of materialized views are reported as unsupported.
                _ => {}
            }
        }
        v.with_data = !v.materialized || r.get::<_, bool>(6);
        v.comment = r.get(7);
        let names: Vec<String> = r.get(8);
        let types: Vec<String> = r.get(9);
        v.output = names
            .into_iter()
            .zip(types)
            .map(|(name, data_type)| ViewColumn { name, data_type })
            .collect();
        v.uses = r
            .get::<_, Vec<String>>(10)
            .iter()
            .filter_map(|u| parse_use(u))
            .collect();
        v.uses.sort();
        views.insert(oid, v);
        order.push(oid);
    }
    (views, order)
}

/// The definition without the server's leading space and final `;`.
fn query_text(definition: &str) -> String {
    definition
        .trim()
        .trim_end_matches(';')
        .trim_end()
        .to_string()
}

fn parse_use(text: &str) -> Option<ViewUse> {
    let parts: Vec<&str> = text.split('\u{1f}').collect();
    match parts.as_slice() {
        ["c", s, t, c] => Some(ViewUse::Column(QualifiedName::new(*s, *t), c.to_string())),
        ["r", s, t] => Some(ViewUse::Relation(QualifiedName::new(*s, *t))),
        ["t", s, t] => Some(ViewUse::Type(QualifiedName::new(*s, *t))),
        _ => None,
    }
}
