//! Row-level security policies, the catalog stage: one query reads every policy of a table from
//! `pg_policy`, its expressions as the server prints them (`pg_get_expr` under the session's
//! `search_path = public`), its roles by name (PUBLIC as `public`), and what its expressions use from
//! `pg_depend` (functions, columns, tables). The tables' `relrowsecurity` and `relforcerowsecurity` are read
//! with the tables. The model is `schemadiff_model::policy`, the diff `schemadiff_diff::policy`.

use schemadiff_model::{Policy, QualifiedName};
use tokio_postgres::Row;

use crate::introspect::{NAMESPACE_FILTER, strip_outer_parens};

/// The query; `$1` is the schema filter.
pub(crate) fn query() -> String {
    let (uses, uses_joins) =
        crate::function::object("dp.refclassid", "dp.refobjid", "dp.refobjsubid");
    format!(
        "SELECT n.nspname::text, c.relname::text, p.polname::text, NOT p.polpermissive, p.polcmd::text, \
                array(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.oid)::text END \
                      FROM unnest(p.polroles) r(oid) ORDER BY 1), \
                pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), \
                d.description, \
                array(SELECT DISTINCT {uses} FROM pg_catalog.pg_depend dp {uses_joins} \
                      WHERE dp.classid = 'pg_policy'::regclass AND dp.objid = p.oid AND dp.deptype = 'n' ORDER BY 1) \
         FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass \
         WHERE c.relkind = 'r' AND NOT c.relispartition AND {NAMESPACE_FILTER} AND {} ORDER BY 1, 2, 3",
        crate::introspect::not_in_extension("pg_class", "c.oid")
    )
}

/// The policies of the rows of [`query`].
pub(crate) fn from_rows(rows: &[Row]) -> Vec<Policy> {
    rows.iter()
        .map(|r| Policy {
            table: QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            name: r.get(2),
            restrictive: r.get(3),
            command: match r.get::<_, String>(4).as_str() {
                "r" => "select",
                "a" => "insert",
                "w" => "update",
                "d" => "delete",
                _ => "all",
            }
            .into(),
            roles: r.get(5),
            using: r
                .get::<_, Option<String>>(6)
                .map(|e| strip_outer_parens(&e).to_string()),
            with_check: r
                .get::<_, Option<String>>(7)
                .map(|e| strip_outer_parens(&e).to_string()),
            comment: r.get(8),
            uses: r
                .get::<_, Vec<Option<String>>>(9)
                .iter()
                .flatten()
                .filter_map(|u| crate::function::parse_use(u))
                .collect(),
        })
        .collect()
}
