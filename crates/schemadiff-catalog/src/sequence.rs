//! Sequences, the catalog stage: one query for the standalone sequences (those of identity columns come with
//! their columns, `table`), with the column that owns each; settings equal to their defaults are left out.

use schemadiff_model::{ColumnRef, QualifiedName, Sequence};
use tokio_postgres::types::ToSql;

use crate::introspect::{IntrospectError, NAMESPACE_FILTER, Session, not_in_extension};

/// The standalone sequences; `p` holds the schema filter.
pub(crate) async fn read(
    s: &mut Session<'_>,
    p: &[&(dyn ToSql + Sync)],
    grants: &mut Vec<schemadiff_model::ObjectGrants>,
    owners: &mut Vec<schemadiff_model::ObjectOwner>,
) -> Result<Vec<Sequence>, IntrospectError> {
    let mut out = Vec::new();
    // Sequences, except those of identity columns (an internal dependency).
    let rows = s
        .query(
            "reading sequences",
            &format!(
                "SELECT n.nspname::text, c.relname::text, pg_catalog.format_type(q.seqtypid, NULL), \
                        q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle, \
                        own.nspname::text, own.relname::text, own.attname::text, d.description, {} \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_catalog.pg_sequence q ON q.seqrelid = c.oid \
                 LEFT JOIN LATERAL ( \
                     SELECT tn.nspname, t.relname, a.attname FROM pg_catalog.pg_depend dep \
                     JOIN pg_catalog.pg_class t ON t.oid = dep.refobjid \
                     JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace \
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = dep.refobjsubid \
                     WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid \
                       AND dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'a' LIMIT 1) own ON true \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 \
                 WHERE c.relkind = 'S' AND {NAMESPACE_FILTER} AND {} \
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_class'::regclass \
                                   AND i.objid = c.oid AND i.deptype = 'i') \
                 ORDER BY 1, 2",
                crate::grant::owner_and_acl_columns("c.relacl", "c.relowner"),
                not_in_extension("pg_class", "c.oid")
            ),
            p,
        )
        .await?;
    for r in rows {
        let data_type: String = r.get(2);
        let (start, increment, min, max, cache): (i64, i64, i64, i64, i64) =
            (r.get(3), r.get(4), r.get(5), r.get(6), r.get(7));
        let (default_min, default_max, default_start) =
            sequence_defaults(&data_type, increment, min, max);
        let owned_by = match (
            r.get::<_, Option<String>>(9),
            r.get::<_, Option<String>>(10),
            r.get::<_, Option<String>>(11),
        ) {
            (Some(ns), Some(t), Some(c)) => Some(ColumnRef {
                table: QualifiedName::new(ns, t),
                column: c,
            }),
            _ => None,
        };
        let name = QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1));
        grants.extend(crate::grant::from_cell(
            schemadiff_model::GrantTarget::Sequence(name.clone()),
            r.get(14),
        ));
        // A sequence owned by a column has its table's owner (ALTER TABLE moves it): not its own.
        if owned_by.is_none() {
            owners.push(schemadiff_model::ObjectOwner {
                target: schemadiff_model::GrantTarget::Sequence(name.clone()),
                role: r.get(13),
            });
        }
        out.push(Sequence {
            name,
            data_type: (data_type != "bigint").then_some(data_type),
            start: (start != default_start).then_some(start),
            increment: (increment != 1).then_some(increment),
            min_value: (min != default_min).then_some(min),
            max_value: (max != default_max).then_some(max),
            cache: (cache != 1).then_some(cache),
            cycle: r.get(8),
            owned_by,
            comment: r.get(12),
            renamed_from: None,
        });
    }
    Ok(out)
}

/// The minimum, maximum and start a sequence of `data_type` going by `increment` has when none is written
/// (the start depends on the bounds it has).
pub(crate) fn sequence_defaults(
    data_type: &str,
    increment: i64,
    min: i64,
    max: i64,
) -> (i64, i64, i64) {
    let (type_min, type_max) = match data_type {
        "smallint" => (i16::MIN as i64, i16::MAX as i64),
        "integer" => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    let (default_min, default_max) = if increment > 0 {
        (1, type_max)
    } else {
        (type_min, -1)
    };
    let default_start = if increment > 0 { min } else { max };
    (default_min, default_max, default_start)
}
