//! `schemadiff dump`: a live database's schema as schema.toml.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use schemadiff_catalog::connect::{ConnectOptions, connect};
use schemadiff_catalog::introspect::IntrospectOptions;

use crate::ScratchArgs;

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum Split {
    Tables,
    Schemas,
}

#[derive(Args, Debug)]
pub struct DumpArgs {
    /// The database to read (postgres:// URL or key=value conninfo); else DATABASE_URL, else the PG*
    /// variables, as libpq does.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Only these schemas (repeat the flag for several); all but the system schemas by default.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Write to this file (atomically) instead of standard output; with --split, to this directory.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a schema.toml that includes one file per table (`tables/`) or per schema (`schemas/`), in the
    /// --output directory (replaced whole, atomically).
    #[arg(long, value_enum, requires = "output", value_name = "HOW")]
    pub split: Option<Split>,
    /// Write the owner of each object too (`owner = "role"`), with `[migrations] manage_ownership = true`.
    #[arg(long)]
    pub owners: bool,
    /// Rebuild the schema on a scratch server and write the fixpoint form, proving schemadiff can recreate
    /// what it read (slower: it starts a scratch server). Without it the catalog is written as read.
    #[arg(long)]
    pub canonical: bool,
    #[command(flatten)]
    pub scratch: ScratchArgs,
    #[command(flatten)]
    pub filter: crate::FilterArgs,
}

pub async fn run(args: DumpArgs) -> Result<(), String> {
    let options =
        ConnectOptions::resolve(args.database_url.as_deref()).map_err(|e| format!("error: {e}"))?;
    for w in options.warnings() {
        if !crate::quiet() {
            eprintln!("warning: {w}");
        }
    }
    let (client, _connection) = connect(&options).await.map_err(|e| format!("error: {e}"))?;
    let introspect_options = IntrospectOptions {
        schemas: args.schemas.clone(),
        owners: args.owners,
        ..Default::default()
    };
    let policy = schemadiff::pipeline::UnsupportedPolicy {
        ignore: args.filter.ignore_unsupported,
    };
    let filter = schemadiff::filter::Filter::new(&schemadiff::filter::FilterPatterns {
        include: args.filter.include.clone(),
        exclude: args.filter.exclude.clone(),
        exclude_schemas: args.filter.exclude_schema.clone(),
    })?;
    // By default the catalog is read and written as it is: no scratch server. A dump is in sync with the
    // database it came from either way (plan and check compare elements by rendered text first, and bring
    // differing elements to canonical form on both sides); --canonical rebuilds it on a scratch server and
    // writes the fixpoint form, proving schemadiff can recreate what it read.
    let current = if args.canonical {
        let target =
            crate::scratch::Target::of(Some(&client), &schemadiff_model::Schema::default()).await?;
        crate::scratch::with_scratch(&args.scratch, &target, async |scratch| {
            // The schema is built once: no copy of it is needed later.
            scratch.without_templates();
            schemadiff::pipeline::current_from_database(
                &client,
                &introspect_options,
                scratch,
                policy,
                None,
            )
            .await
            .map_err(|e| format!("dumping {options}: {e}"))
        })
        .await?
    } else {
        schemadiff::pipeline::read_database(&client, &introspect_options, policy)
            .await
            .map_err(|e| format!("dumping {options}: {e}"))?
    };
    crate::plan::warn_unsupported(&current.unsupported);
    let mut schema = filter.retain_owned(current.schema);
    // A desired state names the extensions it needs, not the build a server happens to have.
    for e in &mut schema.extensions {
        e.version = None;
    }
    if args.owners {
        // `public` with its default owner (`pg_database_owner`, or the database's owner before
        // PostgreSQL 15) is left alone, as pg_dump does: its owner is written only when it was changed.
        let database_owner: String = client
            .query_one(
                "SELECT pg_catalog.pg_get_userbyid(datdba)::text FROM pg_catalog.pg_database \
                 WHERE datname = pg_catalog.current_database()",
                &[],
            )
            .await
            .map_err(|e| format!("dumping {options}: {e}"))?
            .get(0);
        let public = schemadiff_model::GrantTarget::Schema("public".into());
        let stated = schemadiff_model::Schema {
            owners: schema
                .owners
                .iter()
                .filter(|o| {
                    o.target != public
                        || (o.role != "pg_database_owner" && o.role != database_owner)
                })
                .cloned()
                .collect(),
            ..Default::default()
        };
        schemadiff_catalog::introspect::keep_stated_owners(&mut schema, &stated);
        schema.migrations = Some(schemadiff_model::MigrationsConfig {
            manage_ownership: true,
            ..Default::default()
        });
    }
    let mut left_out = String::new();
    if !current.unsupported.is_empty() {
        left_out.push_str(
            "# Left out, since schemadiff does not model them yet (dumped with --ignore-unsupported):\n",
        );
        for u in &current.unsupported {
            left_out.push_str(&format!("#   - {u}\n"));
        }
        left_out.push('\n');
    }
    let header = format!(
        "# The schema of database {}, written by `schemadiff dump`.\n# The format is documented in docs/schema-toml.md.\n\n",
        options.dbname()
    );
    if let (Some(split), Some(dir)) = (args.split, &args.output) {
        let files = split_files(&schema, split, &format!("{header}{left_out}"));
        write_directory(dir, &files)?;
        if !crate::quiet() {
            eprintln!(
                "wrote {} ({} files, {} tables)",
                dir.display(),
                files.len(),
                schema.tables.len()
            );
        }
        return Ok(());
    }
    let text = format!("{header}{left_out}{}\n", schemadiff_model::to_toml(&schema));
    match &args.output {
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("error: writing to standard output: {e}")),
        Some(path) => {
            write_atomically(path, &text)?;
            if !crate::quiet() {
                // Tables, not their `[tables.name.columns]` sub-tables.
                let (tables, objects) = (
                    schema.tables.len(),
                    text.lines().filter(|l| l.starts_with('[')).count(),
                );
                eprintln!(
                    "wrote {} ({tables} tables, {objects} sections)",
                    path.display()
                );
            }
            Ok(())
        }
    }
}

/// A name usable as a file name on every system: letters, digits, `_`, `-` and `.` kept, the rest `_`.
fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.');
    if s.is_empty() {
        "_".into()
    } else {
        s.to_string()
    }
}

/// The files of a split dump, by path relative to the directory: `schema.toml` (extensions, schemas, and
/// with --split tables the enums and sequences) including `tables/` or `schemas/`, and one file per table or
/// schema.
fn split_files(
    schema: &schemadiff_model::Schema,
    split: Split,
    header: &str,
) -> Vec<(String, String)> {
    use schemadiff_model::Schema;
    let folder = match split {
        Split::Tables => "tables",
        Split::Schemas => "schemas",
    };
    let mut main = Schema {
        extensions: schema.extensions.clone(),
        schemas: schema.schemas.clone(),
        roles: schema.roles.clone(),
        // Each file writes the grants and owners of its own objects only.
        grants: schema.grants.clone(),
        owners: schema.owners.clone(),
        migrations: schema.migrations.clone(),
        ..Default::default()
    };
    let mut parts: Vec<(String, Schema)> = Vec::new();
    match split {
        Split::Tables => {
            main.enums = schema.enums.clone();
            main.sequences = schema.sequences.clone();
            for t in &schema.tables {
                let stem = file_stem(&format!("{}.{}", t.name.schema, t.name.name));
                parts.push((
                    stem,
                    Schema {
                        tables: vec![t.clone()],
                        policies: schema
                            .policies
                            .iter()
                            .filter(|p| p.table == t.name)
                            .cloned()
                            .collect(),
                        grants: schema.grants.clone(),
                        owners: schema.owners.clone(),
                        ..Default::default()
                    },
                ));
            }
        }
        Split::Schemas => {
            let mut names: Vec<&str> = schema
                .enums
                .iter()
                .map(|e| e.name.schema.as_str())
                .chain(schema.sequences.iter().map(|q| q.name.schema.as_str()))
                .chain(schema.tables.iter().map(|t| t.name.schema.as_str()))
                .collect();
            names.sort();
            names.dedup();
            for n in names {
                parts.push((
                    file_stem(n),
                    Schema {
                        enums: schema
                            .enums
                            .iter()
                            .filter(|e| e.name.schema == n)
                            .cloned()
                            .collect(),
                        sequences: schema
                            .sequences
                            .iter()
                            .filter(|q| q.name.schema == n)
                            .cloned()
                            .collect(),
                        tables: schema
                            .tables
                            .iter()
                            .filter(|t| t.name.schema == n)
                            .cloned()
                            .collect(),
                        policies: schema
                            .policies
                            .iter()
                            .filter(|p| p.table.schema == n)
                            .cloned()
                            .collect(),
                        grants: schema.grants.clone(),
                        owners: schema.owners.clone(),
                        ..Default::default()
                    },
                ));
            }
        }
    }
    // Two names that map to one file name get numbers.
    let mut used: Vec<String> = Vec::new();
    let include = if parts.is_empty() {
        String::new()
    } else {
        format!("include = [\"{folder}\"]\n\n")
    };
    let mut files = vec![(
        "schema.toml".to_string(),
        format!("{header}{include}{}", schemadiff_model::to_toml(&main)),
    )];
    for (stem, part) in parts {
        let mut name = stem.clone();
        let mut n = 1;
        while used.contains(&name) {
            n += 1;
            name = format!("{stem}_{n}");
        }
        used.push(name.clone());
        files.push((
            format!("{folder}/{name}.toml"),
            format!(
                "# Included by schema.toml.\n\n{}",
                schemadiff_model::to_toml(&part)
            ),
        ));
    }
    files
}

/// Write a directory whole: every file in a temporary directory beside it (tempfile, removed on any failure),
/// which then takes its place. A failure leaves the directory as it was and nothing beside it.
fn write_directory(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| {
        format!(
            "error: cannot write {}: {e} (nothing was changed)",
            dir.display()
        )
    };
    let tmp = tempfile::Builder::new()
        .prefix(".schemadiff-tmp-")
        .tempdir_in(parent)
        .map_err(fail)?;
    for (path, text) in files {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(tmp.path())).map_err(fail)?;
        std::fs::write(&p, text).map_err(fail)?;
    }
    // The old directory steps aside (into the temporary one's place) until the new one is in.
    let old = tempfile::Builder::new()
        .prefix(".schemadiff-old-")
        .tempdir_in(parent)
        .map_err(fail)?;
    let aside = old.path().join("previous");
    if dir.exists() {
        std::fs::rename(dir, &aside).map_err(fail)?;
    }
    if let Err(e) = std::fs::rename(tmp.path(), dir) {
        let _ = std::fs::rename(&aside, dir);
        return Err(fail(e));
    }
    // The new directory is in place: forget the temporary one (it is gone), drop the old one.
    let _ = tmp.keep();
    Ok(())
}

/// Write through a temporary file in the same directory (tempfile, removed on any failure), renamed into
/// place: never a half-written file.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: &dyn std::fmt::Display| format!("error: cannot write {}: {e}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".schemadiff-tmp-")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    tmp.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}
