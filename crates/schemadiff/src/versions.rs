//! What a schema declares that its target PostgreSQL major version cannot hold. The scratch server would reject
//! it too, with a syntax error that names neither the object nor the version: this says which object and which
//! version it needs, before anything is run.

use schemadiff_model::Schema;

/// One declared feature the target version lacks: the object, the feature, and the first version with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooNew {
    pub object: String,
    pub feature: &'static str,
    pub since: u32,
}

/// Every feature of `schema` that PostgreSQL `major` does not have.
pub fn too_new(schema: &Schema, major: u32) -> Vec<TooNew> {
    let mut found = Vec::new();
    let mut need = |object: String, feature: &'static str, since: u32| {
        if major < since {
            found.push(TooNew {
                object,
                feature,
                since,
            });
        }
    };
    for t in &schema.tables {
        for u in &t.uniques {
            if u.nulls_not_distinct {
                let name = u
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("({})", u.columns.join(", ")));
                need(
                    format!("unique constraint {name} of table {}", t.name),
                    "NULLS NOT DISTINCT (`nulls_not_distinct`)",
                    15,
                );
            }
        }
        for c in &t.columns {
            if c.extras().compression.is_some() {
                need(
                    format!("column {} of table {}", c.name, t.name),
                    "column compression (`compression`)",
                    14,
                );
            }
            if c.extras().generated.is_some() && c.extras().generated_virtual {
                need(
                    format!("column {} of table {}", c.name, t.name),
                    "VIRTUAL generated columns (`virtual = true`)",
                    18,
                );
            }
        }
        for fk in &t.foreign_keys {
            if !fk.on_delete_columns.is_empty() {
                let name = fk
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("({})", fk.columns.join(", ")));
                need(
                    format!("foreign key {name} of table {}", t.name),
                    "a column list on ON DELETE SET NULL / SET DEFAULT (`on_delete_columns`)",
                    15,
                );
            }
        }
        for i in &t.indexes {
            if i.nulls_not_distinct {
                let name = i.name.clone().unwrap_or_else(|| "(unnamed)".into());
                need(
                    format!("index {name} of table {}", t.name),
                    "NULLS NOT DISTINCT (`nulls_not_distinct`)",
                    15,
                );
            }
        }
    }
    for f in &schema.functions {
        if f.sql_standard_body() {
            need(
                format!(
                    "{} {}({})",
                    f.kind_sql().to_lowercase(),
                    f.name,
                    f.arguments
                ),
                "a SQL-standard body (`BEGIN ATOMIC ... END`, `RETURN ...`)",
                14,
            );
        }
    }
    found
}

/// The error for what [`too_new`] found, or `None`.
pub fn check(schema: &Schema, major: u32, target: &str) -> Result<(), String> {
    let found = too_new(schema, major);
    if found.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "  - {}: {} needs PostgreSQL {} or later",
                f.object, f.feature, f.since
            )
        })
        .collect();
    Err(format!(
        "the schema declares what PostgreSQL {major} (the version of {target}) does not have:\n{}\n\
         Remove it, or target a newer PostgreSQL (the live database's version, else `postgres_version` in \
         schema.toml, decides the scratch server's; see docs/versions.md).",
        lines.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_compression_needs_14() {
        let loaded = schemadiff_model::load_str(
            "schema.toml",
            "[tables.t.columns]\nbody = { type = \"text\", compression = \"pglz\" }\n",
        )
        .unwrap();
        assert!(check(&loaded.schema, 14, "x").is_ok());
        let err = check(&loaded.schema, 13, "the live database").unwrap_err();
        for needle in [
            "column body of table t",
            "column compression",
            "PostgreSQL 14 or later",
        ] {
            assert!(err.contains(needle), "{needle:?} missing from:\n{err}");
        }
    }

    #[test]
    fn nulls_not_distinct_needs_15() {
        let loaded = schemadiff_model::load_str(
            "schema.toml",
            r#"
[tables.t.columns]
a = { type = "int" }
[[tables.t.unique]]
columns = ["a"]
nulls_not_distinct = true
"#,
        )
        .unwrap();
        assert!(check(&loaded.schema, 15, "x").is_ok());
        let err = check(&loaded.schema, 14, "the live database").unwrap_err();
        for needle in [
            "PostgreSQL 14",
            "NULLS NOT DISTINCT",
            "PostgreSQL 15 or later",
            "unique constraint (a) of table t",
        ] {
            assert!(err.contains(needle), "{needle:?} missing from:\n{err}");
        }
    }

    #[test]
    fn postgres_version_is_read_and_checked() {
        let table = "\n[tables.t.columns]\na = \"int\"\n";
        let ok =
            schemadiff_model::load_str("schema.toml", &format!("postgres_version = 17\n{table}"))
                .unwrap();
        assert_eq!(ok.schema.postgres_version, Some(17));
        // It is not part of the database: the schema text round-trips it.
        assert!(schemadiff_model::to_toml(&ok.schema).starts_with("postgres_version = 17\n"));
        for bad in ["12", "19", "\"17\""] {
            let err = schemadiff_model::load_str(
                "schema.toml",
                &format!("postgres_version = {bad}\n{table}"),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("postgres_version"), "{bad}: {err}");
        }
    }

    #[test]
    fn virtual_columns_need_18_and_an_expression() {
        let loaded = schemadiff_model::load_str(
            "schema.toml",
            "[tables.t.columns]\na = \"int\"\nb = { type = \"int\", generated = \"a * 2\", virtual = true }\n",
        )
        .unwrap();
        assert!(check(&loaded.schema, 18, "x").is_ok());
        let err = check(&loaded.schema, 17, "x").unwrap_err();
        assert!(
            err.contains("column b of table t: VIRTUAL generated columns"),
            "{err}"
        );
        assert!(err.contains("PostgreSQL 18 or later"), "{err}");
        let err = schemadiff_model::load_str(
            "schema.toml",
            "[tables.t.columns]\nb = { type = \"int\", virtual = true }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("has `virtual` but no `generated` expression"),
            "{err}"
        );
    }

    #[test]
    fn sql_standard_bodies_need_14() {
        let loaded = schemadiff_model::load_str(
            "schema.toml",
            "[functions.\"add(a integer, b integer)\"]\nreturns = \"integer\"\nlanguage = \"sql\"\nbody = \"RETURN a + b\"\n\
             [functions.\"quoted(a integer)\"]\nreturns = \"integer\"\nlanguage = \"sql\"\nbody = \"SELECT a\"\n",
        )
        .unwrap();
        assert!(check(&loaded.schema, 14, "x").is_ok());
        let err = check(&loaded.schema, 13, "x").unwrap_err();
        assert!(
            err.contains("function add(a integer, b integer): a SQL-standard body"),
            "{err}"
        );
        assert!(!err.contains("quoted"), "a quoted body runs on 13: {err}");
    }
}
