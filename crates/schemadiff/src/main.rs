//! The schemadiff command line: wires the stages together, renders output, sets exit codes.

mod check;
mod diagram;
mod dump;
mod plan;
mod scratch;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Declarative schema diff for PostgreSQL.
#[derive(Parser)]
#[command(name = "schemadiff", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Draw schema.toml (or a live database, read only) as an entity-relationship diagram: Mermaid, PlantUML
    /// or Graphviz dot; --write refreshes the `[erd] file` that `check` keeps true.
    Erd(diagram::ErdArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
                eprintln!("{e}");
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
                eprintln!("{e}");
                ExitCode::from(2)
            }
        },
        Command::Plan(args) => run(plan::run(args)),
        Command::Write(args) => run(write::run(args)),
        Command::Dump(args) => run(dump::run(args)),
        Command::Check(args) => check::main(args),
        Command::Erd(args) => run(diagram::run(args)),
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
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let result = runtime.block_on(command);
    // A blocking task may still wait (for a lock, after a signal ended the wait): do not wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}
