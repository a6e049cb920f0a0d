//! Helpers shared by this crate's PostgreSQL tests.

// Each test binary uses its own part of these helpers.
#![allow(dead_code)]

use schemadiff_model::{LoadedSchema, create_script};

/// Apply the CREATE script of a loaded schema, one statement at a time; on failure, say which statement and
/// which element of the file it came from, with the server's message.
pub async fn apply(client: &tokio_postgres::Client, loaded: &LoadedSchema) -> Result<(), String> {
    // Declared roles belong to the cluster: made once, as scratch servers do.
    for role in &loaded.schema.roles {
        let sql = format!(
            "DO $$BEGIN CREATE ROLE {} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$",
            schemadiff_model::quote_ident(role).replace('$', "")
        );
        client
            .batch_execute(&sql)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    for stmt in create_script(&loaded.schema) {
        if let Err(e) = client.batch_execute(&stmt.sql).await {
            let at = loaded
                .spans
                .object(&stmt.origin)
                .map(|s| loaded.file.location(s.start))
                .unwrap_or_else(|| loaded.file.name.clone());
            let msg = e
                .as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or(e.to_string());
            return Err(format!("{at}: {msg}\nstatement: {}", stmt.sql));
        }
    }
    Ok(())
}

/// One column of text rows.
pub async fn strings(
    client: &tokio_postgres::Client,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Vec<String> {
    client
        .query(sql, params)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}
