//! `schemadiff dump`: a live database's schema as schema.toml.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use schemadiff_catalog::connect::{ConnectOptions, connect};
use schemadiff_catalog::introspect::IntrospectOptions;

use crate::ScratchArgs;

#[derive(Args, Debug)]
pub struct DumpArgs {
    /// The database to read (postgres:// URL or key=value conninfo); else DATABASE_URL, else the PG*
    /// variables, as libpq does.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Only these schemas (repeat the flag for several); all but the system schemas by default.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    let text = crate::scratch::with_scratch(&args.scratch, async |scratch| {
        let current = schemadiff::pipeline::current_from_database(
            &client,
            &introspect_options,
            scratch,
            policy,
        )
        .await
        .map_err(|e| format!("dumping {options}: {e}"))?;
        crate::plan::warn_unsupported(&current.unsupported);
        let mut schema = filter.retain(&current.schema);
        // A desired state names the extensions it needs, not the build a server happens to have.
        for e in &mut schema.extensions {
            e.version = None;
        }
        let mut text = String::new();
        if !current.unsupported.is_empty() {
            text.push_str("# Left out, since schemadiff does not model them yet (dumped with --ignore-unsupported):\n");
            for u in &current.unsupported {
                text.push_str(&format!("#   - {u}\n"));
            }
            text.push('\n');
        }
        text.push_str(&schemadiff_model::to_toml(&schema));
        Ok::<_, String>(text)
    })
    .await?;
    let header = format!(
        "# The schema of database {}, written by `schemadiff dump`.\n# The format is documented in docs/schema-toml.md.\n\n",
        options.dbname()
    );
    let text = format!("{header}{text}\n");
    match &args.output {
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("error: writing to standard output: {e}")),
        Some(path) => {
            write_atomically(path, &text)?;
            if !crate::quiet() {
                let (tables, objects) = (
                    text.matches("\n[tables.").count(),
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

/// Write through a temporary file in the same directory, renamed into place: never a half-written file.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("error: {} is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.schemadiff-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("error: cannot write {}: {e}", path.display()));
    }
    Ok(())
}
