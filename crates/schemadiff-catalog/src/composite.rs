//! Composite types, the catalog stage: one query reads every composite type (not the row types of tables)
//! with its attributes in order (types as `format_type` prints them, collations other than the type's),
//! comment, and the types defined in the database its attributes are of (`pg_attribute.atttypid`, the
//! element type for an array). The model is `schemadiff_model::composite`, the diff
//! `schemadiff_diff::diff::composite`.

use schemadiff_model::{Attribute, CompositeType, QualifiedName};
use tokio_postgres::Row;

use crate::introspect::NAMESPACE_FILTER;

/// The query; `$1` is the schema filter.
pub(crate) fn query() -> String {
    let attrs = "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid \
                 LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> at.typcollation \
                 LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    format!(
        "SELECT n.nspname::text, t.typname::text, d.description, \
                array(SELECT a.attname::text {attrs}), \
                array(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) {attrs}), \
                array(SELECT co.collname::text {attrs}), \
                array(SELECT CASE WHEN cn.nspname NOT IN ('pg_catalog', 'public') THEN cn.nspname::text END {attrs}), \
                array(SELECT DISTINCT un.nspname || chr(31) || ut.typname \
                      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid \
                      JOIN pg_catalog.pg_type ut ON ut.oid = CASE WHEN at.typcategory = 'A' THEN at.typelem ELSE at.oid END \
                      JOIN pg_catalog.pg_namespace un ON un.oid = ut.typnamespace \
                      WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped \
                        AND un.nspname <> 'information_schema' AND un.nspname NOT LIKE 'pg\\_%' \
                      ORDER BY 1), {} \
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0 \
         WHERE t.typtype = 'c' AND {NAMESPACE_FILTER} AND {} AND {} ORDER BY 1, 2",
        crate::grant::owner_and_acl_columns("t.typacl", "t.typowner"),
        crate::introspect::not_in_extension("pg_type", "t.oid"),
        crate::introspect::not_in_extension("pg_class", "t.typrelid")
    )
}

/// The composite types of the rows of [`query`].
pub(crate) fn from_rows(rows: &[Row]) -> Vec<CompositeType> {
    rows.iter()
        .map(|r| {
            let mut t = CompositeType::new(QualifiedName::new(
                r.get::<_, String>(0),
                r.get::<_, String>(1),
            ));
            t.comment = r.get(2);
            let names: Vec<String> = r.get(3);
            let types: Vec<String> = r.get(4);
            let colls: Vec<Option<String>> = r.get(5);
            let coll_schemas: Vec<Option<String>> = r.get(6);
            for (i, (name, data_type)) in names.into_iter().zip(types).enumerate() {
                let collation = colls.get(i).cloned().flatten().map(|c| {
                    QualifiedName::reference_text(
                        coll_schemas.get(i).cloned().flatten().as_deref(),
                        &c,
                    )
                });
                t.attributes.push(Attribute {
                    name,
                    data_type,
                    collation,
                });
            }
            t.uses = r
                .get::<_, Vec<String>>(7)
                .iter()
                .filter_map(|u| u.split_once('\u{1f}'))
                .map(|(s, n)| QualifiedName::new(s, n))
                .collect();
            t
        })
        .collect()
}
