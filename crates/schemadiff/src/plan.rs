//! `schemadiff plan`: the verified, dependency-ordered change from the current schema to schema.toml.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use schemadiff::pipeline::{self, Planned};
use schemadiff::report::{self, Style};
use schemadiff_catalog::connect::{ConnectOptions, connect};
use schemadiff_catalog::introspect::IntrospectOptions;
use schemadiff_diff::Hazard;
use schemadiff_model::LoadedSchema;
use std::collections::BTreeSet;

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
    /// Plan for a busy database: concurrent index builds, constraints added NOT VALID then validated, SET
    /// NOT NULL through a check, lock and statement timeouts (default: `[migrations] online`).
    #[arg(long)]
    pub online: bool,
}

/// schema.toml, with the settings that flags override (`--online`).
pub fn load(args: &SourceArgs) -> Result<LoadedSchema, String> {
    load_from(&args.schema_file, args.online)
}

/// [`load`] of `path`, with `--online` when `online`.
fn load_from(path: &std::path::Path, online: bool) -> Result<LoadedSchema, String> {
    let mut loaded = schemadiff_model::load_file(path).map_err(|e| e.to_string())?;
    if online {
        loaded
            .schema
            .migrations
            .get_or_insert_with(Default::default)
            .online = true;
    }
    Ok(loaded)
}

/// Which hazards a plan may carry: `--allow-hazards`, `--allow-destructive` and `[migrations] allow_hazards`.
#[derive(Args, Debug, Clone, Default)]
pub struct HazardArgs {
    /// Allow changes that delete data (dropped tables, columns, sequences...): `--allow-hazards deletes_data`.
    #[arg(long)]
    pub allow_destructive: bool,
    /// Allow these hazards (codes, comma-separated: `deletes_data,rewrites_table`; docs/hazards.md lists
    /// them). Without it, a plan that deletes data is refused, and in online mode also one that still
    /// rewrites a table or blocks writes while it builds an index or checks rows.
    #[arg(long, value_delimiter = ',', value_name = "HAZARD,...")]
    pub allow_hazards: Vec<String>,
}

/// The hazards refused unless allowed: data loss, the end of a table's row-level security and a table rebuilt to change its partitioning always; in online mode, what still blocks writes for long.
pub const GUARDED: [Hazard; 3] = [
    Hazard::DeletesData,
    Hazard::RemovesRowSecurity,
    Hazard::RebuildsTable,
];
pub const GUARDED_ONLINE: [Hazard; 4] = [
    Hazard::RewritesTable,
    Hazard::BuildsIndexBlockingWrites,
    Hazard::ShareLock,
    Hazard::ShareRowExclusiveLock,
];

impl HazardArgs {
    /// The allowed hazards, from the flags and schema.toml; an unknown code is an error naming the known ones.
    pub fn allowed(&self, loaded: &LoadedSchema) -> Result<BTreeSet<Hazard>, String> {
        let mut allowed = BTreeSet::new();
        if self.allow_destructive {
            allowed.insert(Hazard::DeletesData);
        }
        let configured = loaded
            .schema
            .migrations
            .as_ref()
            .map(|m| m.allow_hazards.clone())
            .unwrap_or_default();
        for code in self.allow_hazards.iter().chain(&configured) {
            let code = code.trim();
            match Hazard::from_code(code) {
                Some(h) => {
                    allowed.insert(h);
                }
                None => {
                    let codes: Vec<&str> = Hazard::ALL.iter().map(|h| h.code()).collect();
                    return Err(format!(
                        "error: --allow-hazards: unknown hazard `{code}`\n  the hazards are: {}",
                        codes.join(", ")
                    ));
                }
            }
        }
        Ok(allowed)
    }
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output: grouped text with hazards and SQL, the SQL script only, or JSON.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    #[command(flatten)]
    pub hazards: HazardArgs,
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
/// else the migrations directory replayed; with the owners `stated` (the schema as loaded) manages.
pub async fn current(
    client: Option<&tokio_postgres::Client>,
    schemas: &[String],
    dir: &std::path::Path,
    scratch: &schemadiff_catalog::scratch::ScratchServer,
    policy: pipeline::UnsupportedPolicy,
    stated: &schemadiff_model::Schema,
) -> Result<pipeline::Current, String> {
    let current = current_unwarned(client, schemas, dir, scratch, policy, stated).await?;
    warn_unsupported(&current.unsupported);
    Ok(current)
}

/// [`current`], without the warning about what is left as it is.
async fn current_unwarned(
    client: Option<&tokio_postgres::Client>,
    schemas: &[String],
    dir: &std::path::Path,
    scratch: &schemadiff_catalog::scratch::ScratchServer,
    policy: pipeline::UnsupportedPolicy,
    stated: &schemadiff_model::Schema,
) -> Result<pipeline::Current, String> {
    match client {
        Some(c) => {
            let options = IntrospectOptions {
                schemas: schemas.to_vec(),
                ..pipeline::owner_options(stated)
            };
            pipeline::current_from_database(c, &options, scratch, policy, Some(stated)).await
        }
        None => pipeline::current_from_migrations(dir, scratch, policy, stated).await,
    }
    .map_err(|e| e.to_string())
}

/// Roles are the cluster's, and a plan never makes one on a live database: say which roles schema.toml declares
/// that the live database's cluster lacks (unless -q), since a migration naming one fails there.
async fn warn_missing_roles(
    client: &tokio_postgres::Client,
    declared: &[String],
) -> Result<(), String> {
    let missing = schemadiff_catalog::policy::missing_roles(client, declared)
        .await
        .map_err(|e| format!("error: reading the roles of the live database: {e}"))?;
    if !missing.is_empty() && !crate::quiet() {
        schemadiff::progress::clear();
        let names: Vec<String> = missing
            .iter()
            .map(|r| schemadiff_model::printable(r).into_owned())
            .collect();
        eprintln!(
            "warning: declared in [roles] but missing on the live database's server: {}\n  schemadiff never creates roles on a live database: create them there (e.g. `CREATE ROLE {} NOLOGIN`) before applying a migration that names them.",
            names.join(", "),
            schemadiff_model::printable(&schemadiff_model::quote_ident(&missing[0]))
        );
    }
    Ok(())
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

/// From this many tables in schema.toml on, `plan` starts the scratch cluster as soon as schema.toml is loaded,
/// while the live database is still read: reading and comparing that many takes about as long as the start.
const PRESTART_TABLES: usize = 200;

/// Load schema.toml, bring both sides to canonical form, and plan with verification.
pub async fn planned(args: &SourceArgs) -> Result<(LoadedSchema, Planned), String> {
    // schema.toml is loaded (on a thread of its own) while the live database is read: on a large schema each
    // takes seconds. The read takes the owners whatever schema.toml says: `keep_stated_owners` then keeps
    // those it manages, as a read with `owner_options` would. A problem of schema.toml is still reported
    // before one of the live database.
    // Against a live database, schema.toml's text is rendered there too, for the comparison with the database
    // as read (see `incremental::prepare_with`).
    let mut loading = {
        let (path, online) = (args.schema_file.clone(), args.online);
        let live = args.database_url.is_some();
        tokio::task::spawn_blocking(move || {
            load_from(&path, online).map(|loaded| {
                let text = live.then(|| schemadiff_catalog::incremental::desired_text(&loaded));
                (loaded, text)
            })
        })
    };
    let client = connect_live(args.database_url.as_deref()).await;
    // The live database's version before its read: the scratch cluster of that version can start as soon as
    // schema.toml is loaded, while the read goes on.
    let live_major = match &client {
        Ok(Some(c)) => Some(crate::scratch::live_major(c).await),
        _ => None,
    };
    let options = IntrospectOptions {
        schemas: args.schemas.to_vec(),
        owners: true,
        ..Default::default()
    };
    let reading = async {
        match &client {
            Ok(Some(c)) => {
                let _stage = schemadiff::progress::stage("reading the live database");
                Some(schemadiff_catalog::introspect::introspect(c, &options).await)
            }
            _ => None,
        }
    };
    tokio::pin!(reading);
    // Usually the read takes longer: it goes on (inside the scratch server's scope below) after the load.
    let mut early_read = None;
    let loaded = tokio::select! {
        loaded = &mut loading => loaded,
        read = &mut reading => {
            early_read = Some(read);
            loading.await
        }
    };
    let (loaded, mut text) =
        loaded.map_err(|e| format!("error: loading the schema file stopped: {e}"))??;
    let client = match &client {
        Ok(c) => c.as_ref(),
        Err(e) => return Err(e.clone()),
    };
    let dir = migrations_dir(args, &loaded);
    let filter = args.filter.filter(&loaded.schema)?;
    let target = match live_major {
        Some(major) => crate::scratch::Target::live(major?, &loaded.schema),
        None => crate::scratch::Target::of(client, &loaded.schema).await?,
    };
    let planned = crate::scratch::with_scratch(&args.scratch, &target, async |scratch| {
        let policy = args.filter.policy(&loaded.schema);
        // The current side before the desired one, which is then normalized against it: only what schema.toml
        // changes goes through the scratch server. The desired side's problems are reported first, as always.
        let (current, desired) = match client {
            Some(c) => {
                // A large schema: the scratch cluster starts while the live database is still read and
                // schema.toml is compared with it (a plan usually changes something). A small one compares
                // faster than the cluster starts, and a plan of nothing needs none: it starts on first use.
                if loaded.schema.tables.len() >= PRESTART_TABLES {
                    scratch.prestart().await;
                }
                let read = match early_read.take() {
                    Some(read) => read,
                    None => (&mut reading).await,
                }
                .expect("read when connected");
                let mut read = match pipeline::gate_read(read, policy) {
                    Ok(read) => read,
                    Err(e) => {
                        pipeline::desired(&loaded, scratch)
                            .await
                            .map_err(|e| e.to_string())?;
                        return Err(e.to_string());
                    }
                };
                schemadiff_catalog::introspect::keep_stated_owners(
                    &mut read.schema,
                    &loaded.schema,
                );
                // The schema as read is the current side: only the tables where it and schema.toml differ go
                // through the scratch server, on both sides (see `pipeline::plan_live`).
                warn_unsupported(&read.unsupported);
                let directives = schemadiff_model::Directives::of(&loaded.schema);
                let overlay: &pipeline::Overlay<'_> =
                    &|current, desired| filter.overlay_borrowed(current, desired);
                let (current, _, planned) =
                    pipeline::plan_live(read, &loaded, text.take(), overlay, &directives, scratch)
                        .await
                        .map_err(|e| e.to_string())?;
                pipeline::refuse_breaking(&planned.plan, &current.unsupported)?;
                warn_missing_roles(c, &loaded.schema.roles).await?;
                return Ok(planned);
            }
            None => {
                let current = match current_unwarned(
                    None,
                    &args.schemas,
                    &dir,
                    scratch,
                    policy,
                    &loaded.schema,
                )
                .await
                {
                    Ok(current) => current,
                    Err(e) => {
                        pipeline::desired(&loaded, scratch)
                            .await
                            .map_err(|e| e.to_string())?;
                        return Err(e);
                    }
                };
                let desired = pipeline::desired_against(&loaded, Some(&current.schema), scratch)
                    .await
                    .map_err(|e| e.to_string())?;
                (current, desired)
            }
        };
        warn_unsupported(&current.unsupported);
        let desired = filter.overlay(&current.schema, desired);
        let directives = schemadiff_model::Directives::of(&loaded.schema);
        let planned = pipeline::plan(&current.schema, &desired, &directives, scratch)
            .await
            .map_err(|e| e.to_string())?;
        pipeline::refuse_breaking(&planned.plan, &current.unsupported)?;
        Ok(planned)
    })
    .await?;
    Ok((loaded, planned))
}

/// Refuse a plan with hazards that are guarded and not allowed, naming each change and what allows it.
pub fn check_hazards(
    planned: &Planned,
    allowed: &BTreeSet<Hazard>,
    online: bool,
) -> Result<(), String> {
    let guarded: Vec<Hazard> = GUARDED
        .iter()
        .chain(if online { &GUARDED_ONLINE[..] } else { &[] })
        .copied()
        .filter(|h| !allowed.contains(h))
        .collect();
    let mut refused: BTreeSet<Hazard> = BTreeSet::new();
    let mut list = Vec::new();
    for c in &planned.plan.changes {
        let hit: Vec<Hazard> = c
            .hazards
            .iter()
            .copied()
            .filter(|h| guarded.contains(h))
            .collect();
        if hit.is_empty() {
            continue;
        }
        refused.extend(&hit);
        let what: Vec<&str> = hit.iter().map(|h| h.description()).collect();
        list.push(format!("  - {}: {}", c.describe(), what.join(", ")));
    }
    if list.is_empty() {
        return Ok(());
    }
    let codes: Vec<&str> = refused.iter().map(|h| h.code()).collect();
    let (head, tail) = if refused.iter().all(|h| *h == Hazard::DeletesData) {
        (
            "the plan deletes data, so it is refused",
            "If that is intended, run again with --allow-destructive.".to_string(),
        )
    } else {
        (
            "the plan has hazards that are not allowed, so it is refused",
            format!(
                "If that is intended, run again with --allow-hazards {} (or list them in `allow_hazards` under [migrations] in schema.toml).",
                codes.join(",")
            ),
        )
    };
    Err(format!("error: {head}:\n{}\n{tail}", list.join("\n")))
}

pub fn style() -> Style {
    Style {
        color: crate::color_stdout(),
    }
}

/// Print the plan; with --exit-code, say whether it has changes (exit 1).
pub async fn run(args: PlanArgs) -> Result<std::process::ExitCode, String> {
    let (loaded, planned) = planned(&args.source).await?;
    let online = loaded.schema.migrations.as_ref().is_some_and(|m| m.online);
    check_hazards(&planned, &args.hazards.allowed(&loaded)?, online)?;
    let text = match args.format {
        Format::Human => {
            let mut t = report::human(&planned.plan, style());
            if !planned.plan.is_empty() {
                t.push_str("\n-- Verified on a scratch copy: the plan applies, leaves the desired schema, plans nothing more, and its rollback restores the current schema.\n");
            }
            t
        }
        // Online: statements that cannot run in a transaction block run one by one, under the timeouts.
        Format::Sql if online && !planned.plan.is_empty() => schemadiff_diff::online::script(
            &planned.plan.changes,
            &schemadiff_diff::online::Timeouts::of(
                loaded
                    .schema
                    .migrations
                    .as_ref()
                    .expect("online is set there"),
            ),
            true,
        ),
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
        // A live database: its schema as read, which is what a plan is made from (see `pipeline::plan_live`).
        if let Some(c) = client.as_ref() {
            let options = IntrospectOptions {
                schemas: args.schemas.to_vec(),
                ..pipeline::owner_options(&loaded.schema)
            };
            let mut read = pipeline::read_database(c, &options, args.filter.policy(&loaded.schema))
                .await
                .map_err(|e| e.to_string())?;
            warn_unsupported(&read.unsupported);
            schemadiff_catalog::introspect::keep_stated_owners(&mut read.schema, &loaded.schema);
            return Ok(read.schema);
        }
        current(
            client.as_ref(),
            &args.schemas,
            &dir,
            scratch,
            args.filter.policy(&loaded.schema),
            &loaded.schema,
        )
        .await
        .map(|c| c.schema)
    })
    .await?;
    println!("{}", pipeline::fingerprint(&current));
    Ok(())
}
