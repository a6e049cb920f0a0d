//! `schemadiff write`: the next numbered migration file, with its rollback, in the directory's own format.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use schemadiff::pipeline::{self, Planned};
use schemadiff_diff::{Hazard, Plan, online, split};
use schemadiff_migrate::write::{self, NewMigration, supports_no_transaction};
use schemadiff_migrate::{Format, Layout, sum, transaction};

use crate::plan::{SourceArgs, check_hazards, connect_live, current, migrations_dir};

#[derive(Args, Debug)]
pub struct WriteArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// What the migration does, for its file name (and description, where the format has one); by default,
    /// its main change.
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub hazards: crate::plan::HazardArgs,
    /// `tables`: one migration per created or altered table, in dependency order, each named after its table
    /// (default: `[migrations] split` of schema.toml, else `none`, one migration for the whole change).
    #[arg(long, value_enum, value_name = "HOW")]
    pub split: Option<Split>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    None,
    Tables,
}

/// One migration to write: its name (for the file and the description), a note at the top of its up part, and
/// its verified plan.
struct Step {
    name: String,
    note: Option<String>,
    planned: Planned,
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
        online: false,
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
        .filter(|c| c.kind == schemadiff_diff::ChangeKind::CreateTable)
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
    let mut name = format!(
        "{} {}",
        first.kind.as_str().replace('_', " "),
        short(&first.object)
    );
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

/// Whether the plan adds enum values (which must not be used in the transaction that adds them).
fn no_transaction(plan: &Plan) -> bool {
    plan.changes
        .iter()
        .any(|c| c.hazards.contains(&Hazard::NotTransactional) && !online::outside_transaction(c))
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
    let loaded = crate::plan::load(&args.source)?;
    let allowed = args.hazards.allowed(&loaded)?;
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
            "error: {}\nNothing was written.",
            sum::explain(&dir, &history)
        ));
    }
    let split = match (args.split, config.split.as_deref()) {
        (Some(s), _) => s,
        (None, Some("tables")) => Split::Tables,
        (None, _) => Split::None,
    };
    if split == Split::Tables && args.name.is_some() {
        return Err(
            "error: --name names one migration, but with --split tables each migration is named after its table; leave out --name (or pass --split none)".into(),
        );
    }
    let client = connect_live(args.source.database_url.as_deref()).await?;
    let filter = args.source.filter.filter(&loaded.schema)?;
    let source = &args.source;
    let written_tables: Vec<schemadiff_model::QualifiedName> = loaded
        .schema
        .tables
        .iter()
        .map(|t| t.name.clone())
        .collect();
    // One verified plan, or several: one per table with --split tables, and the enum values apart when
    // statements that cannot share a transaction must go in a file of their own.
    let tgt = crate::scratch::Target::of(client.as_ref(), &loaded.schema).await?;
    let steps: Vec<Step> = crate::scratch::with_scratch(&source.scratch, &tgt, async |scratch| {
        let err = |e: pipeline::PipelineError| e.to_string();
        let desired = pipeline::desired(&loaded, scratch).await.map_err(err)?;
        // The layout is already read (and checked): replay it rather than reading the directory again.
        let policy = source.filter.policy(&loaded.schema);
        let current = match &client {
            Some(c) => {
                current(
                    Some(c),
                    &source.schemas,
                    &layout.dir,
                    scratch,
                    policy,
                    &loaded.schema,
                )
                .await?
            }
            None => {
                let c = pipeline::current_from_layout(&layout, scratch, policy, &loaded.schema)
                    .await
                    .map_err(err)?;
                crate::plan::warn_unsupported(&c.unsupported);
                c
            }
        };
        let unsupported = current.unsupported.clone();
        let current = current.schema;
        let desired = filter.overlay(&current, desired);
        let directives = schemadiff_model::Directives::of(&loaded.schema);
        let planned = pipeline::plan(&current, &desired, &directives, scratch)
            .await
            .map_err(err)?;
        pipeline::refuse_breaking(&planned.plan, &unsupported)?;
        if planned.plan.is_empty() {
            return Ok(vec![]);
        }
        // Each part: (name, note, plan).
        let mut parts: Vec<(Option<String>, Option<String>, Plan)> = match split {
            Split::None => vec![(args.name.clone(), None, planned.plan.clone())],
            Split::Tables => {
                // Tables that depend on nothing between them go in schema.toml's order; dropped ones after.
                let rank = |q: &schemadiff_model::QualifiedName| {
                    written_tables
                        .iter()
                        .position(|t| t == q)
                        .unwrap_or(written_tables.len())
                };
                split::by_table(&planned.plan, rank)
                    .into_iter()
                    .map(|p| {
                        let note = p.is_cycle().then(|| cycle_note(&p));
                        (p.name(), note, p.plan)
                    })
                    .collect()
            }
        };
        // Enum values added in a part that also uses them go in a migration of their own before it, when
        // the format cannot mark a file as not transactional.
        if !supports_no_transaction(layout.format) {
            parts = parts
                .into_iter()
                .flat_map(|(name, note, plan)| {
                    let (apart, rest): (Vec<_>, Vec<_>) =
                        plan.changes.iter().cloned().partition(|c| {
                            c.hazards.contains(&Hazard::NotTransactional)
                                && !online::outside_transaction(c)
                        });
                    if apart.is_empty() || rest.is_empty() {
                        return vec![(name, note, plan)];
                    }
                    let rest = Plan { changes: rest };
                    let name = name.unwrap_or_else(|| derived_name(&rest));
                    vec![
                        (
                            Some(format!("{name}{ENUM_VALUES_FIRST}")),
                            None,
                            Plan { changes: apart },
                        ),
                        (Some(name), note, rest),
                    ]
                })
                .collect();
        }
        // Online: where the format's runner sends a file as one transaction, even when marked, each statement
        // that cannot run in a transaction block goes in a migration of its own, between the ones before and
        // after it (each with its rollback, verified in turn).
        if pipeline::is_online(&directives)
            && transaction::alone(layout.format)
            && planned.plan.outside_transactions()
        {
            let mut slices: Vec<(Option<String>, Option<String>, Plan)> = Vec::new();
            for (name, note, plan) in parts {
                let mut first = true;
                let mut run: Vec<schemadiff_diff::Change> = Vec::new();
                let mut segments: Vec<Plan> = Vec::new();
                for c in plan.changes {
                    if online::outside_transaction(&c) {
                        if !run.is_empty() {
                            segments.push(Plan {
                                changes: std::mem::take(&mut run),
                            });
                        }
                        segments.push(Plan { changes: vec![c] });
                    } else {
                        run.push(c);
                    }
                }
                if !run.is_empty() {
                    segments.push(Plan { changes: run });
                }
                // Each named after what it does, after the part's name when there is one.
                for seg in segments {
                    let what = derived_name(&seg);
                    let n = match &name {
                        Some(base) => format!("{base}: {what}"),
                        None => what,
                    };
                    let t = if first { note.clone() } else { None };
                    first = false;
                    slices.push((Some(n), t, seg));
                }
            }
            let plans: Vec<Plan> = slices.iter().map(|(_, _, p)| p.clone()).collect();
            let planned =
                pipeline::plan_in_slices(&current, &desired, &directives, &plans, scratch)
                    .await
                    .map_err(err)?;
            return Ok(slices
                .into_iter()
                .zip(planned)
                .map(|((name, note, plan), planned)| Step {
                    name: name.unwrap_or_else(|| derived_name(&plan)),
                    note,
                    planned,
                })
                .collect());
        }
        if parts.len() == 1 {
            let (name, note, plan) = parts.remove(0);
            let name = name.unwrap_or_else(|| derived_name(&plan));
            return Ok(vec![Step {
                name,
                note,
                planned,
            }]);
        }
        let plans: Vec<Plan> = parts.iter().map(|(_, _, p)| p.clone()).collect();
        let planned = pipeline::plan_in_parts(&current, &desired, &directives, &plans, scratch)
            .await
            .map_err(err)?;
        Ok(parts
            .into_iter()
            .zip(planned)
            // A part that leaves nothing to do once the ones before it are applied gets no (empty) file.
            .filter(|(_, planned)| !planned.plan.is_empty())
            .map(|((name, note, plan), planned)| Step {
                name: name.unwrap_or_else(|| derived_name(&plan)),
                note,
                planned,
            })
            .collect())
    })
    .await?;
    if steps.is_empty() {
        println!(
            "No changes: {} already builds the schema of {}. Nothing written.",
            dir.display(),
            source.schema_file.display()
        );
        return Ok(());
    }
    for s in &steps {
        check_hazards(&s.planned, &allowed, config.online)?;
    }

    let timeouts = config.online.then(|| online::Timeouts::of(&config));
    let mut version_layout = layout.clone();
    let mut all_files = Vec::new();
    let mut written = Vec::new();
    for step in &steps {
        let p = &step.planned;
        let version = version_layout.next_version(&now());
        let slug = match step.name.strip_suffix(ENUM_VALUES_FIRST) {
            Some(base) => format!("{}_enum_values", write::slug(base)),
            None => write::slug(&step.name),
        };
        let outside = p.plan.outside_transactions();
        // Online: the timeouts first and the long steps under their own, unless the statement must be alone.
        let (mut up, down) = match &timeouts {
            Some(t) => (
                online::script(
                    &p.plan.changes,
                    t,
                    !(outside && transaction::alone(layout.format)),
                ),
                online::script(&p.rollback.changes, t, true),
            ),
            None => (p.plan.script(), p.rollback.script()),
        };
        if let Some(note) = &step.note {
            up = format!("{}\n{up}", commented(note));
        }
        let m = NewMigration {
            version: version.clone(),
            slug: slug.clone(),
            description: step.name.clone(),
            up,
            down,
            no_transaction: match layout.format {
                Format::Goose | Format::Dbmate => no_transaction(&p.plan) || outside,
                _ => outside,
            },
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
            "error: the migration was written, but its checksum could not be recorded in {}: {e}\nRun `schemadiff rehash` once the problem is fixed.",
            dir.join(sum::SUM_FILE).display()
        ));
    }

    let (c, a, d) = steps.iter().fold((0, 0, 0), |acc, s| {
        let (c, a, d) = s.planned.plan.summary();
        (acc.0 + c, acc.1 + a, acc.2 + d)
    });
    for path in &written {
        println!("wrote {}", path.display());
    }
    let enum_apart = steps.iter().any(|s| s.name.ends_with(ENUM_VALUES_FIRST));
    let online_apart = transaction::alone(layout.format)
        && steps.iter().any(|s| s.planned.plan.outside_transactions());
    let what = match (split, steps.len()) {
        (Split::Tables, n) => format!(
            "{n} migration{}, one per table",
            if n == 1 { "" } else { "s" }
        ),
        (Split::None, 1) => "One migration".into(),
        (Split::None, n) if online_apart => format!("{n} migrations"),
        (Split::None, _) => "Two files for one migration".into(),
    };
    let each = split == Split::Tables && steps.len() > 1;
    println!(
        "recorded its checksum in {}",
        dir.join(sum::SUM_FILE).display()
    );
    println!(
        "{what} ({}): {c} to create, {a} to alter, {d} to drop, {}; verified on a scratch copy{}.",
        layout.format.name(),
        if each {
            "each with its rollback"
        } else {
            "with its rollback"
        },
        if each {
            ", each applied on top of the ones before it"
        } else {
            ""
        }
    );
    if enum_apart {
        println!(
            "The enum values are added in a migration of their own, before the rest: a value added to an enum cannot be used in the transaction that adds it, and {} has no way to run a file outside a transaction.",
            layout.format.name()
        );
    } else if steps.iter().any(|s| no_transaction(&s.planned.plan))
        && matches!(layout.format, Format::Goose | Format::Dbmate)
    {
        println!(
            "The migration is marked to run outside a transaction: it adds enum values that it may use."
        );
    }
    if online_apart {
        println!(
            "Each statement that cannot run inside a transaction block (a concurrent index build or drop) is in a migration of its own: {} runs a file as one transaction{}.",
            layout.format.name(),
            if layout.format == Format::MyBatis {
                " (run those with auto_commit=true, as each says)"
            } else {
                ", so those are marked to run outside one"
            }
        );
    } else if config.online && steps.iter().any(|s| s.planned.plan.outside_transactions()) {
        println!(
            "The migration runs statement by statement outside a transaction: it builds or drops indexes concurrently."
        );
    }
    for s in steps.iter().filter(|s| s.note.is_some()) {
        println!(
            "note: {}",
            schemadiff_model::printable(s.note.as_deref().unwrap_or_default())
        );
    }
    Ok(())
}

/// The end of the description of a migration that adds enum values ahead of the one that uses them.
const ENUM_VALUES_FIRST: &str = ": enum values first";

/// Why the tables of a cycle share one migration.
fn cycle_note(part: &split::Part) -> String {
    let names: Vec<String> = part
        .tables
        .iter()
        .map(|(t, _)| t.sql().to_string())
        .collect();
    let (last, rest) = names.split_last().expect("a cycle has two tables");
    format!(
        "{} and {last} reference each other through foreign keys, so no one of them can come first: they share this migration.",
        rest.join(", ")
    )
}

/// Text as one SQL comment line: control characters (a line break, or a lone carriage return, which ends a
/// comment for PostgreSQL) become spaces, so no name in it can start a line of SQL or a runner's marker.
fn commented(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| {
            if schemadiff_model::fragment::needs_escape(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("-- {line}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_one_comment_line_whatever_the_names() {
        assert_eq!(
            commented("public.\"a\rDROP TABLE x;\" and public.\"b\n-- //@UNDO\""),
            "-- public.\"a DROP TABLE x;\" and public.\"b -- //@UNDO\"\n"
        );
    }
}
