//! The stages wired together: the desired and current schemas in canonical form, the plan and its rollback,
//! and their verification on a scratch copy. Commands and tests both go through here.

use std::path::Path;

use schemadiff_catalog::introspect::{IntrospectOptions, introspect, server_message};
use schemadiff_catalog::normalize::{NormalizeError, canonicalize, normalize_desired};
use schemadiff_catalog::scratch::{ScratchDatabase, ScratchServer, run_statement};
use schemadiff_catalog::unsupported::Unsupported;
use schemadiff_diff::{Change, CycleError, Plan, diff, renames};
use schemadiff_model::naming::effective_names;
use schemadiff_model::{LoadedSchema, ObjectPath, Schema, create_script, quote_ident};

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Normalize(#[from] NormalizeError),
    #[error(transparent)]
    Scratch(#[from] schemadiff_catalog::scratch::ScratchError),
    #[error(transparent)]
    Introspect(#[from] schemadiff_catalog::introspect::IntrospectError),
    #[error("{0}")]
    Cycle(#[from] CycleError),
    #[error("replaying {file} failed at statement {number}: {message}\n  statement: {statement}")]
    Replay {
        file: String,
        number: usize,
        statement: String,
        message: String,
    },
    #[error("cannot read the migrations directory {dir}: {message}")]
    MigrationsDir { dir: String, message: String },
    #[error("{0}")]
    Layout(String),
    #[error("{0}")]
    Verify(String),
    #[error("{0}")]
    Unsupported(String),
}

/// The desired schema in canonical form, with the directives of schema.toml (`renamed_from`, `using`, an
/// unpinned extension version) carried over from what was written.
pub async fn desired(
    loaded: &LoadedSchema,
    scratch: &ScratchServer,
) -> Result<Schema, PipelineError> {
    let _stage = crate::progress::stage(format!("normalizing {}", loaded.file.name));
    let mut canonical = normalize_desired(loaded, scratch).await?;
    overlay_directives(&mut canonical, &loaded.schema);
    Ok(canonical)
}

/// Carry the directives of the written schema onto its canonical form, matching elements by name (the name
/// written, or the one PostgreSQL gives).
pub fn overlay_directives(canonical: &mut Schema, written: &Schema) {
    canonical.migrations = written.migrations.clone();
    canonical.filter = written.filter.clone();
    canonical.erd = written.erd.clone();
    for e in &mut canonical.extensions {
        if let Some(w) = written.extensions.iter().find(|w| w.name == e.name) {
            e.version = w.version.clone();
        }
    }
    for e in &mut canonical.enums {
        if let Some(w) = written.enums.iter().find(|w| w.name == e.name) {
            e.renamed_from = w.renamed_from.clone();
            for v in &mut e.values {
                if let Some(wv) = w.values.iter().find(|wv| wv.name == v.name) {
                    v.renamed_from = wv.renamed_from.clone();
                }
            }
        }
    }
    for s in &mut canonical.sequences {
        if let Some(w) = written.sequences.iter().find(|w| w.name == s.name) {
            s.renamed_from = w.renamed_from.clone();
        }
    }
    let names = effective_names(written);
    for t in &mut canonical.tables {
        let Some(w) = written.tables.iter().find(|w| w.name == t.name) else {
            continue;
        };
        t.renamed_from = w.renamed_from.clone();
        for c in &mut t.columns {
            if let Some(wc) = w.column(&c.name) {
                c.renamed_from = wc.renamed_from.clone();
                c.using = wc.using.clone();
            }
        }
        let written_name = |p: ObjectPath| names.get(&p).cloned();
        for (i, wu) in w.uniques.iter().enumerate() {
            let n = written_name(ObjectPath::Unique(w.name.clone(), i));
            if let Some(u) = t.uniques.iter_mut().find(|u| u.name == n) {
                u.renamed_from = wu.renamed_from.clone();
            }
        }
        for (i, wf) in w.foreign_keys.iter().enumerate() {
            let n = written_name(ObjectPath::ForeignKey(w.name.clone(), i));
            if let Some(f) = t.foreign_keys.iter_mut().find(|f| f.name == n) {
                f.renamed_from = wf.renamed_from.clone();
            }
        }
        // A check has a default name only once the server gives it one: directives need a written name.
        for wc in &w.checks {
            if let Some(n) = &wc.name {
                if let Some(c) = t.checks.iter_mut().find(|c| c.name.as_ref() == Some(n)) {
                    c.renamed_from = wc.renamed_from.clone();
                }
            }
        }
        for (i, wi) in w.indexes.iter().enumerate() {
            let n = written_name(ObjectPath::Index(w.name.clone(), i));
            if let Some(x) = t.indexes.iter_mut().find(|x| x.name == n) {
                x.renamed_from = wi.renamed_from.clone();
            }
        }
    }
}

/// A current schema in canonical form, with what it holds that the model cannot represent.
#[derive(Debug, Clone)]
pub struct Current {
    pub schema: Schema,
    /// Left as they are (with `--ignore-unsupported`); a plan must not break them ([`refuse_breaking`]).
    pub unsupported: Vec<Unsupported>,
}

/// What to do with objects the model cannot represent: stop (the default) or go on without them.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnsupportedPolicy {
    pub ignore: bool,
}

/// Stop on `found` unless the policy ignores them; `what` names where they were found.
fn gate(
    found: Vec<Unsupported>,
    policy: UnsupportedPolicy,
    what: &str,
) -> Result<Vec<Unsupported>, PipelineError> {
    if found.is_empty() || policy.ignore {
        return Ok(found);
    }
    Err(PipelineError::Unsupported(format!(
        "{what} holds objects that schemadiff does not model yet, so it stops rather than lose them without a word:\n{}\nTo go on, leaving them exactly as they are, pass --ignore-unsupported (or set `ignore_unsupported = true` under [filter] in schema.toml): they are then listed as a warning, and a plan that would drop or retype what they use is refused.",
        list_unsupported(&found)
    )))
}

/// The objects, a line each.
pub fn list_unsupported(found: &[Unsupported]) -> String {
    found
        .iter()
        .map(|u| format!("  - {u}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Refuse a plan that drops or retypes a table, column or type that an object left as it is uses: the scratch
/// copy the plan was verified on cannot hold that object, so the plan could fail on the real database, or
/// take the object with it.
pub fn refuse_breaking(plan: &Plan, found: &[Unsupported]) -> Result<(), String> {
    use schemadiff_catalog::unsupported::Used;
    use schemadiff_diff::{Hazard, Res};
    let mut broken = Vec::new();
    for change in &plan.changes {
        for u in found {
            let hit = u.uses.iter().find(|used| match used {
                Used::Relation(q) => change
                    .removes
                    .iter()
                    .any(|r| matches!(r, Res::Table(t) | Res::Sequence(t) if t == q)),
                Used::Type(q) => change
                    .removes
                    .iter()
                    .any(|r| matches!(r, Res::Type(t) if t == q)),
                Used::Column(q, c) => {
                    change.removes.iter().any(|r| {
                        matches!(r, Res::Column(t, col) if t == q && col == c)
                            || matches!(r, Res::Table(t) if t == q)
                    }) || (change.kind == "alter_column"
                        && change.hazards.contains(&Hazard::RewritesTable)
                        && change.object == format!("column {}.{}", q.sql(), quote_ident(c)))
                }
            });
            if let Some(used) = hit {
                broken.push(format!("  - `{change}` would break {u}: it changes {used}"));
            }
        }
    }
    if broken.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the plan would break objects that schemadiff does not model (left as they are with --ignore-unsupported), so it is refused:\n{}\nChange schema.toml so that what they use stays, or change those objects by hand first (drop them, or adapt them to the new shape).",
        broken.join("\n")
    ))
}

/// The current schema of a live database, in canonical form.
pub async fn current_from_database(
    client: &tokio_postgres::Client,
    options: &IntrospectOptions,
    scratch: &ScratchServer,
    policy: UnsupportedPolicy,
) -> Result<Current, PipelineError> {
    let _stage = crate::progress::stage("reading the live database");
    let read = introspect(client, options).await?;
    let unsupported = gate(read.unsupported, policy, "the live database")?;
    Ok(Current {
        schema: canonicalize(read.schema, scratch).await?,
        unsupported,
    })
}

/// The schema a migrations directory builds: its up parts replayed, in order, into a scratch database.
pub async fn current_from_migrations(
    dir: &Path,
    scratch: &ScratchServer,
    policy: UnsupportedPolicy,
) -> Result<Current, PipelineError> {
    let layout = schemadiff_migrate::layout::read(dir, None, None)
        .map_err(|e| PipelineError::Layout(e.to_string()))?;
    current_from_layout(&layout, scratch, policy).await
}

/// The schema the migrations of `layout` build, replayed statement by statement as psql would.
pub async fn current_from_layout(
    layout: &schemadiff_migrate::Layout,
    scratch: &ScratchServer,
    policy: UnsupportedPolicy,
) -> Result<Current, PipelineError> {
    let scripts =
        schemadiff_migrate::up_scripts(layout).map_err(|e| PipelineError::MigrationsDir {
            dir: layout.dir.display().to_string(),
            message: e.to_string(),
        })?;
    let _stage = crate::progress::stage(format!(
        "replaying {} migration{} of {}",
        scripts.len(),
        if scripts.len() == 1 { "" } else { "s" },
        layout.dir.display()
    ));
    let db = scratch.create_database().await?;
    let result = async {
        let client = db.connect().await?;
        for (file, up) in &scripts {
            for (n, stmt) in schemadiff_migrate::split_statements(up)
                .into_iter()
                .enumerate()
            {
                // The files are the project's own SQL: run as psql and the runners run them (simple protocol).
                tracing::debug!("replay {}: {stmt}", file.display());
                if let Err(e) = client.batch_execute(stmt).await {
                    let mut message = server_message(&e);
                    if let Some(name) = missing_extension(&e) {
                        let major: i32 = client
                            .query_one(
                                "SELECT current_setting('server_version_num')::int / 10000",
                                &[],
                            )
                            .await
                            .map_or(0, |r| r.get(0));
                        message.push_str(&format!(
                            "\n  hint: {}",
                            schemadiff_catalog::packages::missing_extension_advice(
                                &name,
                                major as u32
                            )
                        ));
                    }
                    return Err(PipelineError::Replay {
                        file: file.display().to_string(),
                        number: n + 1,
                        statement: stmt.lines().next().unwrap_or_default().to_string(),
                        message,
                    });
                }
            }
        }
        Ok::<_, PipelineError>(introspect(&client, &IntrospectOptions::default()).await?)
    }
    .await;
    let dropped = scratch.drop_database(&db).await;
    let replayed = result?;
    dropped?;
    let unsupported = gate(
        replayed.unsupported,
        policy,
        &format!(
            "the migrations directory {} (replayed)",
            layout.dir.display()
        ),
    )?;
    Ok(Current {
        schema: canonicalize(replayed.schema, scratch).await?,
        unsupported,
    })
}

/// The extension an error says is not installed on the server (`extension "postgis" is not available`).
fn missing_extension(e: &tokio_postgres::Error) -> Option<String> {
    if !schemadiff_catalog::packages::is_missing_extension(e) {
        return None;
    }
    let m = e.as_db_error()?.message();
    let start = m.find("extension \"")? + "extension \"".len();
    Some(m[start..].split('"').next()?.to_string())
}

/// A verified plan and its verified rollback, with the fingerprints of the schemas it goes between.
#[derive(Debug, Clone)]
pub struct Planned {
    pub plan: Plan,
    pub rollback: Plan,
    /// [`fingerprint`] of the current schema the plan was made for: a later step can refuse to apply the plan
    /// to a database whose fingerprint differs.
    pub current_fingerprint: String,
    /// [`fingerprint`] of the schema the plan leaves.
    pub desired_fingerprint: String,
}

/// A fingerprint of a canonical schema (its directives left out): `sha256:` and the hex digest of its
/// schema.toml text. Equal schemas have equal fingerprints on every run and machine.
pub fn fingerprint(schema: &Schema) -> String {
    use sha2::Digest;
    let digest =
        sha2::Sha256::digest(schemadiff_model::to_toml(&strip_directives(schema)).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Apply statements to a fresh scratch database holding `schema`, then read it back.
async fn apply_to_copy(
    scratch: &ScratchServer,
    schema: &Schema,
    steps: &[&Plan],
) -> Result<Result<Vec<Schema>, (usize, Change, String, String)>, PipelineError> {
    let db: ScratchDatabase = scratch.create_database().await?;
    let result = async {
        let client = db.connect().await?;
        for stmt in create_script(schema) {
            run_statement(&client, &stmt.sql).await.map_err(|e| {
                PipelineError::Verify(format!(
                    "schemadiff could not recreate the current schema on the scratch server ({}): {}",
                    server_message(&e),
                    stmt.sql
                ))
            })?;
        }
        let mut states = Vec::new();
        for (step, plan) in steps.iter().enumerate() {
            for change in &plan.changes {
                for sql in &change.statements {
                    if let Err(e) = run_statement(&client, sql).await {
                        return Ok(Err((step, change.clone(), sql.clone(), server_message(&e))));
                    }
                }
            }
            states.push(introspect(&client, &IntrospectOptions::default()).await?.schema);
        }
        Ok::<_, PipelineError>(Ok(states))
    }
    .await;
    let dropped = scratch.drop_database(&db).await;
    let r = result?;
    dropped?;
    Ok(r)
}

/// The canonical schema that `plan` leaves when applied to `schema` (on a scratch copy).
pub async fn state_after(
    scratch: &ScratchServer,
    schema: &Schema,
    plan: &Plan,
) -> Result<Schema, PipelineError> {
    match apply_to_copy(scratch, schema, &[plan]).await? {
        Ok(mut states) => Ok(canonicalize(states.remove(0), scratch).await?),
        Err((_, change, sql, message)) => Err(PipelineError::Verify(format!(
            "`{change}` does not apply to a copy of the current schema: {message}\n  statement: {sql}"
        ))),
    }
}

/// The renames of `renames` applied to `schema` on the server, read back: what the rest of the diff compares.
async fn renamed(
    scratch: &ScratchServer,
    schema: &Schema,
    renames: &[Change],
) -> Result<Schema, PipelineError> {
    if renames.is_empty() {
        return Ok(schema.clone());
    }
    let plan = Plan {
        changes: renames.to_vec(),
    };
    match apply_to_copy(scratch, schema, &[&plan]).await? {
        Ok(mut states) => Ok(states.remove(0)),
        Err((_, change, sql, message)) => Err(PipelineError::Verify(format!(
            "the rename `{change}` failed on a copy of the current schema: {message}\n  statement: {sql}"
        ))),
    }
}

/// The changes from `from` to `to` (whose directives say what was renamed), ordered, renames first.
async fn plan_between(
    scratch: &ScratchServer,
    from: &Schema,
    to: &Schema,
) -> Result<Plan, PipelineError> {
    let r = renames(from, to);
    let after_renames = renamed(scratch, from, &r).await?;
    Ok(Plan::new(r, diff(&after_renames, to))?)
}

/// The current schema with directives that undo the plan: renamed objects get their new name as
/// `renamed_from`, and columns whose type changes convert back with an explicit cast.
fn reverse_directives(current: &Schema, desired: &Schema) -> Schema {
    let mut back = current.clone();
    // A version is put back only where the plan pinned one.
    for e in &mut back.extensions {
        let pinned = desired
            .extensions
            .iter()
            .any(|d| d.name == e.name && d.version.is_some());
        if !pinned {
            e.version = None;
        }
    }
    for t in &mut back.tables {
        let forward = desired
            .tables
            .iter()
            .find(|d| d.renamed_from.as_ref() == Some(&t.name));
        let target = forward.or_else(|| desired.tables.iter().find(|d| d.name == t.name));
        if let Some(f) = forward {
            t.renamed_from = Some(f.name.clone());
        }
        let Some(d) = target else { continue };
        for c in &mut t.columns {
            let dc = d
                .columns
                .iter()
                .find(|dc| dc.renamed_from.as_deref() == Some(c.name.as_str()))
                .or_else(|| d.column(&c.name));
            let Some(dc) = dc else { continue };
            if dc.name != c.name {
                c.renamed_from = Some(dc.name.clone());
            }
            if dc.data_type != c.data_type {
                c.using = Some(format!("{}::{}", quote_ident(&c.name), c.data_type));
            }
        }
        for u in &mut t.uniques {
            if let Some(du) = d
                .uniques
                .iter()
                .find(|du| du.renamed_from.is_some() && du.renamed_from == u.name)
            {
                u.renamed_from = du.name.clone();
            }
        }
        for f in &mut t.foreign_keys {
            if let Some(df) = d
                .foreign_keys
                .iter()
                .find(|df| df.renamed_from.is_some() && df.renamed_from == f.name)
            {
                f.renamed_from = df.name.clone();
            }
        }
        for c in &mut t.checks {
            if let Some(dc) = d
                .checks
                .iter()
                .find(|dc| dc.renamed_from.is_some() && dc.renamed_from == c.name)
            {
                c.renamed_from = dc.name.clone();
            }
        }
        for i in &mut t.indexes {
            if let Some(di) = d
                .indexes
                .iter()
                .find(|di| di.renamed_from.is_some() && di.renamed_from == i.name)
            {
                i.renamed_from = di.name.clone();
            }
        }
    }
    for e in &mut back.enums {
        let forward = desired
            .enums
            .iter()
            .find(|d| d.renamed_from.as_ref() == Some(&e.name));
        if let Some(f) = forward {
            e.renamed_from = Some(f.name.clone());
        }
        let Some(d) = forward.or_else(|| desired.enums.iter().find(|d| d.name == e.name)) else {
            continue;
        };
        for v in &mut e.values {
            if let Some(dv) = d
                .values
                .iter()
                .find(|dv| dv.renamed_from.as_deref() == Some(v.name.as_str()))
            {
                v.renamed_from = Some(dv.name.clone());
            }
        }
    }
    for s in &mut back.sequences {
        if let Some(f) = desired
            .sequences
            .iter()
            .find(|d| d.renamed_from.as_ref() == Some(&s.name))
        {
            s.renamed_from = Some(f.name.clone());
        }
    }
    back
}

/// A schema without the directives of schema.toml: the state a plan leaves.
pub fn strip_directives(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    s.migrations = None;
    s.filter = None;
    s.erd = None;
    for e in &mut s.enums {
        e.renamed_from = None;
        e.values.iter_mut().for_each(|v| v.renamed_from = None);
    }
    s.sequences.iter_mut().for_each(|q| q.renamed_from = None);
    for t in &mut s.tables {
        t.renamed_from = None;
        for c in &mut t.columns {
            c.renamed_from = None;
            c.using = None;
        }
        t.uniques.iter_mut().for_each(|u| u.renamed_from = None);
        t.foreign_keys
            .iter_mut()
            .for_each(|f| f.renamed_from = None);
        t.checks.iter_mut().for_each(|c| c.renamed_from = None);
        t.indexes.iter_mut().for_each(|i| i.renamed_from = None);
    }
    s
}

/// What two schemas must agree on after a plan: everything but the directives and the column order (which an
/// existing table cannot change), and extension versions only where `reference` (the desired schema) names one.
pub fn comparable(schema: &Schema, reference: &Schema) -> Schema {
    let mut s = strip_directives(schema);
    for e in &mut s.extensions {
        let pinned = reference
            .extensions
            .iter()
            .find(|r| r.name == e.name)
            .and_then(|r| r.version.clone());
        if pinned.is_none() {
            e.version = None;
        }
    }
    for t in &mut s.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    // Objects are compared by name, whatever order the catalog or a filter listed them in.
    s.tables.sort_by(|a, b| a.name.cmp(&b.name));
    s.enums.sort_by(|a, b| a.name.cmp(&b.name));
    s.sequences.sort_by(|a, b| a.name.cmp(&b.name));
    s.views.sort_by(|a, b| a.name.cmp(&b.name));
    s.functions
        .sort_by(|a, b| (&a.name, &a.signature).cmp(&(&b.name, &b.signature)));
    s.triggers
        .sort_by(|a, b| (&a.relation, &a.name).cmp(&(&b.relation, &b.name)));
    s.schemas.sort_by(|a, b| a.name.cmp(&b.name));
    s.extensions.sort_by(|a, b| a.name.cmp(&b.name));
    s
}

/// A readable difference of two schemas, as schema.toml text.
pub fn schema_difference(expected: &Schema, actual: &Schema) -> String {
    let a = schemadiff_model::to_toml(expected);
    let b = schemadiff_model::to_toml(actual);
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

/// Plan `current` -> `desired` and its rollback, and verify both on a scratch copy of `current`: the plan
/// applies, the result equals `desired`, planning again finds nothing, and the rollback restores `current`.
pub async fn plan(
    current: &Schema,
    desired: &Schema,
    scratch: &ScratchServer,
) -> Result<Planned, PipelineError> {
    let planning = crate::progress::stage("planning the change and its rollback");
    let mut desired = desired.clone();
    let forward = plan_with_casts(scratch, current, &mut desired, false)
        .await?
        .0;
    let desired = &desired;
    let mut back_target = reverse_directives(current, desired);
    // The rollback starts from the desired schema as the plan leaves it.
    let (mut rollback, through_text) =
        plan_with_casts(scratch, &strip_directives(desired), &mut back_target, true).await?;
    // Converting back through text is a guess that fits only some values (a timestamp's text is no bigint): a
    // person should write that step. Between two enums, the labels are the values, so text is the way.
    let enum_texts: std::collections::BTreeSet<String> = current
        .enums
        .iter()
        .chain(&desired.enums)
        .map(|e| schemadiff_diff::diff::type_text(&e.name))
        .collect();
    let is_enum = |t: &str| enum_texts.contains(t.trim_end_matches("[]"));
    let between_enums: std::collections::BTreeSet<String> = {
        let mut back = back_target.clone();
        type_changes(&strip_directives(desired), &mut back)
            .into_iter()
            .filter(|(object, c)| {
                let forward_type = desired.tables.iter().find_map(|t| {
                    t.columns
                        .iter()
                        .find(|dc| {
                            format!("column {}.{}", t.name.sql(), quote_ident(&dc.name)) == *object
                        })
                        .map(|dc| dc.data_type.clone())
                });
                is_enum(&c.data_type) && forward_type.is_some_and(|f| is_enum(&f))
            })
            .map(|(object, _)| object)
            .collect()
    };
    for c in &mut rollback.changes {
        if through_text.contains(&c.object) && !between_enums.contains(&c.object) {
            *c = c
                .clone()
                .hazard(schemadiff_diff::Hazard::NeedsHandWrittenStep);
            // Said where a reader of the rollback script sees it.
            if let Some(first) = c.statements.first_mut() {
                *first = format!(
                    "-- schemadiff: write this step by hand: no cast converts {} back, and through its text form only some values convert\n{first}",
                    c.object
                );
            }
        }
    }
    drop(planning);
    let _stage = crate::progress::stage("verifying the plan on a scratch copy");
    verify(current, desired, &forward, &rollback, scratch).await?;
    Ok(Planned {
        plan: forward,
        rollback,
        current_fingerprint: fingerprint(current),
        desired_fingerprint: fingerprint(desired),
    })
}

/// Plan `current` -> `desired` as consecutive migrations, one per part of `parts` (which, applied in order,
/// make the whole plan): the state after each part, on a scratch copy, is the target of its step, and each
/// step is planned and verified like a whole plan (it applies alone on top of the steps before it, and its
/// rollback brings back the state they left). The last step's target is `desired` itself.
pub async fn plan_in_parts(
    current: &Schema,
    desired: &Schema,
    parts: &[Plan],
    scratch: &ScratchServer,
) -> Result<Vec<Planned>, PipelineError> {
    let before_last: Vec<&Plan> = parts.iter().take(parts.len().saturating_sub(1)).collect();
    let mut targets = Vec::new();
    if !before_last.is_empty() {
        let states = match apply_to_copy(scratch, current, &before_last).await? {
            Ok(states) => states,
            Err((_, change, sql, message)) => {
                return Err(PipelineError::Verify(format!(
                    "error: `{change}` does not apply to a copy of the current schema after the migrations before it: {message}\n  statement: {sql}"
                )));
            }
        };
        for state in states {
            let mut target = canonicalize(state, scratch).await?;
            // Renames and conversions of the parts done so far keep their directives.
            overlay_directives(&mut target, desired);
            targets.push(target);
        }
    }
    targets.push(desired.clone());
    let mut from = current.clone();
    let mut out = Vec::with_capacity(targets.len());
    for target in targets {
        out.push(plan(&from, &target, scratch).await?);
        from = strip_directives(&target);
    }
    Ok(out)
}

/// The columns of `to` whose type differs from their column in `from` (matched through `renamed_from`), by the
/// object name their change has (`column public.t.c`).
fn type_changes<'a>(
    from: &Schema,
    to: &'a mut Schema,
) -> Vec<(String, &'a mut schemadiff_model::Column)> {
    let mut out = Vec::new();
    for t in &mut to.tables {
        let old_table = from
            .table(&t.name)
            .or_else(|| t.renamed_from.as_ref().and_then(|r| from.table(r)));
        let Some(old_table) = old_table else { continue };
        let q = t.name.sql();
        for c in &mut t.columns {
            let old = old_table
                .column(&c.name)
                .or_else(|| c.renamed_from.as_deref().and_then(|r| old_table.column(r)));
            if old.is_some_and(|o| o.data_type != c.data_type) {
                out.push((format!("column {q}.{}", quote_ident(&c.name)), c));
            }
        }
    }
    out
}

/// Plan `from` -> `to`, giving type changes the `USING` the server needs, found by trial on a scratch copy of
/// `from`: a change PostgreSQL cannot make by itself (no assignment cast) gets `USING col::newtype`, and when
/// no cast exists at all, `USING col::text::newtype` (through the text form). A `using` written in schema.toml
/// is kept; with `generated_usings` (a rollback, whose casts schemadiff wrote), a plain cast that does not
/// exist is replaced too. Returns the plan and the changes (by object) that convert through text. The trial
/// runs only when a type changes.
async fn plan_with_casts(
    scratch: &ScratchServer,
    from: &Schema,
    to: &mut Schema,
    generated_usings: bool,
) -> Result<(Plan, std::collections::BTreeSet<String>), PipelineError> {
    let mut auto: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut through_text = std::collections::BTreeSet::new();
    loop {
        let plan = plan_between(scratch, from, to).await?;
        let candidates = type_changes(from, to).len();
        if candidates == 0 || through_text.len() >= candidates {
            return Ok((plan, through_text));
        }
        let Err((_, change, _, message)) = apply_to_copy(scratch, from, &[&plan]).await? else {
            return Ok((plan, through_text));
        };
        let mut fixed = false;
        for (object, c) in type_changes(from, to) {
            if object != change.object {
                continue;
            }
            let col = quote_ident(&c.name);
            let plain = format!("{col}::{}", c.data_type);
            let ours = auto.contains(&object) || generated_usings;
            if c.using.is_none() && message.contains("cannot be cast automatically") {
                c.using = Some(plain);
                auto.insert(object);
                fixed = true;
            } else if ours
                && c.using.as_deref() == Some(plain.as_str())
                && message.contains("cannot cast type")
            {
                c.using = Some(format!("{col}::text::{}", c.data_type));
                through_text.insert(object);
                fixed = true;
            }
            break;
        }
        if !fixed {
            // Verification reports what fails, with its hint.
            return Ok((plan, through_text));
        }
    }
}

async fn verify(
    current: &Schema,
    desired: &Schema,
    plan: &Plan,
    rollback: &Plan,
    scratch: &ScratchServer,
) -> Result<(), PipelineError> {
    let states = match apply_to_copy(scratch, current, &[plan, rollback]).await? {
        Ok(states) => states,
        Err((step, change, sql, message)) => {
            let hint = if message.contains("cannot be cast automatically") {
                "\n  hint: give the column a `using` expression in schema.toml, e.g. `using = \"col::integer\"`"
            } else {
                ""
            };
            // Say which script failed: a rollback's statement is not the plan's.
            let what = if step == 0 {
                "the plan does not apply to a copy of the current schema"
            } else {
                "the plan applies, but its rollback does not apply to the result"
            };
            return Err(PipelineError::Verify(format!(
                "{what}, so nothing was written.\n  change: {change}\n  statement: {sql}\n  PostgreSQL said: {message}{hint}"
            )));
        }
    };
    let (after, back) = (&states[0], &states[1]);
    let want = comparable(desired, desired);
    let got = comparable(after, desired);
    if want != got {
        return Err(PipelineError::Verify(format!(
            "verification failed: after the plan, the schema is not the desired one, so nothing was written.\nRemaining difference:\n{}",
            schema_difference(&want, &got)
        )));
    }
    let again = diff(after, &comparable(desired, desired));
    if !again.is_empty() {
        let list: Vec<String> = again.iter().map(|c| format!("  {c}")).collect();
        return Err(PipelineError::Verify(format!(
            "verification failed: planning again after the plan still finds changes, so nothing was written:\n{}",
            list.join("\n")
        )));
    }
    let want_back = comparable(current, desired);
    let got_back = comparable(back, desired);
    if want_back != got_back {
        return Err(PipelineError::Verify(format!(
            "verification failed: the rollback does not restore the current schema, so nothing was written.\nRemaining difference:\n{}",
            schema_difference(&want_back, &got_back)
        )));
    }
    Ok(())
}
