//! Enum types, the catalog stage: one query, with the labels in their sort order and the comment.

use schemadiff_model::{EnumType, EnumValue, QualifiedName};
use tokio_postgres::types::ToSql;

use crate::introspect::{IntrospectError, NAMESPACE_FILTER, Session, not_in_extension};

/// The enum types; `p` holds the schema filter.
pub(crate) async fn read(
    s: &mut Session<'_>,
    p: &[&(dyn ToSql + Sync)],
    grants: &mut Vec<schemadiff_model::ObjectGrants>,
    owners: &mut Vec<schemadiff_model::ObjectOwner>,
) -> Result<Vec<EnumType>, IntrospectError> {
    let mut out = Vec::new();
    // Enums.
    let rows = s
        .query(
            "reading enum types",
            &format!(
                "SELECT n.nspname::text, t.typname::text, \
                        array(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), \
                        d.description, {} \
                 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0 \
                 WHERE t.typtype = 'e' AND {NAMESPACE_FILTER} AND {} ORDER BY 1, 2",
                crate::grant::owner_and_acl_columns("t.typacl", "t.typowner"),
                not_in_extension("pg_type", "t.oid")
            ),
            p,
        )
        .await?;
    for r in rows {
        let labels: Vec<String> = r.get(2);
        let name = QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1));
        grants.extend(crate::grant::from_cell(
            schemadiff_model::GrantTarget::Type(name.clone()),
            r.get(5),
        ));
        owners.push(schemadiff_model::ObjectOwner {
            target: schemadiff_model::GrantTarget::Type(name.clone()),
            role: r.get(4),
        });
        out.push(EnumType {
            name,
            values: labels
                .into_iter()
                .map(|name| EnumValue {
                    name,
                    renamed_from: None,
                })
                .collect(),
            comment: r.get(3),
            renamed_from: None,
        });
    }
    Ok(out)
}
