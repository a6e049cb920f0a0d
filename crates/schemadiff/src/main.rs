//! The schemadiff command line: wires the stages together, renders output, sets exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Declarative schema diff for PostgreSQL.
#[derive(Parser)]
#[command(name = "schemadiff", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    }
}
