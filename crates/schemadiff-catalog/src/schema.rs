//! Schemas, the catalog stage: one query for every schema but the system ones, with its comment, owner and
//! privileges. `public` exists in every database and is listed only when its comment was changed.

use schemadiff_model::SchemaDef;
use tokio_postgres::types::ToSql;

use crate::introspect::{IntrospectError, NAMESPACE_FILTER, Session, not_in_extension};

/// The schemas; `p` holds the schema filter.
pub(crate) async fn read(
    s: &mut Session<'_>,
    p: &[&(dyn ToSql + Sync)],
    grants: &mut Vec<schemadiff_model::ObjectGrants>,
    owners: &mut Vec<schemadiff_model::ObjectOwner>,
) -> Result<Vec<SchemaDef>, IntrospectError> {
    let mut out = Vec::new();
    // Schemas. `public` exists everywhere; it is listed only when its comment was changed.
    let rows = s
        .query(
            "reading schemas",
            &format!(
                "SELECT n.nspname::text, d.description, \
                        {} \
                 FROM pg_catalog.pg_namespace n \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass \
                 WHERE {NAMESPACE_FILTER} AND {} ORDER BY 1",
                crate::grant::owner_and_acl_columns("n.nspacl", "n.nspowner"),
                not_in_extension("pg_namespace", "n.oid")
            ),
            p,
        )
        .await?;
    for r in rows {
        let name: String = r.get(0);
        let comment: Option<String> = r.get(1);
        // The owner of `public` too: compared only where schema.toml states one (`[schemas.public]`).
        owners.push(schemadiff_model::ObjectOwner {
            target: schemadiff_model::GrantTarget::Schema(name.clone()),
            role: r.get(2),
        });
        if name == "public"
            && comment
                .as_deref()
                .is_none_or(|c| c == "standard public schema")
        {
            continue;
        }
        grants.extend(crate::grant::from_cell(
            schemadiff_model::GrantTarget::Schema(name.clone()),
            r.get(3),
        ));
        out.push(SchemaDef { name, comment });
    }
    Ok(out)
}
