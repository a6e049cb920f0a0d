//! Dependencies between objects, the catalog stage: one query over `pg_depend` for the dependencies the diff
//! orders by (see `schemadiff_model::deps`): column defaults on sequences, check constraints on columns.

use schemadiff_model::{Dependency, ObjectRef, QualifiedName};
use tokio_postgres::Row;

use crate::introspect::NAMESPACE_FILTER;

/// The query; `$1` is the schema filter.
pub(crate) fn query() -> String {
    format!(
        "SELECT 'd', n.nspname::text, c.relname::text, a.attname::text, sn.nspname::text, s.relname::text \
         FROM pg_catalog.pg_depend d \
         JOIN pg_catalog.pg_attrdef ad ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND ad.oid = d.objid \
         JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum \
         JOIN pg_catalog.pg_class s ON d.refclassid = 'pg_catalog.pg_class'::regclass AND s.oid = d.refobjid AND s.relkind = 'S' \
         JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace \
         WHERE d.deptype = 'n' AND {NAMESPACE_FILTER} \
         UNION ALL \
         SELECT 'c', n.nspname::text, c.relname::text, con.conname::text, NULL, a.attname::text \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_constraint'::regclass AND d.objid = con.oid \
              AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = con.conrelid AND d.refobjsubid > 0 \
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = d.refobjsubid \
         WHERE con.contype = 'c' AND d.deptype IN ('n', 'a') AND {NAMESPACE_FILTER} \
         ORDER BY 1, 2, 3, 4, 5, 6"
    )
}

pub(crate) fn from_rows(rows: &[Row]) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = rows
        .iter()
        .map(|r| {
            let table = QualifiedName::new(r.get::<_, String>(1), r.get::<_, String>(2));
            let name: String = r.get(3);
            if r.get::<_, String>(0) == "d" {
                Dependency {
                    dependent: ObjectRef::Column(table, name),
                    referenced: ObjectRef::Sequence(QualifiedName::new(
                        r.get::<_, String>(4),
                        r.get::<_, String>(5),
                    )),
                }
            } else {
                Dependency {
                    referenced: ObjectRef::Column(table.clone(), r.get(5)),
                    dependent: ObjectRef::Constraint(table, name),
                }
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
