//! The stages wired together: the desired and current schemas in canonical form, the plan and its rollback,
//! and their verification on a scratch copy. Commands and tests both go through here.

use std::borrow::Cow;
use std::path::Path;

use schemadiff_catalog::introspect::{IntrospectOptions, introspect, server_message};
use schemadiff_catalog::normalize::{NormalizeError, canonicalize, normalize_desired};
use schemadiff_catalog::scratch::{ScratchDatabase, ScratchServer, run_script, run_statement};
use schemadiff_catalog::unsupported::Unsupported;
use schemadiff_diff::{Change, CycleError, Plan, diff, renames};
use schemadiff_model::{Directives, LoadedSchema, Schema, Target, create_script, quote_ident};

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
    #[error("{0}")]
    TooNew(String),
    /// A partition that would move to another parent, or a table that would become a partition (or the
    /// reverse): not planned.
    #[error("{0}")]
    Partitioning(String),
}

/// The desired schema in canonical form, with the extension versions schema.toml pins (an unpinned one is
/// whatever the server has). Its directives (renames, `USING`) are [`Directives::of`] the written schema.
pub async fn desired(
    loaded: &LoadedSchema,
    scratch: &ScratchServer,
) -> Result<Schema, PipelineError> {
    desired_against(loaded, None, scratch).await
}

/// [`desired`], given the current schema in canonical form when there is one: then only the elements of
/// schema.toml that differ from it go through the scratch server (see
/// `schemadiff_catalog::incremental`); the result is the same.
pub async fn desired_against(
    loaded: &LoadedSchema,
    current: Option<&Schema>,
    scratch: &ScratchServer,
) -> Result<Schema, PipelineError> {
    let _stage = crate::progress::stage(format!("normalizing {}", loaded.file.name));
    let major = scratch.major().await?;
    crate::versions::check(&loaded.schema, major, scratch.label())
        .map_err(PipelineError::TooNew)?;
    let mut canonical = match current {
        Some(current) => {
            schemadiff_catalog::incremental::normalize_desired_against(loaded, current, scratch)
                .await?
        }
        None => normalize_desired(loaded, scratch).await?,
    };
    pin_extensions(&mut canonical, loaded);
    Ok(canonical)
}

/// The extension versions schema.toml pins, in its canonical form (an unpinned one is whatever the server has).
fn pin_extensions(canonical: &mut Schema, loaded: &LoadedSchema) {
    for e in &mut canonical.extensions {
        if let Some(w) = loaded.schema.extensions.iter().find(|w| w.name == e.name) {
            e.version = w.version.clone();
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
                    }) || (change.kind == schemadiff_diff::ChangeKind::AlterColumn
                        && (change.hazards.contains(&Hazard::RewritesTable)
                            || change.statements.iter().any(|s| s.contains(" TYPE ")))
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
    stated: Option<&Schema>,
) -> Result<Current, PipelineError> {
    let mut read = read_database(client, options, policy).await?;
    if let Some(stated) = stated {
        schemadiff_catalog::introspect::keep_stated_owners(&mut read.schema, stated);
    }
    Ok(Current {
        schema: canonicalize(read.schema, scratch).await?,
        unsupported: read.unsupported,
    })
}

/// The options that read the owners `stated` (a schema as loaded) manages: with `[migrations]
/// manage_ownership = true`.
pub fn owner_options(stated: &Schema) -> IntrospectOptions {
    IntrospectOptions {
        owners: schemadiff_model::owner::managed(stated),
        ..Default::default()
    }
}

/// A live database read, not yet in canonical form ([`current_from_database`] brings it there).
pub async fn read_database(
    client: &tokio_postgres::Client,
    options: &IntrospectOptions,
    policy: UnsupportedPolicy,
) -> Result<Current, PipelineError> {
    let _stage = crate::progress::stage("reading the live database");
    gate_read(introspect(client, options).await, policy)
}

/// [`read_database`] of a live database read already: stopped, with the list, when it holds what
/// schemadiff does not model and `policy` does not say to go on.
pub fn gate_read(
    read: Result<
        schemadiff_catalog::introspect::Introspection,
        schemadiff_catalog::introspect::IntrospectError,
    >,
    policy: UnsupportedPolicy,
) -> Result<Current, PipelineError> {
    let read = read?;
    let unsupported = gate(read.unsupported, policy, "the live database")?;
    Ok(Current {
        schema: read.schema,
        unsupported,
    })
}

/// The schema a migrations directory builds: its up parts replayed, in order, into a scratch database.
/// `stated`: the desired schema as loaded, whose owners are read (`manage_ownership`).
pub async fn current_from_migrations(
    dir: &Path,
    scratch: &ScratchServer,
    policy: UnsupportedPolicy,
    stated: &Schema,
) -> Result<Current, PipelineError> {
    let layout = schemadiff_migrate::layout::read(dir, None, None)
        .map_err(|e| PipelineError::Layout(e.to_string()))?;
    current_from_layout(&layout, scratch, policy, stated).await
}

/// The schema the migrations of `layout` build, replayed statement by statement as psql would.
/// `stated`: the desired schema as loaded, whose owners are read (`manage_ownership`).
pub async fn current_from_layout(
    layout: &schemadiff_migrate::Layout,
    scratch: &ScratchServer,
    policy: UnsupportedPolicy,
    stated: &Schema,
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
                    if let Some(role) = schemadiff_catalog::policy::role_of_error(&e) {
                        message.push_str(&format!(
                            "\n  hint: {}",
                            schemadiff_catalog::policy::declare_role_help(&role)
                        ));
                    }
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
        let mut read = introspect(&client, &owner_options(stated)).await?;
        schemadiff_catalog::introspect::keep_stated_owners(&mut read.schema, stated);
        Ok::<_, PipelineError>(read)
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
    // Hashed as it is written, a table at a time, rather than written whole first.
    let mut hasher = sha2::Sha256::new();
    schemadiff_model::write_toml(schema, &mut |piece| hasher.update(piece.as_bytes()));
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Apply statements to a fresh scratch database holding `schema`, then read it back.
async fn apply_to_copy(
    scratch: &ScratchServer,
    schema: &Schema,
    steps: &[&Plan],
    last_use: bool,
) -> Result<Result<Vec<Schema>, (usize, Change, String, String)>, PipelineError> {
    // A copy of the database that was read back as `schema` when it was brought to its canonical form (that
    // database itself on its last use), else `schema` built anew.
    let kept = if last_use {
        scratch.take_template(schema)
    } else {
        scratch.copy_of(schema).await
    };
    let (db, built): (ScratchDatabase, bool) = match kept {
        Some(db) => (db, true),
        None => (scratch.create_database().await?, false),
    };
    // Owners are read when the schema states any or the steps change one (`manage_ownership`).
    let options = IntrospectOptions {
        owners: !schema.owners.is_empty()
            || steps.iter().any(|p| {
                p.changes
                    .iter()
                    .any(|c| c.kind == schemadiff_diff::ChangeKind::SetOwner)
            }),
        // Built from the model: nothing it cannot represent.
        unsupported: false,
        ..Default::default()
    };
    let result = async {
        let client = db.connect().await?;
        if !built {
            let script = create_script(schema);
            let sqls: Vec<&str> = script.iter().map(|s| s.sql.as_str()).collect();
            run_script(&client, &sqls).await.map_err(|(i, e)| {
                PipelineError::Verify(format!(
                    "schemadiff could not recreate the current schema on the scratch server ({}): {}",
                    server_message(&e),
                    sqls[i]
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
            states.push(introspect(&client, &options).await?.schema);
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
    match apply_to_copy(scratch, schema, &[plan], false).await? {
        Ok(mut states) => Ok(canonicalize(states.remove(0), scratch).await?),
        Err((_, change, sql, message)) => Err(PipelineError::Verify(format!(
            "`{change}` does not apply to a copy of the current schema: {message}\n  statement: {sql}"
        ))),
    }
}

/// The renames of `renames` applied to `schema` on the server, read back: what the rest of the diff compares
/// (`schema` itself, borrowed, when nothing is renamed).
async fn renamed<'a>(
    scratch: &ScratchServer,
    schema: &'a Schema,
    renames: &[Change],
) -> Result<Cow<'a, Schema>, PipelineError> {
    if renames.is_empty() {
        return Ok(Cow::Borrowed(schema));
    }
    let plan = Plan {
        changes: renames.to_vec(),
    };
    match apply_to_copy(scratch, schema, &[&plan], false).await? {
        Ok(mut states) => Ok(Cow::Owned(states.remove(0))),
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
    directives: &Directives,
) -> Result<Plan, PipelineError> {
    let r = renames(from, to, directives);
    let after_renames = renamed(scratch, from, &r).await?;
    schemadiff_diff::refuse_repartitioning(&after_renames, to)
        .map_err(PipelineError::Partitioning)?;
    Ok(Plan::new(r, diff(&after_renames, to, directives))?)
}

/// The rollback's target: the current schema, with an extension version put back only where the plan pinned
/// one (`current` itself, borrowed, when that changes nothing: a copy of a whole schema is large).
fn rollback_target<'a>(current: &'a Schema, desired: &Schema) -> Cow<'a, Schema> {
    let pinned = |name: &str| {
        desired
            .extensions
            .iter()
            .any(|d| d.name == name && d.version.is_some())
    };
    let any_invalid = current
        .tables
        .iter()
        .flat_map(|t| &t.indexes)
        .chain(current.views.iter().flat_map(|v| &v.indexes))
        .any(|i| i.invalid);
    let any_unpinned = current
        .extensions
        .iter()
        .any(|e| e.version.is_some() && !pinned(&e.name));
    if !any_invalid && !any_unpinned {
        return Cow::Borrowed(current);
    }
    let mut back = valid(current);
    for e in &mut back.extensions {
        if !pinned(&e.name) {
            e.version = None;
        }
    }
    Cow::Owned(back)
}

/// `schema` with every index valid: what building it again leaves. A rollback does not make an invalid index
/// again (a failed concurrent build, say) that the plan rebuilt.
fn valid(schema: &Schema) -> Schema {
    schemadiff_catalog::normalize::take_invalid_indexes(schema.clone()).0
}

/// The directives that undo a plan made with `forward`: each rename the other way, and a cast back for each
/// column whose type the plan changes.
fn reverse_directives(current: &Schema, desired: &Schema, forward: &Directives) -> Directives {
    let mut back = Directives::default();
    let old_table = |t: &schemadiff_model::QualifiedName| forward.old_table(t).unwrap_or(t).clone();
    let at = |t: &schemadiff_model::QualifiedName, name: &str| {
        schemadiff_model::QualifiedName::new(t.schema.clone(), name.to_string())
    };
    for (target, old) in forward.renames() {
        let (from, to) = match target {
            Target::Table(new) => (Target::Table(old.clone()), new.clone()),
            Target::Enum(new) => (Target::Enum(old.clone()), new.clone()),
            Target::Sequence(new) => (Target::Sequence(old.clone()), new.clone()),
            Target::Column(t, c) => (Target::Column(old_table(t), old.name.clone()), at(t, c)),
            Target::Constraint(t, n) => {
                (Target::Constraint(old_table(t), old.name.clone()), at(t, n))
            }
            Target::Index(t, n) => (Target::Index(old_table(t), old.name.clone()), at(t, n)),
            Target::EnumValue(e, v) => {
                let old_enum = forward.old_enum(e).unwrap_or(e).clone();
                (Target::EnumValue(old_enum, old.name.clone()), at(e, v))
            }
        };
        back.set_renamed_from(from, to);
    }
    // The desired table each current one becomes: the first renamed from it, else the one of its name (looked
    // up in maps: a scan per table is quadratic at thousands of tables).
    let desired_tables = desired.tables_by_name();
    let mut renamed_from: std::collections::HashMap<_, &schemadiff_model::Table> =
        std::collections::HashMap::new();
    for d in &desired.tables {
        if let Some(old) = forward.old_table(&d.name) {
            renamed_from.entry(old).or_insert(d);
        }
    }
    for t in &current.tables {
        let forward_table = renamed_from
            .get(&t.name)
            .or_else(|| desired_tables.get(&t.name))
            .copied();
        let Some(d) = forward_table else { continue };
        let mut renamed_columns: std::collections::HashMap<&str, &schemadiff_model::Column> =
            std::collections::HashMap::new();
        for dc in &d.columns {
            if let Some(old) = forward.old_column(&d.name, &dc.name) {
                renamed_columns.entry(old).or_insert(dc);
            }
        }
        for c in &t.columns {
            let dc = renamed_columns
                .get(c.name.as_str())
                .copied()
                .or_else(|| d.column(&c.name));
            if dc.is_some_and(|dc| dc.data_type != c.data_type) {
                back.set_using(
                    &t.name,
                    &c.name,
                    format!("{}::{}", quote_ident(&c.name), c.data_type),
                );
            }
        }
    }
    back
}

/// What two schemas must agree on after a plan: everything but the dependencies (which follow from the
/// definitions) and the column order (which an existing table cannot change), and extension versions only where `reference` (the desired schema) names one.
pub fn comparable(schema: &Schema, reference: &Schema) -> Schema {
    let mut s = comparable_but_column_order(schema, reference);
    for t in &mut s.tables {
        sort_columns(t);
    }
    s
}

/// Whether `a` and `b` agree after a plan: `comparable(a, reference) == comparable(b, reference)`, without
/// copying the tables the two share (one allocation, see `Schema::tables`) to sort their columns: a shared
/// table is equal whatever its column order. Two schemas that share most of their tables compare at no cost.
pub fn agree(a: &Schema, b: &Schema, reference: &Schema) -> bool {
    let mut a = comparable_but_column_order(a, reference);
    let mut b = comparable_but_column_order(b, reference);
    if a.tables.len() != b.tables.len() {
        return false;
    }
    for (x, y) in a.tables.iter_mut().zip(&mut b.tables) {
        if !std::sync::Arc::ptr_eq(x, y) {
            sort_columns(x);
            sort_columns(y);
        }
    }
    a == b
}

/// The columns of `t` by name (`t` copied only when they are not in that order already).
fn sort_columns(t: &mut std::sync::Arc<schemadiff_model::Table>) {
    if !t.columns.is_sorted_by(|a, b| a.name <= b.name) {
        std::sync::Arc::make_mut(t)
            .columns
            .sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// [`comparable`] but for the order of each table's columns.
fn comparable_but_column_order(schema: &Schema, reference: &Schema) -> Schema {
    let mut s = schema.clone();
    // Owners are compared where the reference states them (`manage_ownership`).
    if !s.owners.is_empty() {
        schemadiff_catalog::introspect::keep_stated_owners(&mut s, reference);
    }
    // Dependencies follow from the definitions compared below.
    s.dependencies.clear();
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
    // Objects are compared by name, whatever order the catalog or a filter listed them in.
    s.tables.sort_by(|a, b| a.name.cmp(&b.name));
    s.enums.sort_by(|a, b| a.name.cmp(&b.name));
    s.domains.sort_by(|a, b| a.name.cmp(&b.name));
    s.composite_types.sort_by(|a, b| a.name.cmp(&b.name));
    s.range_types.sort_by(|a, b| a.name.cmp(&b.name));
    s.sequences.sort_by(|a, b| a.name.cmp(&b.name));
    s.views.sort_by(|a, b| a.name.cmp(&b.name));
    s.functions
        .sort_by(|a, b| (&a.name, &a.signature).cmp(&(&b.name, &b.signature)));
    s.triggers
        .sort_by(|a, b| (&a.relation, &a.name).cmp(&(&b.relation, &b.name)));
    s.policies
        .sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
    s.schemas.sort_by(|a, b| a.name.cmp(&b.name));
    s.extensions.sort_by(|a, b| a.name.cmp(&b.name));
    s.grants.sort_by(|a, b| a.target.cmp(&b.target));
    s.owners.sort();
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

/// Whether plans are made for online mode (`[migrations] online`, or `--online`).
pub fn is_online(directives: &Directives) -> bool {
    directives.migrations.as_ref().is_some_and(|m| m.online)
}

/// The timeouts of online migrations.
pub fn timeouts(directives: &Directives) -> schemadiff_diff::online::Timeouts {
    schemadiff_diff::online::Timeouts::of(&directives.migrations.clone().unwrap_or_default())
}

/// Plan `current` -> `desired` and its rollback, and verify both on a scratch copy of `current`: the plan
/// applies, the result equals `desired`, planning again finds nothing, and the rollback restores `current`.
pub async fn plan(
    current: &Schema,
    desired: &Schema,
    directives: &Directives,
    scratch: &ScratchServer,
) -> Result<Planned, PipelineError> {
    let planning = crate::progress::stage("planning the change and its rollback");
    let made = make(current, desired, directives, scratch).await?;
    drop(planning);
    let _stage = crate::progress::stage("verifying the plan on a scratch copy");
    verify(
        current,
        desired,
        &made.forward,
        &made.rollback,
        scratch,
        false,
    )
    .await?;
    Ok(Planned {
        plan: made.forward,
        rollback: made.rollback,
        current_fingerprint: fingerprint(current),
        desired_fingerprint: fingerprint(desired),
    })
}

/// A plan and its rollback as made, not yet verified, with the changes as diffed (before the rollback's
/// hand-written steps are marked and online mode rewrites the plan) and the directives they were made with.
struct Made {
    forward: Plan,
    rollback: Plan,
    forward_diffed: Plan,
    rollback_diffed: Plan,
    forward_directives: Directives,
    rollback_directives: Directives,
}

/// Plan `current` -> `desired` and its rollback (see [`plan`]), without verifying them.
async fn make(
    current: &Schema,
    desired: &Schema,
    directives: &Directives,
    scratch: &ScratchServer,
) -> Result<Made, PipelineError> {
    let mut directives = directives.clone();
    let forward = plan_with_casts(scratch, current, desired, &mut directives, false)
        .await?
        .0;
    let forward_diffed = forward.clone();
    let back_target = rollback_target(current, desired);
    let mut back = reverse_directives(current, desired, &directives);
    // The rollback starts from the desired schema as the plan leaves it.
    let (mut rollback, through_text) =
        plan_with_casts(scratch, desired, &back_target, &mut back, true).await?;
    let rollback_diffed = rollback.clone();
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
        type_changes(desired, &back_target, &back)
            .into_iter()
            .filter(|(object, _, c)| {
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
            .map(|(object, _, _)| object)
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
    // Online mode: the plan and its rollback rewritten to take no long lock on a table that exists; what is
    // verified and written is the rewritten plan.
    // The rollback is written plainly: it undoes a migration that just ran, in one transaction wherever
    // the format allows it (see docs/online.md).
    let forward = if is_online(&directives) {
        forward.online(desired)
    } else {
        forward
    };
    Ok(Made {
        forward,
        rollback,
        forward_diffed,
        rollback_diffed,
        forward_directives: directives,
        rollback_directives: back,
    })
}

/// What puts back into a desired schema (the second) what a filter leaves alone, from the current one (the
/// first): the desired schema itself, borrowed, when the filter leaves nothing out.
pub type Overlay<'f> = dyn for<'a> Fn(&Schema, &'a Schema) -> Cow<'a, Schema> + 'f;

/// A live database's schema planned against schema.toml, its current side trusted as it was read: only the
/// tables where the two differ (the [`Scope`](schemadiff_catalog::incremental::Scope) of the incremental
/// normalization) are brought to their canonical form, in a small database, and the plan is verified on a
/// copy of it. When the change is not a matter of those tables (an element other than a table differs, the plan
/// renames, a table of the scope is not in its canonical form as read), the whole current schema is brought to
/// its canonical form and the plan verified on a copy of it, as [`plan`] does. `overlay` puts back into the
/// desired schema what the filter leaves alone (from the current one). Returns the current side the plan was
/// made from, the desired schema it was made for, and the verified plan.
pub async fn plan_live(
    read: Current,
    loaded: &LoadedSchema,
    text: Option<schemadiff_catalog::incremental::DesiredText>,
    overlay: &Overlay<'_>,
    directives: &Directives,
    scratch: &ScratchServer,
) -> Result<(Current, Schema, Planned), PipelineError> {
    let prepared = {
        let _stage = crate::progress::stage(format!(
            "comparing {} with the live database",
            loaded.file.name
        ));
        match text {
            Some(text) => schemadiff_catalog::incremental::prepare_with(loaded, text, &read.schema),
            None => schemadiff_catalog::incremental::prepare(loaded, &read.schema),
        }
    };
    // The current side's part of the scope is brought to canonical form while the desired side's part is
    // normalized: two scratch databases built at the same time. (When the incremental way fails after all,
    // the whole way below does not use it.)
    let small_current = prepared
        .scope()
        .filter(|s| !s.is_empty())
        .map(|s| s.restrict(&read.schema));
    let current_side = async {
        match &small_current {
            Some(small) => {
                let _stage = crate::progress::stage(format!(
                    "bringing {} table{} of the current schema to canonical form",
                    small.tables.len(),
                    if small.tables.len() == 1 { "" } else { "s" }
                ));
                Some(canonicalize(small.clone(), scratch).await)
            }
            None => None,
        }
    };
    let (desired, canonical_small) = tokio::join!(
        desired_scoped(loaded, prepared, &read.schema, scratch),
        current_side
    );
    let (mut desired, scope) = desired?;
    let mut read = read;
    match (scope, &small_current) {
        (Some(scope), Some(small_current)) => {
            let canonical = canonical_small.expect("built when there is a small current side");
            // Shared with the thread that plans the whole schemas while the scope's plan is verified.
            let current = std::sync::Arc::new(std::mem::take(&mut read.schema));
            // The schema.toml side kept as it is when the overlay is a copy (the whole way below uses it).
            let (overlaid, original) = match copied(overlay(&current, &desired)) {
                Some(copy) => (copy, Some(desired)),
                None => (desired, None),
            };
            let overlaid = std::sync::Arc::new(overlaid);
            let planned = plan_in_scope(
                current.clone(),
                overlaid.clone(),
                &scope,
                (small_current, canonical),
                directives,
                scratch,
            )
            .await;
            let owned = |s: std::sync::Arc<Schema>| {
                std::sync::Arc::try_unwrap(s).unwrap_or_else(|s| (*s).clone())
            };
            read.schema = owned(current);
            let overlaid = owned(overlaid);
            if let Some(planned) = planned? {
                return Ok((read, overlaid, planned));
            }
            desired = original.unwrap_or(overlaid);
        }
        (Some(scope), None) if scope.is_empty() => {
            let overlaid = overlay(&read.schema, &desired);
            if let Some(planned) = plan_of_nothing(&read.schema, &overlaid, directives)? {
                return Ok((read, copied(overlaid).unwrap_or(desired), planned));
            }
        }
        _ => {}
    }
    // The whole current schema in canonical form; the desired side normalized against it again in the rare
    // case that it does not read back as it was read.
    let canonical = {
        let _stage = crate::progress::stage("bringing the current schema to its canonical form");
        canonicalize(read.schema.clone(), scratch).await?
    };
    let desired = if canonical == read.schema {
        desired
    } else {
        desired_against(loaded, Some(&canonical), scratch).await?
    };
    let desired = copied(overlay(&canonical, &desired)).unwrap_or(desired);
    let planned = plan(&canonical, &desired, directives, scratch).await?;
    Ok((
        Current {
            schema: canonical,
            unsupported: read.unsupported,
        },
        desired,
        planned,
    ))
}

/// The copy `overlay` made of the desired schema; None when it borrowed it unchanged (then the overlay is the
/// desired schema itself, not copied: a copy of a whole schema is large).
fn copied(overlaid: Cow<'_, Schema>) -> Option<Schema> {
    match overlaid {
        Cow::Owned(o) => Some(o),
        Cow::Borrowed(_) => None,
    }
}

/// [`desired_against`] `current`, with the scope the incremental normalization involved (None when it
/// normalized the whole schema).
async fn desired_scoped(
    loaded: &LoadedSchema,
    prepared: schemadiff_catalog::incremental::Prepared,
    current: &Schema,
    scratch: &ScratchServer,
) -> Result<(Schema, Option<schemadiff_catalog::incremental::Scope>), PipelineError> {
    let _stage = crate::progress::stage(format!("normalizing {}", loaded.file.name));
    let major = scratch.major().await?;
    crate::versions::check(&loaded.schema, major, scratch.label())
        .map_err(PipelineError::TooNew)?;
    let (mut canonical, scope) =
        schemadiff_catalog::incremental::normalize_prepared(prepared, loaded, current, scratch)
            .await?;
    pin_extensions(&mut canonical, loaded);
    Ok((canonical, scope))
}

/// The plan when nothing differs (the scope is empty): every element of schema.toml is, as text, the element as
/// read. The plan is empty (a plan of nothing applies to any copy and leaves it as it was), and no server is
/// needed. None when the two schemas plan anything after all (the caller takes the whole way).
fn plan_of_nothing(
    current: &Schema,
    desired: &Schema,
    directives: &Directives,
) -> Result<Option<Planned>, PipelineError> {
    let (Some(forward), Some(back)) = (
        diffed_without_renames(current, desired, directives)?,
        diffed_without_renames(
            desired,
            &rollback_target(current, desired),
            &Directives::default(),
        )?,
    ) else {
        return Ok(None);
    };
    if !forward.is_empty() || !back.is_empty() || !agree(current, desired, desired) {
        return Ok(None);
    }
    Ok(Some(Planned {
        plan: forward,
        rollback: back,
        current_fingerprint: fingerprint(current),
        desired_fingerprint: fingerprint(desired),
    }))
}

/// Plan `current` (as read) -> `desired` verified within `scope`: the scope of `current` (`small.0`, cut down
/// by [`Scope::restrict`](schemadiff_catalog::incremental::Scope::restrict)) brought to its canonical form in
/// a small database (`small.1`, kept as the template verification copies), the plan and rollback made there,
/// and verified there as [`plan`] verifies. None, with nothing decided, when the scope is not in canonical
/// form as read, when the plan renames something, or when the plan of the whole schemas is not exactly the
/// plan of the scope (a change outside it): then the caller takes the whole way.
async fn plan_in_scope(
    current: std::sync::Arc<Schema>,
    desired: std::sync::Arc<Schema>,
    scope: &schemadiff_catalog::incremental::Scope,
    small: (&Schema, Result<Schema, NormalizeError>),
    directives: &Directives,
    scratch: &ScratchServer,
) -> Result<Option<Planned>, PipelineError> {
    // Renames are applied on a copy of the schema they start from: the whole one.
    if !renames(&current, &desired, directives).is_empty() {
        return Ok(None);
    }
    let (small_current, canonical) = small;
    let canonical = match canonical {
        Ok(c) => c,
        Err(e) => {
            tracing::debug!("plan: the scope of the current schema failed ({e})");
            return Ok(None);
        }
    };
    let without_dependencies = |s: &Schema| {
        let mut s = s.clone();
        s.dependencies.clear();
        s
    };
    if without_dependencies(&canonical) != without_dependencies(small_current) {
        tracing::debug!("plan: the scope of the current schema is not in canonical form as read");
        return Ok(None);
    }
    let small_desired = scope.restrict(&desired);
    let planning = crate::progress::stage("planning the change and its rollback");
    let made = make(&canonical, &small_desired, directives, scratch).await?;
    drop(planning);
    // The same plan for the whole schemas, with the same directives (and `USING`s found on the small copy),
    // and the fingerprints: made on a thread of their own while the scope's plan is verified (without a
    // rename, diffing needs no server).
    let whole = {
        let (current, desired) = (current.clone(), desired.clone());
        let forward_directives = made.forward_directives.clone();
        let rollback_directives = made.rollback_directives.clone();
        tokio::task::spawn_blocking(move || -> Result<_, PipelineError> {
            let back_target = rollback_target(&current, &desired);
            let (Some(forward), Some(back)) = (
                diffed_without_renames(&current, &desired, &forward_directives)?,
                diffed_without_renames(&desired, &back_target, &rollback_directives)?,
            ) else {
                return Ok(None);
            };
            Ok(Some((
                forward,
                back,
                fingerprint(&current),
                fingerprint(&desired),
            )))
        })
    };
    let verified = {
        let _stage = crate::progress::stage("verifying the plan on a scratch copy");
        // The small database is not needed after this: verified in it, not in a copy of it.
        verify(
            &canonical,
            &small_desired,
            &made.forward,
            &made.rollback,
            scratch,
            true,
        )
        .await
    };
    let Some((forward, back, current_fingerprint, desired_fingerprint)) = whole
        .await
        .expect("planning the whole schemas does not panic")?
    else {
        tracing::debug!("plan: the rollback of the whole schemas renames");
        return Ok(None);
    };
    if forward.changes != made.forward_diffed.changes
        || back.changes != made.rollback_diffed.changes
    {
        tracing::debug!("plan: the plan of the whole schemas is not the plan of the scope");
        return Ok(None);
    }
    verified?;
    Ok(Some(Planned {
        plan: made.forward,
        rollback: made.rollback,
        current_fingerprint,
        desired_fingerprint,
    }))
}

/// The changes from `from` to `to`, ordered, as [`plan_between`] makes them when nothing is renamed (no server
/// needed); None when something is.
fn diffed_without_renames(
    from: &Schema,
    to: &Schema,
    directives: &Directives,
) -> Result<Option<Plan>, PipelineError> {
    if !renames(from, to, directives).is_empty() {
        return Ok(None);
    }
    schemadiff_diff::refuse_repartitioning(from, to).map_err(PipelineError::Partitioning)?;
    Ok(Some(Plan::new(Vec::new(), diff(from, to, directives))?))
}

/// Plan `current` -> `desired` as consecutive migrations, one per part of `parts` (which, applied in order,
/// make the whole plan): the state after each part, on a scratch copy, is the target of its step, and each
/// step is planned and verified like a whole plan (it applies alone on top of the steps before it, and its
/// rollback brings back the state they left). The last step's target is `desired` itself.
pub async fn plan_in_parts(
    current: &Schema,
    desired: &Schema,
    directives: &Directives,
    parts: &[Plan],
    scratch: &ScratchServer,
) -> Result<Vec<Planned>, PipelineError> {
    let before_last: Vec<&Plan> = parts.iter().take(parts.len().saturating_sub(1)).collect();
    let mut targets = Vec::new();
    if !before_last.is_empty() {
        let states = match apply_to_copy(scratch, current, &before_last, false).await? {
            Ok(states) => states,
            Err((_, change, sql, message)) => {
                return Err(PipelineError::Verify(format!(
                    "error: `{change}` does not apply to a copy of the current schema after the migrations before it: {message}\n  statement: {sql}"
                )));
            }
        };
        for state in states {
            targets.push(canonicalize(state, scratch).await?);
        }
    }
    targets.push(desired.clone());
    let mut from = current.clone();
    let mut out = Vec::with_capacity(targets.len());
    // Each step keeps the directives: a rename or conversion applies in the step that makes it (and is done
    // already in the steps after, where the old name is gone).
    for target in targets {
        out.push(plan(&from, &target, directives, scratch).await?);
        from = target;
    }
    Ok(out)
}

/// Consecutive slices of one verified plan (`slices`, in order, are its changes) as migrations: each slice is
/// its migration's up part as it is (an online plan's statements stay as they were verified), and its
/// rollback is planned plainly from the state the slice leaves back to the state before it, and verified (on
/// a scratch copy, the slices applied in turn).
pub async fn plan_in_slices(
    current: &Schema,
    desired: &Schema,
    directives: &Directives,
    slices: &[Plan],
    scratch: &ScratchServer,
) -> Result<Vec<Planned>, PipelineError> {
    let all: Vec<&Plan> = slices.iter().collect();
    let states = match apply_to_copy(scratch, current, &all, false).await? {
        Ok(states) => states,
        Err((_, change, sql, message)) => {
            return Err(PipelineError::Verify(format!(
                "error: `{change}` does not apply to a copy of the current schema after the migrations before it: {message}\n  statement: {sql}"
            )));
        }
    };
    // The rollback of a slice, planned and verified plainly.
    let mut plainly = directives.clone();
    if let Some(m) = plainly.migrations.as_mut() {
        m.online = false;
    }
    let last = states.len().saturating_sub(1);
    let mut from = current.clone();
    let mut out = Vec::with_capacity(slices.len());
    for (i, (slice, state)) in slices.iter().zip(states).enumerate() {
        let target = if i == last {
            desired.clone()
        } else {
            canonicalize(state, scratch).await?
        };
        let step = plan(&from, &target, &plainly, scratch).await?;
        out.push(Planned {
            plan: slice.clone(),
            rollback: step.rollback,
            current_fingerprint: step.current_fingerprint,
            desired_fingerprint: step.desired_fingerprint,
        });
        from = target;
    }
    Ok(out)
}

/// The columns of `to` whose type differs from their column in `from` (matched through the renames of
/// `directives`): the object name their change has (`column public.t.c`), and the column.
fn type_changes<'a>(
    from: &Schema,
    to: &'a Schema,
    directives: &Directives,
) -> Vec<(
    String,
    &'a schemadiff_model::Table,
    &'a schemadiff_model::Column,
)> {
    let mut out = Vec::new();
    let from_tables = from.tables_by_name();
    for t in &to.tables {
        let old_table = from_tables
            .get(&t.name)
            .or_else(|| {
                directives
                    .old_table(&t.name)
                    .and_then(|r| from_tables.get(r))
            })
            .copied();
        let Some(old_table) = old_table else { continue };
        let q = t.name.sql();
        for c in &t.columns {
            let old = old_table.column(&c.name).or_else(|| {
                directives
                    .old_column(&t.name, &c.name)
                    .and_then(|r| old_table.column(r))
            });
            if old.is_some_and(|o| o.data_type != c.data_type) {
                out.push((format!("column {q}.{}", quote_ident(&c.name)), &**t, c));
            }
        }
    }
    out
}

/// Plan `from` -> `to`, giving type changes the `USING` the server needs, found by trial on a scratch copy of
/// `from`: a change PostgreSQL cannot make by itself (no assignment cast) gets `USING col::newtype`, and when
/// no cast exists at all, `USING col::text::newtype` (through the text form). A `using` written in schema.toml
/// is kept; with `generated_usings` (a rollback, whose casts schemadiff wrote), a plain cast that does not
/// exist is replaced too. The `USING`s found are added to `directives`. Returns the plan and the changes (by
/// object) that convert through text. The trial runs only when a type changes.
async fn plan_with_casts(
    scratch: &ScratchServer,
    from: &Schema,
    to: &Schema,
    directives: &mut Directives,
    generated_usings: bool,
) -> Result<(Plan, std::collections::BTreeSet<String>), PipelineError> {
    let mut auto: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut through_text = std::collections::BTreeSet::new();
    loop {
        let plan = plan_between(scratch, from, to, directives).await?;
        let candidates = type_changes(from, to, directives).len();
        if candidates == 0 || through_text.len() >= candidates {
            return Ok((plan, through_text));
        }
        let Err((_, change, _, message)) = apply_to_copy(scratch, from, &[&plan], false).await?
        else {
            return Ok((plan, through_text));
        };
        let mut fixed = None;
        for (object, t, c) in type_changes(from, to, directives) {
            if object != change.object {
                continue;
            }
            let col = quote_ident(&c.name);
            let plain = format!("{col}::{}", c.data_type);
            let ours = auto.contains(&object) || generated_usings;
            let using = directives.using(&t.name, &c.name);
            if using.is_none() && message.contains("cannot be cast automatically") {
                fixed = Some((t.name.clone(), c.name.clone(), plain));
                auto.insert(object);
            } else if ours && using == Some(plain.as_str()) && message.contains("cannot cast type")
            {
                fixed = Some((
                    t.name.clone(),
                    c.name.clone(),
                    format!("{col}::text::{}", c.data_type),
                ));
                through_text.insert(object);
            }
            break;
        }
        let Some((table, column, using)) = fixed else {
            // Verification reports what fails, with its hint.
            return Ok((plan, through_text));
        };
        directives.set_using(&table, &column, using);
    }
}

async fn verify(
    current: &Schema,
    desired: &Schema,
    plan: &Plan,
    rollback: &Plan,
    scratch: &ScratchServer,
    last_use: bool,
) -> Result<(), PipelineError> {
    let states = match apply_to_copy(scratch, current, &[plan, rollback], last_use).await? {
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
    if !agree(desired, after, desired) {
        return Err(PipelineError::Verify(format!(
            "verification failed: after the plan, the schema is not the desired one, so nothing was written.\nRemaining difference:\n{}",
            schema_difference(&comparable(desired, desired), &comparable(after, desired))
        )));
    }
    let again = diff(after, &comparable(desired, desired), &Directives::default());
    if !again.is_empty() {
        let list: Vec<String> = again.iter().map(|c| format!("  {c}")).collect();
        return Err(PipelineError::Verify(format!(
            "verification failed: planning again after the plan still finds changes, so nothing was written:\n{}",
            list.join("\n")
        )));
    }
    let restored = valid(current);
    if !agree(&restored, back, desired) {
        return Err(PipelineError::Verify(format!(
            "verification failed: the rollback does not restore the current schema, so nothing was written.\nRemaining difference:\n{}",
            schema_difference(&comparable(&restored, desired), &comparable(back, desired))
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use schemadiff_model::{Column, QualifiedName, Schema, Table};

    use super::{agree, comparable};

    fn table(name: &str, columns: &[&str]) -> Table {
        let mut t = Table::new(QualifiedName::new("public", name));
        for c in columns {
            t.columns.push(Column::new(*c, "text"));
        }
        t
    }

    /// `agree` says what comparing the comparable forms says, whether tables are shared or not.
    #[test]
    fn agree_is_equality_of_comparable_forms() {
        let base = Schema {
            tables: vec![
                Arc::new(table("a", &["z", "y"])),
                Arc::new(table("b", &["x", "w"])),
            ],
            ..Default::default()
        };
        let mut reordered = base.clone();
        reordered.tables[1] = Arc::new(table("b", &["w", "x"]));
        let mut copied = base.clone();
        copied.tables[0] = Arc::new(table("a", &["y", "z"]));
        let mut changed = base.clone();
        changed.tables[1] = Arc::new(table("b", &["x", "v"]));
        let mut fewer = base.clone();
        fewer.tables.pop();
        let mut listed_otherwise = base.clone();
        listed_otherwise.tables.reverse();
        for (other, equal) in [
            (&base, true),
            (&reordered, true),
            (&copied, true),
            (&listed_otherwise, true),
            (&changed, false),
            (&fewer, false),
        ] {
            assert_eq!(
                comparable(&base, &base) == comparable(other, &base),
                equal,
                "{other:?}"
            );
            assert_eq!(agree(&base, other, &base), equal, "{other:?}");
            assert_eq!(agree(other, &base, &base), equal, "{other:?}");
        }
    }
}
