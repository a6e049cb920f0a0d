//! Range types, the catalog stage: one query reads every range type with its subtype, operator class and
//! collation when not the subtype's defaults, its `subtype_diff` function, the name of its multirange type
//! (PostgreSQL 14 and later) when not the default one, its comment, and the type it is made of when that is
//! defined in the database (`pg_range.rngsubtype`). The `subtype_diff` function is read by name, with its
//! schema unless that is `pg_catalog` (`float8mi`, `public.time_diff`). Range types with a `canonical`
//! function need a shell type the model does not hold: they are left to `unsupported`. The model is `schemadiff_model::range`, the diff `schemadiff_diff::diff::range`.

use schemadiff_model::range::default_multirange_name;
use schemadiff_model::{QualifiedName, RangeType};
use tokio_postgres::Row;

use crate::introspect::NAMESPACE_FILTER;

/// The condition on a range `r` (`pg_range`) that the model can hold it: no `canonical` function.
pub(crate) const MODELLED: &str = "r.rngcanonical = 0";

/// The query; `$1` is the schema filter. `version` is the server's (`server_version_num`).
pub(crate) fn query(version: i32) -> String {
    let multirange = if version >= 140000 {
        "(SELECT mt.typname::text FROM pg_catalog.pg_type mt WHERE mt.oid = r.rngmultitypid)"
    } else {
        "NULL::text"
    };
    format!(
        "SELECT n.nspname::text, t.typname::text, pg_catalog.format_type(r.rngsubtype, NULL), \
                CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END, \
                CASE WHEN NOT opc.opcdefault AND opn.nspname <> 'pg_catalog' THEN opn.nspname::text END, \
                CASE WHEN r.rngcollation <> st.typcollation THEN co.collname::text END, \
                CASE WHEN cn.nspname NOT IN ('pg_catalog', 'public') THEN cn.nspname::text END, \
                sd.proname::text, CASE WHEN sdn.nspname <> 'pg_catalog' THEN sdn.nspname::text END, \
                {multirange}, d.description, un.nspname::text, ut.typname::text, {} \
         FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype \
         JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc \
         JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace \
         LEFT JOIN pg_catalog.pg_proc sd ON sd.oid = r.rngsubdiff \
         LEFT JOIN pg_catalog.pg_namespace sdn ON sdn.oid = sd.pronamespace \
         LEFT JOIN pg_catalog.pg_collation co ON co.oid = r.rngcollation \
         LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
         LEFT JOIN pg_catalog.pg_type ut ON ut.oid = st.oid AND st.typtype IN ('e', 'd', 'c', 'r') \
         LEFT JOIN pg_catalog.pg_namespace un ON un.oid = ut.typnamespace \
              AND un.nspname <> 'information_schema' AND un.nspname NOT LIKE 'pg\\_%' \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0 \
         WHERE {MODELLED} AND {NAMESPACE_FILTER} AND {} ORDER BY 1, 2",
        crate::grant::owner_and_acl_columns("t.typacl", "t.typowner"),
        crate::introspect::not_in_extension("pg_type", "t.oid")
    )
}

/// The range types of the rows of [`query`].
pub(crate) fn from_rows(rows: &[Row]) -> Vec<RangeType> {
    rows.iter()
        .map(|r| {
            let name = QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1));
            let mut t = RangeType::new(name, r.get::<_, String>(2));
            t.subtype_opclass = r.get::<_, Option<String>>(3).map(|o| {
                QualifiedName::reference_text(r.get::<_, Option<String>>(4).as_deref(), &o)
            });
            t.collation = r.get::<_, Option<String>>(5).map(|c| {
                QualifiedName::reference_text(r.get::<_, Option<String>>(6).as_deref(), &c)
            });
            t.subtype_diff = r.get::<_, Option<String>>(7).map(|f| {
                QualifiedName::reference_text(r.get::<_, Option<String>>(8).as_deref(), &f)
            });
            t.multirange_type_name = r
                .get::<_, Option<String>>(9)
                .filter(|m| *m != default_multirange_name(&t.name.name));
            t.comment = r.get(10);
            if let (Some(s), Some(u)) = (
                r.get::<_, Option<String>>(11),
                r.get::<_, Option<String>>(12),
            ) {
                t.uses.push(QualifiedName::new(s, u));
            }
            t
        })
        .collect()
}
