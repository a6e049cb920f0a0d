//! Table options, the catalog stage: persistence, storage parameters and replica identity of every table,
//! and the storage, compression and statistics target of its columns, in one query whatever the number of
//! tables (rows of kind `t` for tables, `c` for columns whose options differ from the defaults).

use std::collections::BTreeMap;

use schemadiff_model::{QualifiedName, ReplicaIdentity, Table};
use tokio_postgres::types::ToSql;

use crate::introspect::{IntrospectError, NAMESPACE_FILTER, Session, not_in_extension};

/// Fills the options of `tables` (read before, matched by name). `version` is `server_version_num`.
pub(crate) async fn read(
    s: &mut Session<'_>,
    p: &[&(dyn ToSql + Sync)],
    version: i32,
    tables: &mut [Table],
) -> Result<(), IntrospectError> {
    let compression = if version >= 140000 {
        "CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END"
    } else {
        "NULL::text"
    };
    // PostgreSQL 17 keeps a default target as NULL, earlier majors as -1.
    let stattarget = if version >= 170000 {
        "a.attstattarget::int"
    } else {
        "CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int END"
    };
    // PostgreSQL 18 names NOT NULL constraints.
    let not_null_name = if version >= 180000 {
        "(SELECT co.conname::text FROM pg_catalog.pg_constraint co \
          WHERE co.conrelid = c.oid AND co.contype = 'n' AND co.conkey = ARRAY[a.attnum])"
    } else {
        "NULL::text"
    };
    let filter = format!(
        "c.relkind IN ('r', 'p') AND {NAMESPACE_FILTER} AND {}",
        not_in_extension("pg_class", "c.oid")
    );
    let rows = s
        .query(
            "reading table options",
            &format!(
                "SELECT 't', n.nspname::text, c.relname::text, NULL::text, c.relpersistence = 'u', \
                        c.reloptions::text[], c.relreplident::text, \
                        (SELECT i.relname::text FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid \
                         WHERE x.indrelid = c.oid AND x.indisreplident LIMIT 1), \
                        NULL::text, NULL::text, NULL::int, NULL::text \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE {filter} \
                   AND (c.relpersistence = 'u' OR c.reloptions IS NOT NULL OR c.relreplident <> 'd') \
                 UNION ALL \
                 SELECT * FROM (SELECT 'c', n.nspname::text, c.relname::text, a.attname::text, false, NULL::text[], NULL::text, NULL::text, \
                        CASE WHEN a.attstorage <> t.typstorage THEN \
                             CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' ELSE 'extended' END END AS storage, \
                        {compression} AS compression, {stattarget} AS stattarget, {not_null_name} AS not_null_name \
                 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
                 WHERE a.attnum > 0 AND NOT a.attisdropped AND {filter}) col \
                 WHERE storage IS NOT NULL OR compression IS NOT NULL OR stattarget IS NOT NULL OR not_null_name IS NOT NULL \
                 ORDER BY 2, 3, 1 DESC, 4"
            ),
            p,
        )
        .await?;
    let mut by_name: BTreeMap<QualifiedName, &mut Table> =
        tables.iter_mut().map(|t| (t.name.clone(), t)).collect();
    for r in rows {
        let name = QualifiedName::new(r.get::<_, String>(1), r.get::<_, String>(2));
        let Some(t) = by_name.get_mut(&name) else {
            continue;
        };
        if r.get::<_, String>(0) == "t" {
            t.unlogged = r.get(4);
            let params: Vec<(String, String)> = r
                .get::<_, Option<Vec<String>>>(5)
                .unwrap_or_default()
                .iter()
                .filter_map(|o| o.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            t.storage_parameters = params;
            t.replica_identity = match r.get::<_, String>(6).as_str() {
                "f" => ReplicaIdentity::Full,
                "n" => ReplicaIdentity::Nothing,
                // An index identity whose index is gone acts as NOTHING.
                "i" => r
                    .get::<_, Option<String>>(7)
                    .map_or(ReplicaIdentity::Nothing, ReplicaIdentity::Index),
                _ => ReplicaIdentity::Default,
            };
        } else {
            let column: String = r.get(3);
            if let Some(c) = t.columns.iter_mut().find(|c| c.name == column) {
                let (storage, compression, statistics): (
                    Option<String>,
                    Option<String>,
                    Option<i32>,
                ) = (r.get(8), r.get(9), r.get(10));
                // Every name, the default ones too: a table or column renamed keeps its old default name.
                let not_null_name: Option<String> = r.get(11);
                // Boxed only when one of them is set.
                if c.extras.is_some()
                    || storage.is_some()
                    || compression.is_some()
                    || statistics.is_some()
                    || not_null_name.is_some()
                {
                    let x = c.extras_mut();
                    x.storage = storage;
                    x.compression = compression;
                    x.statistics = statistics;
                    x.not_null_name = not_null_name;
                }
            }
        }
    }
    Ok(())
}
