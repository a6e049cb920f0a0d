//! `schemadiff check`: the drift check CI runs. schema.toml is compared with the migrations directory replayed
//! (was the model changed without `schemadiff write`?) and, with `--database-url`, with a live database (was it
//! changed by hand?). With `[erd] file`, the committed diagram is compared with the one schema.toml draws (is
//! the picture still true?). Exit 0 when everything checked is in sync, 1 when something drifts, 2 on an error.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use schemadiff::pipeline::{self, Planned};
use schemadiff::report::{self, Style};
use schemadiff_catalog::introspect::IntrospectOptions;
use schemadiff_model::dump::toml_key;
use schemadiff_model::{LoadedSchema, ObjectPath, Schema};
use serde_json::json;

use crate::ScratchArgs;
use crate::plan::SourceArgs;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The desired-state file.
    #[arg(long, default_value = "schema.toml", value_name = "FILE")]
    pub schema_file: PathBuf,
    /// The migrations directory (default: `[migrations] dir` of schema.toml, else `migrations` beside it).
    #[arg(long, value_name = "DIR")]
    pub migrations_dir: Option<PathBuf>,
    /// Also check this live database (read only) against schema.toml.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// With --database-url: only these schemas.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    #[command(flatten)]
    pub scratch: ScratchArgs,
    #[command(flatten)]
    pub filter: crate::FilterArgs,
    /// Output: text with a schema.toml diff, the changes and the SQL per side, or JSON.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// What a side is compared as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Migrations,
    Database,
}

impl Side {
    fn label(self) -> &'static str {
        match self {
            Side::Migrations => "migrations directory (replayed)",
            Side::Database => "live database",
        }
    }

    /// What to do about drift on this side.
    fn advice(self) -> &'static str {
        match self {
            Side::Migrations => {
                "run `schemadiff write` to add the migration that brings it up to date"
            }
            Side::Database => {
                "apply the pending migrations, or bring the manual change into schema.toml and a migration"
            }
        }
    }
}

/// How an object of one side compares with schema.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// In schema.toml, not on the side.
    Missing,
    /// On the side, not in schema.toml.
    Extra,
    /// On both, different.
    Differs,
}

impl Status {
    fn code(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Extra => "extra",
            Status::Differs => "differs",
        }
    }
}

/// One object (extension, schema, enum, sequence, table) that differs, with its two fragments.
struct Drifted {
    path: ObjectPath,
    status: Status,
    /// The object alone, as schema.toml text, on the side and in schema.toml (empty when absent).
    current: String,
    desired: String,
}

/// The result of one side.
struct SideReport {
    side: Side,
    planned: Planned,
    drifted: Vec<Drifted>,
}

impl SideReport {
    fn in_sync(&self) -> bool {
        self.planned.plan.is_empty()
    }
}

/// Run the check on a runtime of its own: 0 in sync, 1 drift, 2 error (printed to stderr).
pub fn main(args: CheckArgs) -> ExitCode {
    let runtime = match crate::runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    match runtime.block_on(run(&args)) {
        Ok(Findings {
            loaded,
            sides,
            dir,
            history,
        }) => {
            let erd = ErdReport::of(&loaded, &args.schema_file);
            let drift =
                sides.iter().any(|s| !s.in_sync()) || erd.as_ref().is_some_and(|e| !e.in_sync());
            let mut annotations = if github_actions() {
                annotations(&args, &loaded, &sides)
            } else {
                Vec::new()
            };
            let history_text =
                (!history.is_empty()).then(|| schemadiff_migrate::sum::explain(&dir, &history));
            if let Some(t) = &history_text {
                annotations.push(format!(
                    "::error file={}::{}",
                    escape_property(
                        &dir.join(schemadiff_migrate::sum::SUM_FILE)
                            .display()
                            .to_string()
                    ),
                    escape_data(t)
                ));
            }
            if let Some(e) = erd.as_ref().filter(|e| github_actions() && !e.in_sync()) {
                annotations.push(format!(
                    "::error file={},line=1::{}",
                    escape_property(&e.file),
                    escape_data(&format!(
                        "the diagram does not match {}: {}",
                        args.schema_file.display(),
                        ErdReport::ADVICE
                    ))
                ));
            }
            match args.format {
                Format::Human => {
                    if let Some(t) = &history_text {
                        println!("✗ {t}\n");
                    }
                    print!("{}", human(&sides, erd.as_ref(), style()));
                    for a in &annotations {
                        println!("{a}");
                    }
                }
                Format::Json => {
                    let mut value: serde_json::Value =
                        serde_json::from_str(&json_text(&sides, erd.as_ref()))
                            .expect("our own JSON");
                    value["history_changes"] = history
                        .iter()
                        .map(|c| serde_json::Value::String(c.to_string()))
                        .collect();
                    value["in_sync"] = (!drift && history.is_empty()).into();
                    let mut text = serde_json::to_string_pretty(&value).expect("plain values");
                    text.push('\n');
                    print!("{text}");
                    // Standard output stays valid JSON; the runner reads workflow commands on both streams.
                    for a in &annotations {
                        eprintln!("{a}");
                    }
                }
            }
            if drift || !history.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            crate::print_error(&message);
            ExitCode::from(2)
        }
    }
}

fn github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

fn style() -> Style {
    Style {
        color: crate::color_stdout(),
    }
}

/// What `check` found: the sides compared with schema.toml, and how the migration history differs from what
/// its schemadiff.sum recorded.
struct Findings {
    loaded: LoadedSchema,
    sides: Vec<SideReport>,
    dir: PathBuf,
    history: Vec<schemadiff_migrate::sum::Change>,
}

/// The committed diagram of `[erd] file`, compared with the one schema.toml draws.
struct ErdReport {
    file: String,
    missing: bool,
    /// A unified diff from the file to what it must hold; `None` when it holds it.
    diff: Option<String>,
}

impl ErdReport {
    const ADVICE: &str = "run `schemadiff erd --write` to redraw it";

    fn of(loaded: &LoadedSchema, schema_file: &std::path::Path) -> Option<ErdReport> {
        let committed = schemadiff::erd::Committed::of(&loaded.schema, schema_file)?;
        Some(ErdReport {
            file: committed.path.display().to_string(),
            missing: !committed.path.exists(),
            diff: committed.drift(),
        })
    }

    fn in_sync(&self) -> bool {
        self.diff.is_none()
    }

    fn label(&self) -> String {
        format!("diagram {}", schemadiff_model::printable(&self.file))
    }
}

/// Load, connect, then on one scratch server: the desired schema, and each side planned against it.
async fn run(args: &CheckArgs) -> Result<Findings, String> {
    let loaded = schemadiff_model::load_file(&args.schema_file).map_err(|e| e.to_string())?;
    let client = crate::plan::connect_live(args.database_url.as_deref()).await?;
    let source = SourceArgs {
        schema_file: args.schema_file.clone(),
        database_url: None,
        migrations_dir: args.migrations_dir.clone(),
        schemas: Vec::new(),
        scratch: args.scratch.clone(),
        filter: args.filter.clone(),
        online: false,
    };
    let dir = crate::plan::migrations_dir(&source, &loaded);
    let config = loaded.schema.migrations.clone().unwrap_or_default();
    let layout =
        schemadiff_migrate::layout::read(&dir, config.format.as_deref(), config.naming.as_deref())
            .map_err(|e| e.to_string())?;
    let history = schemadiff_migrate::sum::verify(&layout)?;
    let filter = args.filter.filter(&loaded.schema)?;
    let target = crate::scratch::Target::of(client.as_ref(), &loaded.schema).await?;
    let sides = crate::scratch::with_scratch(&args.scratch, &target, async |scratch| {
        let desired = pipeline::desired(&loaded, scratch)
            .await
            .map_err(|e| e.to_string())?;
        let mut sides = Vec::new();
        let directives = schemadiff_model::Directives::of(&loaded.schema);
        let policy = args.filter.policy(&loaded.schema);
        let current = pipeline::current_from_migrations(&dir, scratch, policy, &loaded.schema)
            .await
            .map_err(|e| while_checking(Side::Migrations, e))?;
        crate::plan::warn_unsupported(&current.unsupported);
        let current = current.schema;
        sides.push(
            compare(
                Side::Migrations,
                &current,
                &filter.overlay(&current, desired),
                &directives,
                scratch,
            )
            .await?,
        );
        if let Some(client) = &client {
            let options = IntrospectOptions {
                schemas: args.schemas.clone(),
                ..pipeline::owner_options(&loaded.schema)
            };
            // As `plan` does: the schema as read is the current side, and only the tables where it and
            // schema.toml differ go through the scratch server.
            let mut read = pipeline::read_database(client, &options, policy)
                .await
                .map_err(|e| while_checking(Side::Database, e))?;
            schemadiff_catalog::introspect::keep_stated_owners(&mut read.schema, &loaded.schema);
            crate::plan::warn_unsupported(&read.unsupported);
            let overlay: &pipeline::Overlay<'_> =
                &|current, desired| filter.overlay_borrowed(current, desired);
            let (current, desired, planned) =
                pipeline::plan_live(read, &loaded, None, overlay, &directives, scratch)
                    .await
                    .map_err(|e| while_checking(Side::Database, e))?;
            sides.push(report(Side::Database, &current.schema, &desired, planned));
        }
        Ok(sides)
    })
    .await?;
    Ok(Findings {
        loaded,
        sides,
        dir,
        history,
    })
}

fn while_checking(side: Side, e: impl std::fmt::Display) -> String {
    format!("{e}\n  (while checking the {})", side.label())
}

/// Plan (and verify) one side against the desired schema, and find the objects that differ.
async fn compare(
    side: Side,
    current: &Schema,
    desired: &Schema,
    directives: &schemadiff_model::Directives,
    scratch: &schemadiff_catalog::scratch::ScratchServer,
) -> Result<SideReport, String> {
    let planned = pipeline::plan(current, desired, directives, scratch)
        .await
        .map_err(|e| while_checking(side, e))?;
    Ok(report(side, current, desired, planned))
}

/// A side's plan, and the objects that differ when it has changes.
fn report(side: Side, current: &Schema, desired: &Schema, planned: Planned) -> SideReport {
    let drifted = if planned.plan.is_empty() {
        Vec::new()
    } else {
        drifted_objects(current, desired)
    };
    SideReport {
        side,
        planned,
        drifted,
    }
}

/// `schema` as it is compared (`pipeline::comparable`: no directives, unpinned extension versions left out),
/// with the columns of each table in the order schema.toml declares them, so the diff reads like the file.
fn render_form(schema: &Schema, desired: &Schema) -> Schema {
    let mut s = pipeline::comparable(schema, desired);
    // Kept for the text: a check's name is left out where PostgreSQL would give it.
    s.dependencies = schema.dependencies.clone();
    for t in &mut s.tables {
        let order: Vec<&str> = desired
            .table(&t.name)
            .map(|d| d.columns.iter().map(|c| c.name.as_str()).collect())
            .unwrap_or_default();
        std::sync::Arc::make_mut(t).columns.sort_by_key(|c| {
            (
                order
                    .iter()
                    .position(|n| *n == c.name)
                    .unwrap_or(usize::MAX),
                c.name.clone(),
            )
        });
    }
    s
}

/// Every object of a schema alone in a schema of its own, by path (kinds in schema.toml order, then names).
fn fragments(s: &Schema) -> BTreeMap<ObjectPath, Schema> {
    let mut m = BTreeMap::new();
    for e in &s.extensions {
        let f = Schema {
            extensions: vec![e.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Extension(e.name.clone()), f);
    }
    for n in &s.schemas {
        let f = Schema {
            schemas: vec![n.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Schema(n.name.clone()), f);
    }
    for e in &s.enums {
        let f = Schema {
            enums: vec![e.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Enum(e.name.clone()), f);
    }
    for d in &s.domains {
        let f = Schema {
            domains: vec![d.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Domain(d.name.clone()), f);
    }
    for t in &s.composite_types {
        let f = Schema {
            composite_types: vec![t.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::CompositeType(t.name.clone()), f);
    }
    for r in &s.range_types {
        let f = Schema {
            range_types: vec![r.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::RangeType(r.name.clone()), f);
    }
    for q in &s.sequences {
        let f = Schema {
            sequences: vec![q.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Sequence(q.name.clone()), f);
    }
    for t in &s.tables {
        let f = Schema {
            tables: vec![t.clone()],
            // Which columns its checks read (for their default names).
            dependencies: s
                .dependencies
                .iter()
                .filter(|d| match &d.dependent {
                    schemadiff_model::ObjectRef::Column(o, _)
                    | schemadiff_model::ObjectRef::Constraint(o, _) => *o == t.name,
                    schemadiff_model::ObjectRef::Sequence(_)
                    | schemadiff_model::ObjectRef::Type(_) => false,
                })
                .cloned()
                .collect(),
            ..Default::default()
        };
        m.insert(ObjectPath::Table(t.name.clone()), f);
    }
    for v in &s.views {
        let f = Schema {
            views: vec![v.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::View(v.name.clone()), f);
    }
    for x in &s.functions {
        let f = Schema {
            functions: vec![x.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Function(x.name.clone(), x.arguments.clone()), f);
    }
    for t in &s.triggers {
        let f = Schema {
            triggers: vec![t.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Trigger(t.relation.clone(), t.name.clone()), f);
    }
    for p in &s.policies {
        let f = Schema {
            policies: vec![p.clone()],
            ..Default::default()
        };
        m.insert(ObjectPath::Policy(p.table.clone(), p.name.clone()), f);
    }
    // Grants and owners go with their object, so that they are shown under it.
    let object_path = |m: &BTreeMap<ObjectPath, Schema>, target: &schemadiff_model::GrantTarget| {
        use schemadiff_model::GrantTarget as G;
        match target {
            G::Schema(n) => ObjectPath::Schema(n.clone()),
            G::Type(q) => [
                ObjectPath::Enum(q.clone()),
                ObjectPath::Domain(q.clone()),
                ObjectPath::CompositeType(q.clone()),
                ObjectPath::RangeType(q.clone()),
            ]
            .into_iter()
            .find(|p| m.contains_key(p))
            .unwrap_or(ObjectPath::Grants(target.clone())),
            G::Sequence(q) => ObjectPath::Sequence(q.clone()),
            G::Table(q) | G::Column(q, _) => ObjectPath::Table(q.clone()),
            G::View(q) => ObjectPath::View(q.clone()),
            G::Function(q, signature, _) => s
                .function(q, signature)
                .map(|f| ObjectPath::Function(f.name.clone(), f.arguments.clone()))
                .unwrap_or(ObjectPath::Grants(target.clone())),
            G::Default(..) => ObjectPath::Grants(target.clone()),
        }
    };
    for g in &s.grants {
        let path = object_path(&m, &g.target);
        m.entry(path).or_default().grants.push(g.clone());
    }
    // Owners (`manage_ownership`).
    for o in &s.owners {
        let path = object_path(&m, &o.target);
        m.entry(path).or_default().owners.push(o.clone());
    }
    m
}

/// The objects whose comparable forms differ between `current` and `desired`.
fn drifted_objects(current: &Schema, desired: &Schema) -> Vec<Drifted> {
    let cur = fragments(&render_form(current, desired));
    let want = fragments(&render_form(desired, desired));
    let mut paths: Vec<&ObjectPath> = cur.keys().chain(want.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|p| {
            let (c, d) = (cur.get(p), want.get(p));
            let status = match (c, d) {
                (Some(c), Some(d)) if c == d => return None,
                (Some(_), Some(_)) => Status::Differs,
                (None, Some(_)) => Status::Missing,
                (Some(_), None) => Status::Extra,
                (None, None) => return None,
            };
            // The column keys of a table are padded to one width on both sides, so that a column more or less
            // does not show every other column as changed.
            let width = [c, d]
                .into_iter()
                .flatten()
                .flat_map(|f| &f.tables)
                .flat_map(|t| &t.columns)
                .map(|col| toml_key(&col.name).chars().count())
                .max()
                .unwrap_or(0);
            Some(Drifted {
                path: p.clone(),
                status,
                current: fragment_text(c, width),
                desired: fragment_text(d, width),
            })
        })
        .collect()
}

/// A fragment as schema.toml text ending in one line break (empty when absent), its column keys padded to
/// `width`.
fn fragment_text(fragment: Option<&Schema>, width: usize) -> String {
    let Some(f) = fragment else {
        return String::new();
    };
    let text = schemadiff_model::to_toml(f);
    let mut lines: Vec<String> = text.trim_end().lines().map(str::to_string).collect();
    for t in &f.tables {
        let header = format!("[tables.{}.columns]", toml_key(&t.name.to_string()));
        let Some(at) = lines.iter().position(|l| *l == header) else {
            continue;
        };
        for (line, col) in lines[at + 1..].iter_mut().zip(&t.columns) {
            let key = toml_key(&col.name);
            let Some(rest) = line
                .strip_prefix(key.as_str())
                .map(str::trim_start)
                .filter(|r| r.starts_with("= "))
            else {
                break;
            };
            let pad = width.saturating_sub(key.chars().count());
            *line = format!("{key}{} {rest}", " ".repeat(pad));
        }
    }
    // Not a field of schema.toml: said in a comment, so that the difference shows.
    for t in &f.tables {
        for i in t.indexes.iter().filter(|i| i.invalid) {
            lines.push(format!(
                "# index {} is invalid (a failed concurrent build, or not attached on every partition): a plan builds it again",
                i.name.as_deref().unwrap_or("?")
            ));
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// `table page_views`, `enum billing.status`, `extension postgis`.
fn object_name(path: &ObjectPath) -> String {
    let name = match path {
        ObjectPath::Extension(n) => format!("extension {n}"),
        ObjectPath::Schema(n) => format!("schema {n}"),
        ObjectPath::Enum(n) => format!("enum {n}"),
        ObjectPath::Domain(n) => format!("domain {n}"),
        ObjectPath::CompositeType(n) => format!("composite type {n}"),
        ObjectPath::RangeType(n) => format!("range type {n}"),
        ObjectPath::Sequence(n) => format!("sequence {n}"),
        ObjectPath::Table(n) => format!("table {n}"),
        ObjectPath::View(n) => format!("view {n}"),
        ObjectPath::Function(n, a) => format!("function {n}({a})"),
        ObjectPath::Trigger(t, n) => format!("trigger {n} on {t}"),
        ObjectPath::Policy(t, n) => format!("policy {n} on {t}"),
        other => format!("{other:?}"),
    };
    schemadiff_model::printable(&name).into_owned()
}

fn status_text(status: Status, side: Side) -> String {
    match status {
        Status::Missing => format!("in schema.toml, missing from the {}", side.label()),
        Status::Extra => format!("in the {}, missing from schema.toml", side.label()),
        Status::Differs => format!("differs between the {} and schema.toml", side.label()),
    }
}

/// A unified diff of the differing objects, the side's text (`-`) against schema.toml's (`+`), each object
/// shown whole under a hunk header naming it.
fn schema_diff(report: &SideReport, style: Style) -> String {
    let paint = |code: &str, line: &str| {
        if style.color {
            format!("\x1b[{code}m{line}\x1b[0m\n")
        } else {
            format!("{line}\n")
        }
    };
    let mut out = paint("1", &format!("--- {}", report.side.label()));
    out.push_str(&paint("1", "+++ schema.toml"));
    for d in &report.drifted {
        out.push_str(&paint(
            "36",
            &format!(
                "@@ {}: {} @@",
                object_name(&d.path),
                status_text(d.status, report.side)
            ),
        ));
        let diff = similar::TextDiff::from_lines(&d.current, &d.desired);
        for change in diff.iter_all_changes() {
            let line = change.value().trim_end_matches('\n');
            match change.tag() {
                similar::ChangeTag::Equal => out.push_str(&format!(" {line}\n")),
                similar::ChangeTag::Delete => out.push_str(&paint("31", &format!("-{line}"))),
                similar::ChangeTag::Insert => out.push_str(&paint("32", &format!("+{line}"))),
            }
        }
    }
    out
}

fn human(sides: &[SideReport], erd: Option<&ErdReport>, style: Style) -> String {
    let mut out = String::new();
    for s in sides {
        if s.in_sync() {
            out.push_str(&format!("in sync: {}\n", s.side.label()));
            continue;
        }
        let names: Vec<String> = s.drifted.iter().map(|d| object_name(&d.path)).collect();
        out.push_str(&format!(
            "drift: {} does not match schema.toml ({})\n\n",
            s.side.label(),
            if names.is_empty() {
                "see the changes".to_string()
            } else {
                names.join(", ")
            }
        ));
        if !s.drifted.is_empty() {
            out.push_str(&schema_diff(s, style));
            out.push('\n');
        }
        out.push_str(&format!(
            "Changes that would bring the {} to schema.toml:\n\n",
            s.side.label()
        ));
        out.push_str(&report::human(&s.planned.plan, style));
        out.push_str(&format!("\nTo fix: {}.\n\n", s.side.advice()));
    }
    if let Some(e) = erd {
        match &e.diff {
            None => out.push_str(&format!("in sync: {}\n", e.label())),
            Some(diff) => {
                out.push_str(&format!(
                    "drift: {} {}\n\n",
                    e.label(),
                    if e.missing {
                        "is missing"
                    } else {
                        "does not match schema.toml"
                    }
                ));
                out.push_str(diff);
                if !diff.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&format!("\nTo fix: {}.\n\n", ErdReport::ADVICE));
            }
        }
    }
    let mut drifting: Vec<String> = sides
        .iter()
        .filter(|s| !s.in_sync())
        .map(|s| s.side.label().to_string())
        .collect();
    drifting.extend(erd.filter(|e| !e.in_sync()).map(ErdReport::label));
    if !drifting.is_empty() {
        out.push_str(&format!("drift found: {}\n", drifting.join(", ")));
    }
    out
}

fn json_text(sides: &[SideReport], erd: Option<&ErdReport>) -> String {
    let sides_json: Vec<serde_json::Value> = sides
        .iter()
        .map(|s| {
            let objects: Vec<serde_json::Value> = s
                .drifted
                .iter()
                .map(|d| {
                    json!({
                        "object": object_name(&d.path),
                        "status": d.status.code(),
                    })
                })
                .collect();
            let diff = if s.drifted.is_empty() {
                String::new()
            } else {
                schema_diff(s, Style { color: false })
            };
            json!({
                "side": s.side.label(),
                "in_sync": s.in_sync(),
                "objects": objects,
                "changes": report::changes_value(&s.planned.plan),
                "sql": s.planned.plan.script(),
                "diff": diff,
            })
        })
        .collect();
    let mut value = json!({
        "in_sync": sides.iter().all(SideReport::in_sync) && erd.is_none_or(ErdReport::in_sync),
        "sides": sides_json,
    });
    if let Some(e) = erd {
        value["erd"] = json!({
            "file": e.file,
            "in_sync": e.in_sync(),
            "diff": e.diff.clone().unwrap_or_default(),
        });
    }
    let mut text = serde_json::to_string_pretty(&value).expect("plain values");
    text.push('\n');
    text
}

/// GitHub Actions `::error` commands pointing at the drifting elements of schema.toml (line 1 for objects
/// that schema.toml does not have).
fn annotations(args: &CheckArgs, loaded: &LoadedSchema, sides: &[SideReport]) -> Vec<String> {
    let file = args.schema_file.display().to_string();
    let mut out = Vec::new();
    for s in sides {
        for d in &s.drifted {
            // The file (schema.toml, or the included file that declares it) and line of the element.
            let (file, line) = match d.status {
                Status::Extra => (file.clone(), 1),
                Status::Missing | Status::Differs => loaded
                    .spans
                    .object(&d.path)
                    .map(|span| {
                        (
                            loaded.file.file_name(span.start).to_string(),
                            loaded.file.line_col(span.start).0,
                        )
                    })
                    .unwrap_or((file.clone(), 1)),
            };
            let message = match d.status {
                Status::Missing => format!(
                    "{} is in schema.toml but missing from the {}: {}",
                    object_name(&d.path),
                    s.side.label(),
                    s.side.advice()
                ),
                Status::Differs => format!(
                    "{} in the {} differs from schema.toml: {}",
                    object_name(&d.path),
                    s.side.label(),
                    s.side.advice()
                ),
                Status::Extra => format!(
                    "{} exists in the {} but is missing from schema.toml",
                    object_name(&d.path),
                    s.side.label()
                ),
            };
            out.push(format!(
                "::error file={},line={line}::{}",
                escape_property(&file),
                escape_data(&message)
            ));
        }
    }
    out
}

/// Workflow command data: `%`, CR and LF are escaped.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command property values: also `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
