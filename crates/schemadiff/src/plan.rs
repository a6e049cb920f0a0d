//! `schemadiff plan`: the verified, dependency-ordered change from the current schema to schema.toml.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use schemadiff::pipeline::{self, Planned};
use schemadiff::report::{self, Style};
use schemadiff_catalog::connect::{ConnectOptions, connect};
use schemadiff_catalog::introspect::IntrospectOptions;
use schemadiff_model::LoadedSchema;

use crate::{FilterArgs, ScratchArgs};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Human,
    Sql,
    Json,
}

/// Where the current schema comes from.
#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    /// The desired-state file.
    #[arg(long, default_value = "schema.toml", value_name = "FILE")]
    pub schema_file: PathBuf,
    /// Compare with this live database (read only) instead of the migrations directory replayed.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// The migrations directory (default: `[migrations] dir` of schema.toml, else `migrations` beside it).
    #[arg(long, value_name = "DIR")]
    pub migrations_dir: Option<PathBuf>,
    /// With --database-url: only these schemas.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    #[command(flatten)]
    pub scratch: ScratchArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output: grouped text with hazards and SQL, the SQL script only, or JSON.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Allow changes that delete data (dropped tables, columns, sequences...).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Exit 1 when there are changes (0 when none, 2 on an error), like `git diff --exit-code`.
    #[arg(long)]
    pub exit_code: bool,
}

/// The migrations directory: the flag, else `[migrations] dir` (relative to schema.toml), else `migrations`.
pub fn migrations_dir(args: &SourceArgs, loaded: &LoadedSchema) -> PathBuf {
    if let Some(d) = &args.migrations_dir {
        return d.clone();
    }
    let dir = loaded
        .schema
        .migrations
        .as_ref()
        .and_then(|m| m.dir.clone())
        .unwrap_or_else(|| "migrations".into());
    match args
        .schema_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        Some(base) => base.join(dir),
        None => PathBuf::from(dir),
    }
}

/// A connection to `--database-url`, when given (with the warnings of reading the connection settings).
pub async fn connect_live(url: Option<&str>) -> Result<Option<tokio_postgres::Client>, String> {
    let Some(url) = url else { return Ok(None) };
    let options = ConnectOptions::resolve(Some(url)).map_err(|e| format!("error: {e}"))?;
    for w in options.warnings() {
        if !crate::quiet() {
            eprintln!("warning: {w}");
        }
    }
    Ok(Some(
        connect(&options)
            .await
            .map_err(|e| format!("error: {e}"))?
            .0,
    ))
}

/// The current schema in canonical form: the live database when connected (its `schemas` only, if any),
/// else the migrations directory replayed.
pub async fn current(
    client: Option<&tokio_postgres::Client>,
    schemas: &[String],
    dir: &std::path::Path,
    scratch: &schemadiff_catalog::scratch::ScratchServer,
    policy: pipeline::UnsupportedPolicy,
) -> Result<pipeline::Current, String> {
    let current = match client {
        Some(c) => {
            let options = IntrospectOptions {
                schemas: schemas.to_vec(),
                ..Default::default()
            };
            pipeline::current_from_database(c, &options, scratch, policy).await
        }
        None => pipeline::current_from_migrations(dir, scratch, policy).await,
    }
    .map_err(|e| e.to_string())?;
    warn_unsupported(&current.unsupported);
    Ok(current)
}

/// With --ignore-unsupported: say what is left as it is (unless -q).
pub fn warn_unsupported(found: &[schemadiff_catalog::unsupported::Unsupported]) {
    if !found.is_empty() && !crate::quiet() {
        schemadiff::progress::clear();
        eprintln!(
            "warning: left as they are, since schemadiff does not model them (--ignore-unsupported):\n{}",
            pipeline::list_unsupported(found)
        );
    }
}

/// Load schema.toml, bring both sides to canonical form, and plan with verification.
pub async fn planned(args: &SourceArgs) -> Result<(LoadedSchema, Planned), String> {
    let loaded = schemadiff_model::load_file(&args.schema_file).map_err(|e| e.to_string())?;
    let client = connect_live(args.database_url.as_deref()).await?;
    let dir = migrations_dir(args, &loaded);
    let filter = args.filter.filter(&loaded.schema)?;
    let target = crate::scratch::Target::of(client.as_ref(), &loaded.schema).await?;
    let planned = crate::scratch::with_scratch(&args.scratch, &target, async |scratch| {
        let desired = pipeline::desired(&loaded, scratch)
            .await
            .map_err(|e| e.to_string())?;
        let current = current(
            client.as_ref(),
            &args.schemas,
            &dir,
            scratch,
            args.filter.policy(&loaded.schema),
        )
        .await?;
        let desired = filter.overlay(&current.schema, &desired);
        let planned = pipeline::plan(&current.schema, &desired, scratch)
            .await
            .map_err(|e| e.to_string())?;
        pipeline::refuse_breaking(&planned.plan, &current.unsupported)?;
        Ok(planned)
    })
    .await?;
    Ok((loaded, planned))
}

/// Refuse data loss unless allowed, naming what would be lost.
pub fn check_destructive(planned: &Planned, allow: bool) -> Result<(), String> {
    let destructive = planned.plan.destructive();
    if allow || destructive.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = destructive
        .iter()
        .map(|c| format!("  - {}", c.describe()))
        .collect();
    Err(format!(
        "error: the plan deletes data, so it is refused:\n{}\nIf that is intended, run again with --allow-destructive.",
        list.join("\n")
    ))
}

pub fn style() -> Style {
    Style {
        color: crate::color_stdout(),
    }
}

/// Print the plan; with --exit-code, say whether it has changes (exit 1).
pub async fn run(args: PlanArgs) -> Result<std::process::ExitCode, String> {
    let (_, planned) = planned(&args.source).await?;
    check_destructive(&planned, args.allow_destructive)?;
    let text = match args.format {
        Format::Human => {
            let mut t = report::human(&planned.plan, style());
            if !planned.plan.is_empty() {
                t.push_str("\n-- Verified on a scratch copy: the plan applies, leaves the desired schema, plans nothing more, and its rollback restores the current schema.\n");
            }
            t
        }
        Format::Sql => planned.plan.transactional_script(),
        Format::Json => report::json(&planned),
    };
    print!("{text}");
    Ok(if args.exit_code && !planned.plan.is_empty() {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

/// `schemadiff fingerprint`: the fingerprint of the current schema, as a JSON plan's `current_fingerprint`.
pub async fn fingerprint(args: SourceArgs) -> Result<(), String> {
    let loaded = schemadiff_model::load_file(&args.schema_file).map_err(|e| e.to_string())?;
    let client = connect_live(args.database_url.as_deref()).await?;
    let dir = migrations_dir(&args, &loaded);
    let target = crate::scratch::Target::of(client.as_ref(), &loaded.schema).await?;
    let current = crate::scratch::with_scratch(&args.scratch, &target, async |scratch| {
        current(
            client.as_ref(),
            &args.schemas,
            &dir,
            scratch,
            args.filter.policy(&loaded.schema),
        )
        .await
        .map(|c| c.schema)
    })
    .await?;
    println!("{}", pipeline::fingerprint(&current));
    Ok(())
}
