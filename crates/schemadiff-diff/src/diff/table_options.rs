//! Table options, the diff stage: persistence (`SET LOGGED` / `SET UNLOGGED`), storage parameters
//! (`SET (...)` / `RESET (...)`), replica identity, and the storage, compression and statistics target of
//! columns. A new table gets its persistence, parameters and column options with its CREATE (see
//! `schemadiff_model::table_options`); its replica identity here, once its index exists.

use schemadiff_model::table_options::{ReplicaIdentity, parameters_sql, set_replica_identity};

use super::*;

/// Storage parameters that `ALTER TABLE ... SET` changes under a SHARE UPDATE EXCLUSIVE lock (reads and
/// writes go on); the others take an ACCESS EXCLUSIVE one.
fn light(parameter: &str) -> bool {
    let p = parameter.strip_prefix("toast.").unwrap_or(parameter);
    p.starts_with("autovacuum_")
        || p.starts_with("vacuum_")
        || matches!(
            p,
            "fillfactor"
                | "toast_tuple_target"
                | "parallel_workers"
                | "log_autovacuum_min_duration"
        )
}

/// The storage a column's type has when the column sets none, for `SET STORAGE` back to it (PostgreSQL
/// before 16 has no `SET STORAGE DEFAULT`). Only types of variable length take another storage than their
/// own: `main` for numeric, inet and cidr, `plain` for tsquery, `extended` for the others. The server checks
/// the result: a plan that leaves another storage (a domain over numeric) fails its verification rather than
/// pass.
fn type_storage(data_type: &str) -> &'static str {
    let t = data_type.to_lowercase();
    if t.ends_with("[]") {
        return "EXTENDED";
    }
    match t.split('(').next().unwrap_or("").trim() {
        "numeric" | "decimal" | "inet" | "cidr" => "MAIN",
        "tsquery" => "PLAIN",
        _ => "EXTENDED",
    }
}

pub(super) fn table_options(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    // Indexes dropped or made anew by the plan: a replica identity on one must be set again.
    let gone: BTreeSet<Res> = out.iter().flat_map(|c| c.removes.clone()).collect();
    let current_tables = current.tables_by_name();
    for t in &desired.tables {
        let q = t.name.sql();
        let group = format!("table {q}");
        let change = |what: &str, phase: Phase| {
            Change::new(
                ChangeKind::SetTableOptions,
                Action::Alter,
                phase,
                format!("{what} of table {q}"),
            )
            .group(group.clone())
            .requires([Res::Table(t.name.clone())])
        };
        let current_table = current_tables.get(&t.name).copied();
        let replica =
            current_table.map_or(ReplicaIdentity::Default, |c| c.replica_identity.clone());
        let rebuilt = match &t.replica_identity {
            ReplicaIdentity::Index(i) => gone.contains(&Res::relation(&t.name.schema, i)),
            _ => false,
        };
        if t.replica_identity != replica || rebuilt {
            let mut c = change("replica identity", Phase::AddForeignKey)
                .sql(set_replica_identity(&t.name, &t.replica_identity));
            if let ReplicaIdentity::Index(i) = &t.replica_identity {
                c = c.requires([Res::relation(&t.name.schema, i)]);
            }
            if current_table.is_some() {
                c = c.hazard(Hazard::AccessExclusiveLock);
            }
            out.push(c);
        }
        // A new table has the rest from its CREATE.
        let Some(c) = current_table else {
            continue;
        };
        // An equal table has the same options (and each column's are found by its name).
        if super::table::same_table(c, t) {
            continue;
        }
        if c.unlogged != t.unlogged {
            let to = if t.unlogged { "UNLOGGED" } else { "LOGGED" };
            out.push(
                change("persistence", Phase::AlterColumn)
                    .sql(format!("ALTER TABLE {q} SET {to}"))
                    .hazard(Hazard::RewritesTable)
                    .hazard(Hazard::AccessExclusiveLock),
            );
        }
        if c.storage_parameters != t.storage_parameters {
            // Every parameter, in order: SET puts those it names last, in its order, so the table ends with
            // the declared order (which pg_dump shows).
            let set = &t.storage_parameters;
            let reset: Vec<&String> = c
                .storage_parameters
                .iter()
                .map(|(k, _)| k)
                .filter(|k| !t.storage_parameters.iter().any(|(n, _)| n == *k))
                .collect();
            let mut ch = change("storage parameters", Phase::AlterColumn);
            if !set.is_empty() {
                ch = ch.sql(format!("ALTER TABLE {q} SET ({})", parameters_sql(set)));
            }
            if !reset.is_empty() {
                let names: Vec<&str> = reset.iter().map(|s| s.as_str()).collect();
                ch = ch.sql(format!("ALTER TABLE {q} RESET ({})", names.join(", ")));
            }
            if !set.iter().map(|(k, _)| k).chain(reset).all(|k| light(k)) {
                ch = ch.hazard(Hazard::AccessExclusiveLock);
            }
            out.push(ch);
        }
        for col in &t.columns {
            // A new column has none yet; a type change gives the column its new type's storage.
            let (storage, compression, statistics) = match c.column(&col.name) {
                Some(o)
                    if o.data_type == col.data_type
                        && o.extras().generated == col.extras().generated =>
                {
                    (
                        o.extras().storage.clone(),
                        o.extras().compression.clone(),
                        o.extras().statistics,
                    )
                }
                Some(o) if o.extras().generated == col.extras().generated => {
                    (None, o.extras().compression.clone(), o.extras().statistics)
                }
                _ => (None, None, None),
            };
            let alter = |what: String| {
                format!(
                    "ALTER TABLE {q} ALTER COLUMN {} {what}",
                    quote_ident(&col.name)
                )
            };
            let mut ch = Change::new(
                ChangeKind::SetColumnOptions,
                Action::Alter,
                Phase::AddConstraint,
                format!("options of column {q}.{}", quote_ident(&col.name)),
            )
            .group(group.clone())
            .requires([Res::Column(t.name.clone(), col.name.clone())]);
            if storage != col.extras().storage {
                let to = col.extras().storage.as_deref().map_or_else(
                    || type_storage(&col.data_type).to_string(),
                    |s| s.to_uppercase(),
                );
                ch = ch
                    .sql(alter(format!("SET STORAGE {to}")))
                    .hazard(Hazard::AccessExclusiveLock);
            }
            if compression != col.extras().compression {
                let to = col.extras().compression.as_deref().unwrap_or("DEFAULT");
                ch = ch
                    .sql(alter(format!("SET COMPRESSION {to}")))
                    .hazard(Hazard::AccessExclusiveLock);
            }
            if statistics != col.extras().statistics {
                ch = ch.sql(alter(format!(
                    "SET STATISTICS {}",
                    col.extras().statistics.unwrap_or(-1)
                )));
            }
            // PostgreSQL 18's name of the NOT NULL constraint (a SET NOT NULL made by the column's change
            // gives the default name; a table or column renamed keeps its old one). Earlier majors read no
            // name on either side, so never get here.
            if let Some(o) = c
                .column(&col.name)
                .filter(|o| o.extras().generated == col.extras().generated)
            {
                let default =
                    schemadiff_model::table_options::default_not_null_name(&t.name.name, &col.name);
                let old = if o.not_null {
                    o.extras().not_null_name.clone()
                } else {
                    None
                };
                let old = old.unwrap_or_else(|| default.clone());
                let new = col.extras().not_null_name.clone().unwrap_or(default);
                if col.not_null && old != new {
                    ch = ch
                        .sql(format!(
                            "ALTER TABLE {q} RENAME CONSTRAINT {} TO {}",
                            quote_ident(&old),
                            quote_ident(&new)
                        ))
                        .hazard(Hazard::AccessExclusiveLock);
                }
            }
            if !ch.statements.is_empty() {
                out.push(ch);
            }
        }
    }
}
