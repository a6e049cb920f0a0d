//! The schemadiff command line: wires the stages together, renders output, sets exit codes.

mod check;
mod diagram;
mod dump;
mod plan;
mod scratch;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// The version, with the PostgreSQL majors it supports.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (PostgreSQL 13 to 18)");

/// Declarative schema diff for PostgreSQL.
#[derive(Parser)]
#[command(name = "schemadiff", version = VERSION, about)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Args, Clone, Debug)]
struct GlobalArgs {
    /// Say more on standard error: -v each stage with its timing, -vv also every statement sent to a scratch
    /// server (never a password).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
    /// Say nothing on standard error but errors: no progress, no warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it),
    /// always or never.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        global = true,
        value_name = "WHEN"
    )]
    color: ColorWhen,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Whether to colour standard output and standard error, as `--color` says (set once, at the start).
static COLOR: std::sync::OnceLock<(bool, bool)> = std::sync::OnceLock::new();

/// Whether standard output gets colour.
pub fn color_stdout() -> bool {
    COLOR.get().is_some_and(|c| c.0)
}

/// Whether standard error gets colour.
pub fn color_stderr() -> bool {
    COLOR.get().is_some_and(|c| c.1)
}

/// Whether warnings are printed (not with -q).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

fn colors(when: ColorWhen) -> (bool, bool) {
    let auto = |choice: anstream::ColorChoice| choice != anstream::ColorChoice::Never;
    match when {
        ColorWhen::Always => (true, true),
        ColorWhen::Never => (false, false),
        ColorWhen::Auto => (
            auto(anstream::AutoStream::choice(&std::io::stdout())),
            auto(anstream::AutoStream::choice(&std::io::stderr())),
        ),
    }
}

/// Which objects schemadiff manages; the same on every command, added to `[filter]` of schema.toml.
#[derive(Args, Clone, Debug, Default)]
pub struct FilterArgs {
    /// Manage only the tables, enums and sequences that match (a glob on `schema.name`, or on the name alone
    /// when it has no dot; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave the objects that match to other tools: never created, changed or dropped (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Leave every object of this schema to other tools (repeatable).
    #[arg(long, value_name = "NAME")]
    pub exclude_schema: Vec<String>,
    /// Go on when the database holds objects schemadiff does not model yet (views, functions, triggers,
    /// policies, grants...): they are left as they are and listed as a warning, and a plan that would break
    /// one is refused. Without it, such objects stop the command (nothing is lost without a word).
    #[arg(long)]
    pub ignore_unsupported: bool,
}

impl FilterArgs {
    /// What to do with unsupported objects: the flag, else `[filter] ignore_unsupported`.
    pub fn policy(
        &self,
        schema: &schemadiff_model::Schema,
    ) -> schemadiff::pipeline::UnsupportedPolicy {
        schemadiff::pipeline::UnsupportedPolicy {
            ignore: self.ignore_unsupported
                || schema.filter.as_ref().is_some_and(|f| f.ignore_unsupported),
        }
    }

    /// The filter of these flags and `[filter]` of `schema`.
    pub fn filter(
        &self,
        schema: &schemadiff_model::Schema,
    ) -> Result<schemadiff::filter::Filter, String> {
        schemadiff::filter::Filter::from_parts(
            &schemadiff::filter::FilterPatterns {
                include: self.include.clone(),
                exclude: self.exclude.clone(),
                exclude_schemas: self.exclude_schema.clone(),
            },
            schema,
        )
    }
}

/// Where scratch databases are made (normalization, verification).
#[derive(Args, Clone, Debug, Default)]
pub struct ScratchArgs {
    /// An existing server for scratch databases (created from template0 and dropped again; the role needs
    /// CREATEDB). Without it, a throwaway local cluster is started from the PostgreSQL server binaries.
    #[arg(long, value_name = "URL", env = "SCHEMADIFF_DEV_URL")]
    pub dev_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate schema.toml, reporting every mistake with file:line:column.
    Validate {
        /// The desired-state file.
        #[arg(long, default_value = "schema.toml")]
        schema_file: PathBuf,
    },
    /// Print the CREATE DDL that builds schema.toml's schema in an empty database.
    Ddl {
        /// The desired-state file.
        #[arg(long, default_value = "schema.toml")]
        schema_file: PathBuf,
    },
    /// Preview the verified, dependency-ordered change from the current schema (the migrations directory
    /// replayed, or --database-url) to schema.toml.
    Plan(plan::PlanArgs),
    /// Write the next numbered migration, with its rollback, in the migrations directory's own format.
    Write(write::WriteArgs),
    /// Write a live database's schema as schema.toml (read only: one READ ONLY transaction).
    Dump(dump::DumpArgs),
    /// The CI drift check: schema.toml against the migrations directory replayed and, with --database-url, a
    /// live database. Exit 0 in sync, 1 drift, 2 error.
    Check(check::CheckArgs),
    /// Record the migrations directory as it is in its schemadiff.sum (after an intended edit of a migration
    /// that nothing applied yet; `check` and `write` refuse a history that differs from what was recorded).
    Rehash(write::RehashArgs),
    /// Print a shell completion script: `schemadiff completions bash > /etc/bash_completion.d/schemadiff`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `schemadiff man > schemadiff.1`.
    Man,
    /// Print the fingerprint of the current schema (--database-url, or the migrations directory replayed): the
    /// `current_fingerprint` a JSON plan was made for, so that an apply step can refuse a stale plan.
    Fingerprint(plan::SourceArgs),
    /// Draw schema.toml (or a live database, read only) as an entity-relationship diagram: Mermaid, PlantUML
    /// or Graphviz dot; --write refreshes the `[erd] file` that `check` keeps true.
    Erd(diagram::ErdArgs),
}

fn main() -> ExitCode {
    // One malloc arena for all threads: what one thread frees (the live read, the texts compared) is used
    // again by the next instead of each thread's arena keeping its own high-water mark. A plan of 10,000
    // tables peaks about 32 MiB lower (173 MiB instead of 205), for a few percent more time where two threads
    // allocate at once (docs/benchmarks.md, item 33).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: sets a glibc malloc tunable, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
    let cli = Cli::parse();
    let (out, err) = colors(cli.global.color);
    COLOR.get_or_init(|| (out, err));
    QUIET.store(cli.global.quiet, std::sync::atomic::Ordering::Relaxed);
    schemadiff_model::source::set_color(err);
    schemadiff::progress::init(
        schemadiff::progress::Verbosity {
            quiet: cli.global.quiet,
            level: cli.global.verbose,
        },
        err,
    );
    match cli.command {
        Command::Validate { schema_file } => match schemadiff_model::load_file(&schema_file) {
            Ok(loaded) => {
                let s = &loaded.schema;
                println!(
                    "{} is valid: {} tables, {} enums, {} sequences, {} extensions",
                    schema_file.display(),
                    s.tables.len(),
                    s.enums.len(),
                    s.sequences.len(),
                    s.extensions.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                print_error(&e.to_string());
                ExitCode::from(2)
            }
        },
        Command::Ddl { schema_file } => match schemadiff_model::load_file(&schema_file) {
            Ok(loaded) => {
                let statements = schemadiff_model::create_script(&loaded.schema);
                print!("{}", schemadiff_model::script_text(&statements));
                ExitCode::SUCCESS
            }
            Err(e) => {
                print_error(&e.to_string());
                ExitCode::from(2)
            }
        },
        Command::Plan(args) => run_status(plan::run(args)),
        Command::Write(args) => run(write::run(args)),
        Command::Dump(args) => run(dump::run(args)),
        Command::Check(args) => check::main(args),
        Command::Fingerprint(args) => run(plan::fingerprint(args)),
        Command::Erd(args) => run(diagram::run(args)),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "schemadiff", &mut text);
            print_bytes(&text)
        }
        Command::Man => {
            let mut text = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut text) {
                Ok(()) => print_bytes(&text),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Rehash(args) => match write::rehash(&args) {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                print_error(&e.to_string());
                ExitCode::from(2)
            }
        },
    }
}

/// Write generated text to standard output; a closed pipe (`| head`) is not an error.
fn print_bytes(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    match std::io::stdout().write_all(bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: writing to standard output: {e}");
            ExitCode::from(2)
        }
    }
}

/// The async runtime of a command, with SIGINT and SIGTERM taken over from the start, so that no signal ends
/// the process before the command can clean up (the scratch server listens for them while it runs).
fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("error: cannot start the async runtime: {e}");
            ExitCode::from(2)
        })?;
    runtime
        .block_on(async { scratch::stop_signal().map(drop) })
        .map_err(|e| {
            eprintln!("{e}");
            ExitCode::from(2)
        })?;
    Ok(runtime)
}

/// Run an async command on a runtime of its own; errors are printed and exit with 2.
fn run(command: impl std::future::Future<Output = Result<(), String>>) -> ExitCode {
    run_status(async { command.await.map(|()| ExitCode::SUCCESS) })
}

/// [`run`] for a command that chooses its exit code when it succeeds.
fn run_status(command: impl std::future::Future<Output = Result<ExitCode, String>>) -> ExitCode {
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let result = runtime.block_on(command);
    schemadiff::progress::clear();
    // A blocking task may still wait (for a lock, after a signal ended the wait): do not wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match result {
        Ok(code) => code,
        Err(message) => {
            print_error(&message);
            ExitCode::from(2)
        }
    }
}

/// Print an error on standard error. Library errors carry no `error:` prefix: it is added here, once;
/// schema.toml diagnostics, each with its own `error:` line, are printed as they are.
pub fn print_error(message: &str) {
    // A coloured diagnostic starts with its escape sequence.
    if message.starts_with("error") || message.starts_with('\u{1b}') {
        eprintln!("{message}");
    } else {
        eprintln!("error: {message}");
    }
}
