//! The stages wired together: the desired and current schemas in canonical form, the plan and its rollback,
//! and their verification on a scratch copy. Commands and tests both go through here.

use std::path::Path;

use schemadiff_catalog::introspect::{IntrospectOptions, introspect, server_message};
use schemadiff_catalog::normalize::{NormalizeError, canonicalize, normalize_desired};
use schemadiff_catalog::scratch::{ScratchDatabase, ScratchServer};
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
    #[error("error: {0}")]
    Cycle(#[from] CycleError),
    #[error(
        "error: replaying {file} failed at statement {number}: {message}\n  statement: {statement}"
    )]
    Replay {
        file: String,
        number: usize,
        statement: String,
        message: String,
    },
    #[error("error: cannot read the migrations directory {dir}: {message}")]
    MigrationsDir { dir: String, message: String },
    #[error("{0}")]
    Layout(String),
    #[error("{0}")]
    Verify(String),
}

/// The desired schema in canonical form, with the directives of schema.toml (`renamed_from`, `using`, an
/// unpinned extension version) carried over from what was written.
pub async fn desired(
    loaded: &LoadedSchema,
    scratch: &ScratchServer,
) -> Result<Schema, PipelineError> {
    let mut canonical = normalize_desired(loaded, scratch).await?;
    overlay_directives(&mut canonical, &loaded.schema);
    Ok(canonical)
}

/// Carry the directives of the written schema onto its canonical form, matching elements by name (the name
/// written, or the one PostgreSQL gives).
pub fn overlay_directives(canonical: &mut Schema, written: &Schema) {
    canonical.migrations = written.migrations.clone();
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

/// The current schema of a live database, in canonical form.
pub async fn current_from_database(
    client: &tokio_postgres::Client,
    options: &IntrospectOptions,
    scratch: &ScratchServer,
) -> Result<Schema, PipelineError> {
    let live = introspect(client, options).await?.schema;
    Ok(canonicalize(live, scratch).await?)
}

/// The schema a migrations directory builds: its up parts replayed, in order, into a scratch database.
pub async fn current_from_migrations(
    dir: &Path,
    scratch: &ScratchServer,
) -> Result<Schema, PipelineError> {
    let layout = schemadiff_migrate::layout::read(dir, None, None)
        .map_err(|e| PipelineError::Layout(e.to_string()))?;
    current_from_layout(&layout, scratch).await
}

/// The schema the migrations of `layout` build, replayed statement by statement as psql would.
pub async fn current_from_layout(
    layout: &schemadiff_migrate::Layout,
    scratch: &ScratchServer,
) -> Result<Schema, PipelineError> {
    let scripts =
        schemadiff_migrate::up_scripts(layout).map_err(|e| PipelineError::MigrationsDir {
            dir: layout.dir.display().to_string(),
            message: e.to_string(),
        })?;
    let db = scratch.create_database().await?;
    let result = async {
        let client = db.connect().await?;
        for (file, up) in &scripts {
            for (n, stmt) in schemadiff_migrate::split_statements(up)
                .into_iter()
                .enumerate()
            {
                if let Err(e) = client.batch_execute(stmt).await {
                    return Err(PipelineError::Replay {
                        file: file.display().to_string(),
                        number: n + 1,
                        statement: stmt.lines().next().unwrap_or_default().to_string(),
                        message: server_message(&e),
                    });
                }
            }
        }
        Ok::<_, PipelineError>(
            introspect(&client, &IntrospectOptions::default())
                .await?
                .schema,
        )
    }
    .await;
    let dropped = scratch.drop_database(&db).await;
    let replayed = result?;
    dropped?;
    Ok(canonicalize(replayed, scratch).await?)
}

/// A verified plan and its verified rollback.
#[derive(Debug, Clone)]
pub struct Planned {
    pub plan: Plan,
    pub rollback: Plan,
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
            client.batch_execute(&stmt.sql).await.map_err(|e| {
                PipelineError::Verify(format!(
                    "error: schemadiff could not recreate the current schema on the scratch server ({}): {}",
                    server_message(&e),
                    stmt.sql
                ))
            })?;
        }
        let mut states = Vec::new();
        for (step, plan) in steps.iter().enumerate() {
            for change in &plan.changes {
                for sql in &change.statements {
                    if let Err(e) = client.batch_execute(sql).await {
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
            "error: `{change}` does not apply to a copy of the current schema: {message}\n  statement: {sql}"
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
            "error: the rename `{change}` failed on a copy of the current schema: {message}\n  statement: {sql}"
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
    verify(current, desired, &forward, &rollback, scratch).await?;
    Ok(Planned {
        plan: forward,
        rollback,
    })
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
                "error: {what}, so nothing was written.\n  change: {change}\n  statement: {sql}\n  PostgreSQL said: {message}{hint}"
            )));
        }
    };
    let (after, back) = (&states[0], &states[1]);
    let want = comparable(desired, desired);
    let got = comparable(after, desired);
    if want != got {
        return Err(PipelineError::Verify(format!(
            "error: verification failed: after the plan, the schema is not the desired one, so nothing was written.\nRemaining difference:\n{}",
            schema_difference(&want, &got)
        )));
    }
    let again = diff(after, &comparable(desired, desired));
    if !again.is_empty() {
        let list: Vec<String> = again.iter().map(|c| format!("  {c}")).collect();
        return Err(PipelineError::Verify(format!(
            "error: verification failed: planning again after the plan still finds changes, so nothing was written:\n{}",
            list.join("\n")
        )));
    }
    let want_back = comparable(current, desired);
    let got_back = comparable(back, desired);
    if want_back != got_back {
        return Err(PipelineError::Verify(format!(
            "error: verification failed: the rollback does not restore the current schema, so nothing was written.\nRemaining difference:\n{}",
            schema_difference(&want_back, &got_back)
        )));
    }
    Ok(())
}
