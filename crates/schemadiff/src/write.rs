//! `schemadiff write`: the next numbered migration file, with its rollback, in the directory's own format.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use schemadiff::pipeline::{self, Planned};
use schemadiff_diff::{Hazard, Plan};
use schemadiff_migrate::write::{self, NewMigration, supports_no_transaction};
use schemadiff_migrate::{Format, Layout, sum};

use crate::plan::{SourceArgs, check_destructive, connect_live, current, migrations_dir};

#[derive(Args, Debug)]
pub struct WriteArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// What the migration does, for its file name (and description, where the format has one); by default,
    /// its main change.
    #[arg(long)]
    pub name: Option<String>,
    /// Allow changes that delete data (dropped tables, columns, sequences...).
    #[arg(long)]
    pub allow_destructive: bool,
}

#[derive(Args, Debug)]
pub struct RehashArgs {
    /// The desired-state file (for `[migrations]`).
    #[arg(long, default_value = "schema.toml", value_name = "FILE")]
    pub schema_file: std::path::PathBuf,
    /// The migrations directory (default: `[migrations] dir` of schema.toml, else `migrations` beside it).
    #[arg(long, value_name = "DIR")]
    pub migrations_dir: Option<std::path::PathBuf>,
}

/// `schemadiff rehash`: record every migration file of the directory as it is now.
pub fn rehash(args: &RehashArgs) -> Result<String, String> {
    let loaded = schemadiff_model::load_file(&args.schema_file).map_err(|e| e.to_string())?;
    let source = crate::plan::SourceArgs {
        schema_file: args.schema_file.clone(),
        database_url: None,
        migrations_dir: args.migrations_dir.clone(),
        schemas: Vec::new(),
        scratch: Default::default(),
        filter: Default::default(),
    };
    let dir = migrations_dir(&source, &loaded);
    let config = loaded.schema.migrations.clone().unwrap_or_default();
    let layout =
        schemadiff_migrate::layout::read(&dir, config.format.as_deref(), config.naming.as_deref())
            .map_err(|e| e.to_string())?;
    let before = sum::verify(&layout).map_err(|e| format!("error: {e}"))?;
    let sums = sum::checksums(&layout).map_err(|e| format!("error: {e}"))?;
    sum::replace(&dir, &sum::render(&sums)).map_err(|e| {
        format!(
            "error: cannot write {}: {e}",
            dir.join(sum::SUM_FILE).display()
        )
    })?;
    let mut message = format!(
        "recorded {} migration files in {}",
        sums.len(),
        dir.join(sum::SUM_FILE).display()
    );
    for c in &before {
        message.push_str(&format!(
            "
  accepted: {c}"
        ));
    }
    Ok(message)
}

/// The current UTC time as `YYYYMMDDHHMMSS` (`SCHEMADIFF_NOW` sets it, for reproducible timestamps).
fn now() -> String {
    if let Ok(v) = std::env::var("SCHEMADIFF_NOW") {
        return v;
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A name from the plan's main change: the tables it creates, or its first change.
fn derived_name(plan: &Plan) -> String {
    let short = |object: &str| {
        object
            .split_once(' ')
            .map_or(object, |(_, o)| o)
            .replace("public.", "")
    };
    let created: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| c.kind == "create_table")
        .map(|c| short(&c.object))
        .collect();
    if !created.is_empty() {
        let mut name = format!(
            "create {}",
            created
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        );
        if created.len() > 3 {
            name.push_str(&format!(" and {} more", created.len() - 3));
        }
        return name;
    }
    let first = &plan.changes[0];
    let mut name = format!("{} {}", first.kind.replace('_', " "), short(&first.object));
    let groups = plan
        .changes
        .iter()
        .map(|c| &c.group)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if groups > 1 {
        name.push_str(" and more");
    }
    name
}

fn no_transaction(plan: &Plan) -> bool {
    plan.changes
        .iter()
        .any(|c| c.hazards.contains(&Hazard::NotTransactional))
}

/// An exclusive lock on the migrations directory, held for the whole of `write`: two writes at once would
/// both take the next number. It is `flock` on the directory itself (or, while the directory does not exist,
/// on its nearest existing parent): nothing is created in the directory, and the lock ends with the process,
/// whatever ends it.
struct DirLock {
    _file: std::fs::File,
}

async fn lock_directory(dir: &Path) -> Result<DirLock, String> {
    let target = dir
        .ancestors()
        .find(|p| p.is_dir())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let file = std::fs::File::open(&target)
        .map_err(|e| format!("error: cannot open {} to lock it: {e}", target.display()))?;
    match flock(&file, libc::LOCK_EX | libc::LOCK_NB) {
        Ok(()) => return Ok(DirLock { _file: file }),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Err(e) => return Err(format!("error: cannot lock {}: {e}", target.display())),
    }
    eprintln!(
        "waiting for another schemadiff write on {} to finish...",
        target.display()
    );
    let stop = crate::scratch::stop_signal()?;
    let locking = tokio::task::spawn_blocking(move || flock(&file, libc::LOCK_EX).map(|()| file));
    tokio::select! {
        r = locking => match r {
            Ok(Ok(file)) => Ok(DirLock { _file: file }),
            Ok(Err(e)) => Err(format!("error: cannot lock {}: {e}", target.display())),
            Err(e) => Err(format!("error: waiting for the lock failed: {e}")),
        },
        why = stop => Err(format!("{why} while waiting for the lock: nothing written")),
    }
}

fn flock(file: &std::fs::File, operation: libc::c_int) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: the descriptor is open for as long as `file` lives.
        if unsafe { libc::flock(file.as_raw_fd(), operation) } == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

pub async fn run(args: WriteArgs) -> Result<(), String> {
    let loaded =
        schemadiff_model::load_file(&args.source.schema_file).map_err(|e| e.to_string())?;
    let dir = migrations_dir(&args.source, &loaded);
    // Held until the files are written; the directory is read only once it is held.
    let _lock = lock_directory(&dir).await?;
    let config = loaded.schema.migrations.clone().unwrap_or_default();
    let layout: Layout =
        schemadiff_migrate::layout::read(&dir, config.format.as_deref(), config.naming.as_deref())
            .map_err(|e| e.to_string())?;
    let history = sum::verify(&layout).map_err(|e| format!("error: {e}"))?;
    if !history.is_empty() {
        return Err(format!(
            "error: {}
Nothing was written.",
            sum::explain(&dir, &history)
        ));
    }
    let client = connect_live(args.source.database_url.as_deref()).await?;
    let filter = args.source.filter.filter(&loaded.schema)?;
    let source = &args.source;
    // One verified plan, or two when statements that cannot share a transaction must go in a file of their own.
    let parts: Vec<Planned> = crate::scratch::with_scratch(&source.scratch, async |scratch| {
        let err = |e: pipeline::PipelineError| e.to_string();
        let desired = pipeline::desired(&loaded, scratch).await.map_err(err)?;
        // The layout is already read (and checked): replay it rather than reading the directory again.
        let current = match &client {
            Some(c) => current(Some(c), &source.schemas, &layout.dir, scratch).await?,
            None => pipeline::current_from_layout(&layout, scratch)
                .await
                .map_err(err)?,
        };
        let desired = filter.overlay(&current, &desired);
        let planned = pipeline::plan(&current, &desired, scratch)
            .await
            .map_err(err)?;
        let (apart, rest): (Vec<_>, Vec<_>) = planned
            .plan
            .changes
            .iter()
            .cloned()
            .partition(|c| c.hazards.contains(&Hazard::NotTransactional));
        if apart.is_empty() || rest.is_empty() || supports_no_transaction(layout.format) {
            return Ok(vec![planned]);
        }
        let between = pipeline::state_after(scratch, &current, &Plan { changes: apart })
            .await
            .map_err(err)?;
        let first = pipeline::plan(&current, &between, scratch)
            .await
            .map_err(err)?;
        let second = pipeline::plan(&between, &desired, scratch)
            .await
            .map_err(err)?;
        Ok(vec![first, second])
    })
    .await?;
    if parts.iter().all(|p| p.plan.is_empty()) {
        println!(
            "No changes: {} already builds the schema of {}. Nothing written.",
            dir.display(),
            source.schema_file.display()
        );
        return Ok(());
    }
    for p in &parts {
        check_destructive(p, args.allow_destructive)?;
    }

    let name = args
        .name
        .clone()
        .unwrap_or_else(|| derived_name(&parts.last().expect("one at least").plan));
    let mut version_layout = layout.clone();
    let mut all_files = Vec::new();
    let mut written = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let version = version_layout.next_version(&now());
        let (slug, description) = if parts.len() > 1 && i == 0 {
            (
                format!("{}_enum_values", write::slug(&name)),
                format!("{name}: enum values first"),
            )
        } else {
            (write::slug(&name), name.clone())
        };
        let m = NewMigration {
            version: version.clone(),
            slug: slug.clone(),
            description,
            up: p.plan.script(),
            down: p.rollback.script(),
            no_transaction: no_transaction(&p.plan),
        };
        let files = write::files(&layout, &m);
        written.extend(files.iter().map(|(path, _)| path.clone()));
        all_files.extend(files);
        version_layout
            .migrations
            .push(schemadiff_migrate::Migration {
                version,
                name: slug,
                paths: vec![],
            });
    }
    write::write_all(&all_files).map_err(|e| e.to_string())?;
    // Record the new files with the others: the history as it now stands.
    let recorded =
        schemadiff_migrate::layout::read(&dir, config.format.as_deref(), config.naming.as_deref())
            .map_err(|e| e.to_string())
            .and_then(|l| sum::checksums(&l).map_err(|e| e.to_string()))
            .and_then(|sums| sum::replace(&dir, &sum::render(&sums)).map_err(|e| e.to_string()));
    if let Err(e) = recorded {
        return Err(format!(
            "error: the migration was written, but its checksum could not be recorded in {}: {e}
Run `schemadiff rehash` once the problem is fixed.",
            dir.join(sum::SUM_FILE).display()
        ));
    }

    let (c, a, d) = parts.iter().fold((0, 0, 0), |acc, p| {
        let (c, a, d) = p.plan.summary();
        (acc.0 + c, acc.1 + a, acc.2 + d)
    });
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!(
        "recorded its checksum in {}",
        dir.join(sum::SUM_FILE).display()
    );
    println!(
        "{} migration ({}): {c} to create, {a} to alter, {d} to drop, with its rollback; verified on a scratch copy.",
        if parts.len() > 1 {
            "Two files for one"
        } else {
            "One"
        },
        layout.format.name()
    );
    if parts.len() > 1 {
        println!(
            "The enum values are added in a migration of their own, before the rest: a value added to an enum cannot be used in the transaction that adds it, and {} has no way to run a file outside a transaction.",
            layout.format.name()
        );
    } else if no_transaction(&parts[0].plan)
        && matches!(layout.format, Format::Goose | Format::Dbmate)
    {
        println!(
            "The migration is marked to run outside a transaction: it adds enum values that it may use."
        );
    }
    Ok(())
}
