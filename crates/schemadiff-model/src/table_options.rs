//! Table options, the model stage: what a table and its columns declare besides their definitions.
//!
//! ```toml
//! [tables.events]
//! unlogged = true                                   # CREATE UNLOGGED TABLE
//! with = { fillfactor = 70, autovacuum_enabled = false }  # storage parameters (not `toast.*`)
//! replica_identity = "full"                         # or "nothing", "default", { index = "events_pkey" }
//!
//! [tables.events.columns]
//! payload = { type = "text", storage = "external", compression = "lz4", statistics = 500 }
//! ```
//!
//! Storage parameters are written as the server keeps them (`fillfactor=70`); the server checks their names
//! and values. A column's storage, compression and statistics target are set after the table is made
//! (`ALTER COLUMN ... SET ...`), which every supported major accepts.

use toml::de::DeValue;

use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, Obj, kind};
use crate::source::Diagnostic;
use crate::types::{Column, ColumnExtras, Table};

/// What logical decoding writes of the old row of an update or delete.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ReplicaIdentity {
    /// The primary key's columns (the default).
    #[default]
    Default,
    /// Every column.
    Full,
    /// Nothing.
    Nothing,
    /// The columns of this unique index (its name, in the table's schema).
    Index(String),
}

impl ReplicaIdentity {
    pub fn sql(&self) -> String {
        match self {
            ReplicaIdentity::Default => "DEFAULT".into(),
            ReplicaIdentity::Full => "FULL".into(),
            ReplicaIdentity::Nothing => "NOTHING".into(),
            ReplicaIdentity::Index(i) => format!("USING INDEX {}", quote_ident(i)),
        }
    }
}

/// The column storage strategies (`attstorage`).
pub const STORAGES: [&str; 4] = ["plain", "external", "extended", "main"];
/// The compression methods of PostgreSQL 14+ (`attcompression`).
pub const COMPRESSIONS: [&str; 2] = ["pglz", "lz4"];

/// Whether `key` can be a storage parameter's name: a lowercase word (`toast.*` ones are not modelled).
fn parameter_name(key: &str) -> bool {
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Decoder {
    /// `unlogged`, `with` and `replica_identity` of a table.
    pub(crate) fn table_options(&mut self, obj: &Obj, table: &mut Table) {
        table.unlogged = self.boolean(obj, "unlogged");
        if let Some(v) = obj.get("with") {
            let what = format!("`with` of {}", obj.what);
            if let Some(t) = self.table(
                v,
                &what,
                "write `with = { fillfactor = 70, autovacuum_enabled = false }`",
            ) {
                self.record(obj, "with", v.span());
                let mut params = Vec::new();
                for (k, val) in t.iter() {
                    // `toast.autovacuum_enabled = false` in TOML is a table `toast`.
                    if k.get_ref().as_ref() == "toast" || k.get_ref().starts_with("toast.") {
                        self.error(
                            Diagnostic::new(
                                val.span(),
                                format!("the TOAST table's storage parameters (`toast.*`) in {what} are not modelled"),
                            )
                            .help("leave them out of schema.toml; a database that has them reports them as unsupported"),
                        );
                        continue;
                    }
                    self.parameter(&what, k.get_ref(), val, &mut params);
                }
                table.storage_parameters = params;
            }
        }
        if let Some(v) = obj.get("replica_identity") {
            self.record(obj, "replica_identity", v.span());
            let help = "write `replica_identity = \"full\"` (or \"nothing\", \"default\") or `replica_identity = { index = \"name\" }`";
            table.replica_identity = match v.get_ref() {
                DeValue::String(s) => match s.to_lowercase().as_str() {
                    "default" => ReplicaIdentity::Default,
                    "full" => ReplicaIdentity::Full,
                    "nothing" => ReplicaIdentity::Nothing,
                    _ => {
                        self.error(
                            Diagnostic::new(
                                v.span(),
                                format!("`replica_identity` in {} cannot be \"{s}\"", obj.what),
                            )
                            .help(help),
                        );
                        ReplicaIdentity::Default
                    }
                },
                DeValue::Table(t) => {
                    let iobj = Obj {
                        table: t,
                        what: format!("`replica_identity` of {}", obj.what),
                        path: None,
                    };
                    self.check_keys(&iobj, &["index"]);
                    match self.opt_string(&iobj, "index") {
                        Some(i) if !i.is_empty() && !i.contains('\0') => ReplicaIdentity::Index(i),
                        _ => {
                            self.error(
                                Diagnostic::new(
                                    v.span(),
                                    format!("`replica_identity` of {} names no index", obj.what),
                                )
                                .help(help),
                            );
                            ReplicaIdentity::Default
                        }
                    }
                }
                other => {
                    self.error(
                        Diagnostic::new(
                            v.span(),
                            format!(
                                "`replica_identity` in {} must be a string or a table, found {}",
                                obj.what,
                                kind(other)
                            ),
                        )
                        .help(help),
                    );
                    ReplicaIdentity::Default
                }
            };
        }
    }

    fn parameter(
        &mut self,
        what: &str,
        name: &str,
        val: &crate::load::Val,
        out: &mut Vec<(String, String)>,
    ) {
        if !parameter_name(name) {
            self.error(
                Diagnostic::new(val.span(), format!("`{name}` in {what} is not a storage parameter's name"))
                    .help("storage parameters are lowercase words such as `fillfactor` or `autovacuum_enabled`"),
            );
            return;
        }
        let text = match val.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', ""),
            DeValue::Float(f) => f.as_str().replace('_', ""),
            DeValue::Boolean(b) => b.to_string(),
            DeValue::String(s) if !s.contains('\0') => s.to_string(),
            other => {
                self.error(Diagnostic::new(
                    val.span(),
                    format!(
                        "`{name}` in {what} must be a number, a boolean or a string, found {}",
                        kind(other)
                    ),
                ));
                return;
            }
        };
        out.push((name.to_string(), text));
    }

    /// `storage`, `compression`, `statistics` and `not_null_name` of a column (into `extras`, which the caller
    /// boxes into the column only when something in it is set).
    pub(crate) fn column_options(
        &mut self,
        obj: &Obj,
        column: &mut Column,
        extras: &mut ColumnExtras,
    ) {
        extras.storage = self.choice(obj, "storage", &STORAGES);
        extras.compression = self.choice(obj, "compression", &COMPRESSIONS);
        extras.statistics = match self.integer(obj, "statistics") {
            Some(n) if (0..=10000).contains(&n) => Some(n as i32),
            Some(_) => {
                let span = obj.get("statistics").expect("read").span();
                self.error(
                    Diagnostic::new(
                        span,
                        format!("`statistics` in {} must be from 0 to 10000", obj.what),
                    )
                    .help("leave `statistics` out for the default target"),
                );
                None
            }
            None => None,
        };
        extras.not_null_name = self.opt_string(obj, "not_null_name");
        if extras.not_null_name.is_some() {
            column.not_null = true;
        }
    }
}

/// `CREATE TABLE` or `CREATE UNLOGGED TABLE`.
pub fn create_keyword(t: &Table) -> &'static str {
    if t.unlogged {
        "CREATE UNLOGGED TABLE"
    } else {
        "CREATE TABLE"
    }
}

/// ` WITH (fillfactor = '70')`, or nothing.
pub fn with_clause(t: &Table) -> String {
    if t.storage_parameters.is_empty() {
        return String::new();
    }
    format!(" WITH ({})", parameters_sql(&t.storage_parameters))
}

/// `fillfactor = '70', autovacuum_enabled = 'false'`: names checked by the decoder, values quoted.
pub fn parameters_sql(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k} = {}", quote_literal(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `ALTER COLUMN ... SET` statements of a column's storage, compression and statistics target.
pub fn column_statements(table: &QualifiedName, c: &Column) -> Vec<String> {
    let alter = |what: String| {
        format!(
            "ALTER TABLE {} ALTER COLUMN {} {what}",
            table.sql(),
            quote_ident(&c.name)
        )
    };
    let mut out = Vec::new();
    let x = c.extras();
    if let Some(s) = &x.storage {
        out.push(alter(format!("SET STORAGE {}", s.to_uppercase())));
    }
    if let Some(m) = &x.compression {
        out.push(alter(format!("SET COMPRESSION {m}")));
    }
    if let Some(n) = x.statistics {
        out.push(alter(format!("SET STATISTICS {n}")));
    }
    out
}

/// `ALTER TABLE ... REPLICA IDENTITY ...`.
pub fn set_replica_identity(table: &QualifiedName, r: &ReplicaIdentity) -> String {
    format!("ALTER TABLE {} REPLICA IDENTITY {}", table.sql(), r.sql())
}

/// What sets the replica identities of `schema`'s tables once their indexes exist.
pub fn replica_identities(schema: &crate::Schema) -> Vec<(crate::ObjectPath, String)> {
    schema
        .tables
        .iter()
        .filter(|t| t.replica_identity != ReplicaIdentity::Default)
        .map(|t| {
            (
                crate::ObjectPath::Table(t.name.clone()),
                set_replica_identity(&t.name, &t.replica_identity),
            )
        })
        .collect()
}

/// The TOML lines of a table's options (under `[tables.<name>]`), and whether there are any.
pub(crate) fn dump_table(out: &mut String, t: &Table) {
    use std::fmt::Write;
    if t.unlogged {
        out.push_str("unlogged = true\n");
    }
    if !t.storage_parameters.is_empty() {
        let pairs: Vec<String> = t
            .storage_parameters
            .iter()
            .map(|(k, v)| {
                let key = if k.contains('.') {
                    crate::dump::toml_string(k)
                } else {
                    k.clone()
                };
                format!("{key} = {}", toml_value(v))
            })
            .collect();
        let _ = writeln!(out, "with = {{ {} }}", pairs.join(", "));
    }
    match &t.replica_identity {
        ReplicaIdentity::Default => {}
        ReplicaIdentity::Full => out.push_str("replica_identity = \"full\"\n"),
        ReplicaIdentity::Nothing => out.push_str("replica_identity = \"nothing\"\n"),
        ReplicaIdentity::Index(i) => {
            let _ = writeln!(
                out,
                "replica_identity = {{ index = {} }}",
                crate::dump::toml_string(i)
            );
        }
    }
}

/// Whether a table has options to dump under `[tables.<name>]`.
pub(crate) fn has_table_options(t: &Table) -> bool {
    t.unlogged || !t.storage_parameters.is_empty() || t.replica_identity != ReplicaIdentity::Default
}

/// A storage parameter's value in TOML: a number or boolean as such (when TOML reads it back as the same
/// text), anything else as a string.
fn toml_value(v: &str) -> String {
    let digits = |d: &str| {
        !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) && (d == "0" || !d.starts_with('0'))
    };
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    let number = match unsigned.split_once('.') {
        None => digits(unsigned),
        Some((int, frac)) => {
            digits(int) && !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit())
        }
    };
    if number || v == "true" || v == "false" {
        v.to_string()
    } else {
        crate::dump::toml_string(v)
    }
}

/// The column's options as TOML pairs.
pub(crate) fn dump_column(pairs: &mut Vec<(&'static str, String)>, table: &Table, c: &Column) {
    let x = c.extras();
    if let Some(s) = &x.storage {
        pairs.push(("storage", crate::dump::toml_string(s)));
    }
    if let Some(m) = &x.compression {
        pairs.push(("compression", crate::dump::toml_string(m)));
    }
    if let Some(n) = x.statistics {
        pairs.push(("statistics", n.to_string()));
    }
    if let Some(n) = x
        .not_null_name
        .as_ref()
        .filter(|n| **n != default_not_null_name(&table.name.name, &c.name))
    {
        pairs.push(("not_null_name", crate::dump::toml_string(n)));
    }
}

/// The name PostgreSQL 18 gives the NOT NULL constraint of `table.column` when none is written.
pub fn default_not_null_name(table: &str, column: &str) -> String {
    crate::naming::make_object_name(table, Some(column), "not_null")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_toml_kind() {
        assert_eq!(toml_value("70"), "70");
        assert_eq!(toml_value("0.2"), "0.2");
        assert_eq!(toml_value("0"), "0");
        assert_eq!(toml_value("false"), "false");
        assert_eq!(toml_value("on"), "\"on\"");
        assert_eq!(toml_value("007"), "\"007\"");
        assert_eq!(toml_value("-1"), "-1");
        assert!(parameter_name("autovacuum_enabled"));
        assert!(!parameter_name("toast.autovacuum_enabled"));
        assert!(!parameter_name("fillfactor = 1); DROP TABLE x; --"));
        assert!(!parameter_name("Fillfactor"));
    }
}
