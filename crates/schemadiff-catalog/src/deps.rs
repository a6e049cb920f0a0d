//! Dependencies between objects, the catalog stage: one query over `pg_depend` for the dependencies the diff
//! orders by (see `schemadiff_model::deps`): column defaults on sequences, check constraints on columns,
//! columns on the types defined in the database they are of (domains, enums; the element type of an array).

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
         UNION ALL \
         SELECT 't', n.nspname::text, c.relname::text, a.attname::text, un.nspname::text, ut.typname::text \
         FROM pg_catalog.pg_depend d \
         JOIN pg_catalog.pg_class c ON d.classid = 'pg_catalog.pg_class'::regclass AND c.oid = d.objid AND c.relkind IN ('r', 'p', 'c') \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid \
         JOIN pg_catalog.pg_type ty ON d.refclassid = 'pg_catalog.pg_type'::regclass AND ty.oid = d.refobjid \
         JOIN pg_catalog.pg_type ut ON ut.oid = CASE WHEN ty.typcategory = 'A' THEN ty.typelem ELSE ty.oid END \
         JOIN pg_catalog.pg_namespace un ON un.oid = ut.typnamespace \
         WHERE d.deptype = 'n' AND d.objsubid > 0 AND ut.typtype IN ('d', 'e', 'c', 'r', 'm') \
           AND un.nspname <> 'information_schema' AND un.nspname NOT LIKE 'pg\\_%' AND {NAMESPACE_FILTER} \
         ORDER BY 1, 2, 3, 4, 5, 6"
    )
}

pub(crate) fn from_rows(rows: &[Row]) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = rows
        .iter()
        .map(|r| {
            let table = QualifiedName::new(r.get::<_, String>(1), r.get::<_, String>(2));
            let name: String = r.get(3);
            let kind: String = r.get(0);
            if kind == "t" {
                Dependency {
                    dependent: ObjectRef::Column(table, name),
                    referenced: ObjectRef::Type(QualifiedName::new(
                        r.get::<_, String>(4),
                        r.get::<_, String>(5),
                    )),
                }
            } else if kind == "d" {
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
