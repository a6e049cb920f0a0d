//! `schemadiff erd`: schema.toml (or a live database, read only) as an entity-relationship diagram, on standard
//! output, or written to the `[erd] file` that `check` keeps true.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use schemadiff::erd::{Committed, Diagram, Filter, Format};
use schemadiff_catalog::introspect::{IntrospectOptions, introspect};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ErdFormat {
    Mermaid,
    Plantuml,
    Dot,
}

impl From<ErdFormat> for Format {
    fn from(f: ErdFormat) -> Format {
        match f {
            ErdFormat::Mermaid => Format::Mermaid,
            ErdFormat::Plantuml => Format::PlantUml,
            ErdFormat::Dot => Format::Dot,
        }
    }
}

#[derive(Args, Debug)]
pub struct ErdArgs {
    /// The desired-state file.
    #[arg(long, default_value = "schema.toml", value_name = "FILE")]
    pub schema_file: PathBuf,
    /// Draw this live database (read only: one READ ONLY transaction) instead of schema.toml.
    #[arg(long, value_name = "URL", conflicts_with = "write")]
    pub database_url: Option<String>,
    /// Mermaid (`erDiagram`, rendered by GitHub), PlantUML or Graphviz dot.
    #[arg(long, value_enum, default_value = "mermaid", conflicts_with = "write")]
    pub format: ErdFormat,
    /// Only the tables of this schema (repeat the flag for several).
    #[arg(long = "schema", value_name = "NAME", conflicts_with = "write")]
    pub schemas: Vec<String>,
    /// Leave out the tables whose name (`name` or `schema.name`) matches this glob (`*`, `?`; repeatable).
    #[arg(long, value_name = "GLOB", conflicts_with = "write")]
    pub exclude: Vec<String>,
    /// Refresh the `[erd] file` of schema.toml (atomically), drawn as `check` expects it: its format from the
    /// file's extension, its filters from `[erd]`.
    #[arg(long)]
    pub write: bool,
}

pub async fn run(args: ErdArgs) -> Result<(), String> {
    if let Some(url) = &args.database_url {
        let client = crate::plan::connect_live(Some(url))
            .await?
            .expect("a URL was given");
        let options = IntrospectOptions {
            schemas: args.schemas.clone(),
            ..Default::default()
        };
        let schema = introspect(&client, &options)
            .await
            .map_err(|e| format!("error: {e}"))?
            .schema;
        let filter = Filter {
            schemas: args.schemas.clone(),
            exclude: args.exclude.clone(),
        };
        print!(
            "{}",
            Diagram::of(&schema, &filter).render(args.format.into())
        );
        return Ok(());
    }
    let loaded = schemadiff_model::load_file(&args.schema_file).map_err(|e| e.to_string())?;
    if args.write {
        let Some(committed) = Committed::of(&loaded.schema, &args.schema_file) else {
            return Err(format!(
                "error: {} has no `[erd] file`, so --write has nowhere to write; add\n\n[erd]\nfile = \"docs/diagrams/database_erd.mmd\"",
                args.schema_file.display()
            ));
        };
        if committed.drift().is_none() {
            println!(
                "{} is up to date with {}.",
                committed.path.display(),
                args.schema_file.display()
            );
            return Ok(());
        }
        if let Some(dir) = committed
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
        }
        crate::dump::write_atomically(&committed.path, &committed.text)?;
        println!(
            "wrote {} (the diagram of {})",
            committed.path.display(),
            args.schema_file.display()
        );
        return Ok(());
    }
    let filter = Filter {
        schemas: args.schemas.clone(),
        exclude: args.exclude.clone(),
    };
    print!(
        "{}",
        Diagram::of(&loaded.schema, &filter).render(args.format.into())
    );
    Ok(())
}
