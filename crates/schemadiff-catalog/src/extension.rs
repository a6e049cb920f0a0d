//! Extensions, the catalog stage: one query, with the installed version and schema. plpgsql is in every
//! database and left out.

use schemadiff_model::Extension;
use tokio_postgres::types::ToSql;

use crate::introspect::{IntrospectError, Session};

/// The extensions; `p` holds the schema filter.
pub(crate) async fn read(
    s: &mut Session<'_>,
    p: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Extension>, IntrospectError> {
    let mut out = Vec::new();
    // Extensions (plpgsql is in every database).
    let rows = s
        .query(
            "reading extensions",
            "SELECT e.extname::text, e.extversion, n.nspname::text FROM pg_catalog.pg_extension e \
             JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
             WHERE e.extname <> 'plpgsql' AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[])) ORDER BY 1",
            p,
        )
        .await?;
    for r in rows {
        let nsp: String = r.get(2);
        out.push(Extension {
            name: r.get(0),
            version: Some(r.get(1)),
            schema: (nsp != "public").then_some(nsp),
        });
    }
    Ok(out)
}
