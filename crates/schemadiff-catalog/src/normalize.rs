//! Normalization: the server is the normalizer.
//!
//! A schema is rendered to CREATE DDL, applied to a fresh scratch database and read back through the same
//! introspection as a live database. Some definitions do not read back as they were written
//! (`status IN ('a', 'b')` on a varchar column comes back as an `= ANY (ARRAY[...])` whose own text parses
//! to yet another form), so this repeats until the schema reads back unchanged: the canonical form is the
//! fixpoint. Both sides of every comparison, and every dump, are in that form.

use schemadiff_model::{
    Diagnostic, Diagnostics, LoadedSchema, ObjectPath, Schema, Table, create_script, quote_ident,
    render,
};

use crate::introspect::{IntrospectError, introspect, server_message};
use crate::scratch::{BATCH, ScratchError, ScratchServer, run_batch, run_script, run_statement};

/// Rounds of render-apply-read before giving up on a fixpoint (one or two are the rule).
const MAX_ROUNDS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum NormalizeError {
    #[error(transparent)]
    Scratch(#[from] ScratchError),
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    /// The server refused the desired schema: each problem points into schema.toml.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// A schema read from a server could not be created again: a gap in schemadiff.
    #[error(
        "schemadiff could not recreate a schema it read ({message})\nstatement: {statement}\nThis is a bug in schemadiff; please report it with the statement above."
    )]
    Recreate { statement: String, message: String },
    #[error(
        "the schema does not settle: after {MAX_ROUNDS} rounds of create-and-read it still changes.\nThis is a bug in schemadiff; please report it."
    )]
    NoFixpoint,
}

/// The canonical form of the schema in `loaded` (schema.toml): created in a scratch database, read back, and
/// brought to the fixpoint. Errors from the server point at the element of schema.toml that caused them.
pub async fn normalize_desired(
    loaded: &LoadedSchema,
    scratch: &ScratchServer,
) -> Result<Schema, NormalizeError> {
    let first = created_and_read(loaded, scratch).await?;
    canonicalize(first, scratch).await
}

/// The first round of [`normalize_desired`]: the schema in `loaded` created in a scratch database and read back
/// (not yet brought to the fixpoint).
pub async fn created_and_read(
    loaded: &LoadedSchema,
    scratch: &ScratchServer,
) -> Result<Schema, NormalizeError> {
    scratch.declare_roles(&loaded.schema.roles);
    let db = scratch.create_database().await?;
    let result = async {
        let client = db.connect().await?;
        let mut problems = Vec::new();
        // Tables that could not be created at all: what hangs on them is not tried.
        let mut missing: Vec<&schemadiff_model::QualifiedName> = Vec::new();
        let mut failed_columns: Vec<String> = Vec::new();
        // Statements of views that read a view declared after them: tried again once the others exist.
        let mut deferred: Vec<(schemadiff_model::Statement, Option<tokio_postgres::Error>)> =
            Vec::new();
        let is_view =
            |path: &ObjectPath| table_of(path).is_some_and(|t| loaded.schema.view(t).is_some());
        let script = create_script(&loaded.schema);
        let mut next = 0;
        'script: while next < script.len() {
            // A batch: the statements from `next` on that the statement-by-statement path below would send as
            // they are (none skipped or deferred). A batch that fails is rolled back whole, and sent again one
            // statement at a time, so that each problem is found, and reported at its element of schema.toml.
            let mut end = next;
            while end < script.len()
                && end - next < BATCH
                && !table_of(&script[end].origin).is_some_and(|t| {
                    missing.contains(&t)
                        || deferred.iter().any(|(d, _)| table_of(&d.origin) == Some(t))
                })
                && !deferred.iter().any(|(d, _)| d.origin == script[end].origin)
            {
                end += 1;
            }
            if end > next {
                let sqls: Vec<&str> = script[next..end].iter().map(|s| s.sql.as_str()).collect();
                if run_batch(&client, &sqls).await.is_ok() {
                    next = end;
                    continue;
                }
            } else {
                end = next + 1;
            }
            let one_by_one = next..end;
            next = end;
            for stmt in &script[one_by_one] {
                if table_of(&stmt.origin).is_some_and(|t| missing.contains(&t)) {
                    continue;
                }
                let waiting = table_of(&stmt.origin)
                    .is_some_and(|t| deferred.iter().any(|(d, _)| table_of(&d.origin) == Some(t)))
                    || deferred.iter().any(|(d, _)| d.origin == stmt.origin);
                if waiting {
                    deferred.push((stmt.clone(), None));
                    continue;
                }
                let Err(e) = run_statement(&client, &stmt.sql).await else {
                    continue;
                };
                // A function whose arguments or result name a table's row type, or a trigger of such a
                // function, also waits (the file does not say what a function's types are).
                let routine = matches!(
                    stmt.origin,
                    ObjectPath::Function(..) | ObjectPath::Trigger(..)
                ) && matches!(
                    e.code(),
                    Some(&tokio_postgres::error::SqlState::UNDEFINED_OBJECT)
                        | Some(&tokio_postgres::error::SqlState::UNDEFINED_TABLE)
                        | Some(&tokio_postgres::error::SqlState::UNDEFINED_FUNCTION)
                );
                if routine
                    || (is_view(&stmt.origin)
                        && e.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_TABLE))
                {
                    deferred.push((stmt.clone(), Some(e)));
                    continue;
                }
                match &stmt.origin {
                    ObjectPath::Table(name) => {
                        let table = loaded.schema.table(name).expect("rendered from the schema");
                        let (found, created, failed) =
                            diagnose_table(&client, loaded, table, &e).await;
                        problems.extend(found);
                        failed_columns.extend(failed);
                        if !created {
                            missing.push(&table.name);
                        }
                    }
                    _ if mentions_failed_column(&e, &failed_columns) => {}
                    origin => {
                        let role = crate::policy::missing_role(origin, &e);
                        let field = if matches!(origin, ObjectPath::View(_)) {
                            "query"
                        } else if role.is_some() && matches!(origin, ObjectPath::Grants(_)) {
                            "grants"
                        } else if role.is_some() && matches!(origin, ObjectPath::Owner(_)) {
                            "owner"
                        } else if role.is_some() {
                            "roles"
                        } else {
                            ""
                        };
                        let mut problem = rejection(loaded, origin.clone(), field, &stmt.sql, &e);
                        if let Some(role) = role {
                            problem.help = Some(crate::policy::declare_role_help(&role));
                        }
                        if let ObjectPath::Extension(name) = origin {
                            if let Some(help) = missing_extension_help(&client, name, &e).await {
                                problem.help = Some(help);
                            }
                        }
                        problems.push(problem);
                        // Later statements would mostly fail for the same reason.
                        if matches!(origin, ObjectPath::Extension(_) | ObjectPath::Schema(_)) {
                            break 'script;
                        }
                    }
                }
            }
        }
        // Rounds over what waits, as long as one round creates something.
        loop {
            let mut progress = false;
            let mut still = Vec::new();
            for (stmt, _) in deferred {
                match run_statement(&client, &stmt.sql).await {
                    Ok(_) => progress = true,
                    Err(e) => still.push((stmt, Some(e))),
                }
            }
            deferred = still;
            if !progress || deferred.is_empty() {
                break;
            }
        }
        let mut reported: Vec<&schemadiff_model::QualifiedName> = Vec::new();
        let mut reported_routines: Vec<&ObjectPath> = Vec::new();
        for (stmt, e) in &deferred {
            let Some(e) = e else { continue };
            let Some(t) = table_of(&stmt.origin) else {
                if !reported_routines.contains(&&stmt.origin) {
                    reported_routines.push(&stmt.origin);
                    problems.push(rejection(loaded, stmt.origin.clone(), "", &stmt.sql, e));
                }
                continue;
            };
            if reported.contains(&t) {
                continue;
            }
            reported.push(t);
            problems.push(rejection(
                loaded,
                stmt.origin.clone(),
                "query",
                &stmt.sql,
                e,
            ));
        }
        if !problems.is_empty() {
            return Err(NormalizeError::Rejected(Diagnostics::new(
                (*loaded.file).clone(),
                problems,
            )));
        }
        let mut read = introspect(&client, &crate::introspect::options_for(&loaded.schema))
            .await?
            .schema;
        crate::introspect::keep_stated_owners(&mut read, &loaded.schema);
        Ok(read)
    }
    .await;
    let dropped = scratch.drop_database(&db).await;
    let first = result?;
    dropped?;
    Ok(first)
}

/// When an extension is not installed on the scratch server: what to install, by name, for its major version
/// (or to use `--dev-url`).
async fn missing_extension_help(
    client: &tokio_postgres::Client,
    name: &str,
    e: &tokio_postgres::Error,
) -> Option<String> {
    if !crate::packages::is_missing_extension(e) {
        return None;
    }
    let major = client
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .await
        .ok()?
        .get::<_, i32>(0);
    Some(crate::packages::missing_extension_advice(
        name,
        major as u32,
    ))
}

pub(crate) fn table_of(path: &ObjectPath) -> Option<&schemadiff_model::QualifiedName> {
    match path {
        ObjectPath::Table(t)
        | ObjectPath::Column(t, _)
        | ObjectPath::PrimaryKey(t)
        | ObjectPath::Unique(t, _)
        | ObjectPath::ForeignKey(t, _)
        | ObjectPath::Check(t, _)
        | ObjectPath::Exclusion(t, _)
        | ObjectPath::Index(t, _)
        | ObjectPath::View(t) => Some(t),
        _ => None,
    }
}

/// A CREATE TABLE failed. The server names only its first problem, so build the table piece by piece, each
/// column and constraint on its own, to report every problem at its place. Returns the problems and whether
/// the table exists afterwards.
async fn diagnose_table(
    client: &tokio_postgres::Client,
    loaded: &LoadedSchema,
    t: &Table,
    first_error: &tokio_postgres::Error,
) -> (Vec<Diagnostic>, bool, Vec<String>) {
    let q = t.name.sql();
    let table_path = ObjectPath::Table(t.name.clone());
    let create = format!("CREATE TABLE {q} ()");
    if let Err(e) = run_statement(client, &create).await {
        // The table itself cannot exist (its schema, its name): that is the problem.
        let _ = e;
        return (
            vec![rejection(loaded, table_path, "", &create, first_error)],
            false,
            Vec::new(),
        );
    }
    let mut problems = Vec::new();
    // Columns that could not be added: errors that only say so again are not reported.
    let mut failed: Vec<&str> = Vec::new();
    for c in &t.columns {
        let path = ObjectPath::Column(t.name.clone(), c.name.clone());
        // In stages, so that each problem is put on its own field: name, type and collation first.
        let mut base = c.clone();
        (base.default, base.identity, base.not_null) = (None, None, false);
        if let Some(x) = base.extras.as_deref_mut() {
            x.generated = None;
        }
        let def = render::column_definition(&base);
        let sql = format!("ALTER TABLE {q} ADD COLUMN {def}");
        if let Err(e) = run_statement(client, &sql).await {
            let prefix = sql.len() - def.len();
            let field = error_offset(&sql, &e)
                .and_then(|at| at.checked_sub(prefix))
                .map_or("type", |at| column_field(c, &def, at));
            problems.push(rejection(loaded, path, field, &sql, &e));
            failed.push(&c.name);
            continue;
        }
        let column = quote_ident(&c.name);
        let mut stages: Vec<(&'static str, String)> = Vec::new();
        if let Some(d) = &c.default {
            stages.push((
                "default",
                format!("ALTER TABLE {q} ALTER COLUMN {column} SET DEFAULT {d}"),
            ));
        }
        if let Some(i) = c.identity {
            stages.push(("identity", format!("ALTER TABLE {q} ALTER COLUMN {column} SET NOT NULL, ALTER COLUMN {column} ADD {}", i.sql())));
        }
        if c.extras().generated.is_some() {
            // A generated column can only be made whole.
            stages.push((
                "generated",
                format!(
                    "ALTER TABLE {q} DROP COLUMN {column}, ADD COLUMN {}",
                    render::column_definition(c)
                ),
            ));
        }
        for (field, sql) in stages {
            if let Err(e) = run_statement(client, &sql).await {
                problems.push(rejection(loaded, path.clone(), field, &sql, &e));
            }
        }
    }
    let consequence = |e: &tokio_postgres::Error| mentions_failed_column(e, &failed);
    let mut clauses: Vec<(ObjectPath, &'static str, String)> = Vec::new();
    if let Some(pk) = &t.primary_key {
        clauses.push((
            ObjectPath::PrimaryKey(t.name.clone()),
            "columns",
            render::primary_key_clause(pk),
        ));
    }
    for (i, u) in t.uniques.iter().enumerate() {
        clauses.push((
            ObjectPath::Unique(t.name.clone(), i),
            "columns",
            render::unique_clause(u),
        ));
    }
    for (i, x) in t.exclusions.iter().enumerate() {
        clauses.push((
            ObjectPath::Exclusion(t.name.clone(), i),
            "elements",
            render::exclusion_clause(x),
        ));
    }
    for (i, c) in t.checks.iter().enumerate() {
        clauses.push((
            ObjectPath::Check(t.name.clone(), i),
            "expression",
            render::check_clause(c),
        ));
    }
    for (path, field, clause) in clauses {
        let sql = format!("ALTER TABLE {q} ADD {clause}");
        if let Err(e) = run_statement(client, &sql).await {
            if !consequence(&e) {
                problems.push(rejection(loaded, path, field, &sql, &e));
            }
        }
    }
    if problems.is_empty() {
        // Piece by piece it worked: the first error came from the whole (say, a duplicate constraint name).
        problems.push(rejection(
            loaded,
            table_path,
            "",
            &format!("CREATE TABLE {q} (...)"),
            first_error,
        ));
    }
    (
        problems,
        true,
        failed.into_iter().map(String::from).collect(),
    )
}

/// Whether an error only says that a column already reported as failed does not exist.
fn mentions_failed_column<S: AsRef<str>>(e: &tokio_postgres::Error, failed: &[S]) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_COLUMN)
        && failed.iter().any(|c| {
            e.as_db_error()
                .is_some_and(|db| db.message().contains(&format!("column \"{}\"", c.as_ref())))
        })
}

/// The byte offset in `sql` where the server says it stopped.
fn error_offset(sql: &str, e: &tokio_postgres::Error) -> Option<usize> {
    match e.as_db_error()?.position()? {
        tokio_postgres::error::ErrorPosition::Original(pos) => sql
            .char_indices()
            .nth((*pos as usize).checked_sub(1)?)
            .map(|(b, _)| b),
        _ => None,
    }
}

/// Which field of a column definition (as `render::column_definition` writes it) holds byte `at`.
fn column_field(c: &schemadiff_model::Column, def: &str, at: usize) -> &'static str {
    let name_end = quote_ident(&c.name).len();
    if (name_end + 1..name_end + 1 + c.data_type.len()).contains(&at) {
        return "type";
    }
    let mut best: (usize, &'static str) = (0, "name");
    for (marker, field) in [
        (" COLLATE ", "collation"),
        (" GENERATED ALWAYS AS IDENTITY", "identity"),
        (" GENERATED BY DEFAULT AS IDENTITY", "identity"),
        (" DEFAULT ", "default"),
        (" GENERATED ALWAYS AS (", "generated"),
    ] {
        if let Some(i) = def.find(marker) {
            if i <= at && i >= best.0 {
                best = (i, field);
            }
        }
    }
    best.1
}

/// Bring a schema read from a server to its fixpoint: create it, read it back, until nothing changes.
pub async fn canonicalize(
    schema: Schema,
    scratch: &ScratchServer,
) -> Result<Schema, NormalizeError> {
    // An invalid index is built valid: its definition is brought to canonical form, and it is marked invalid
    // again, as the database it was read from holds it.
    let (mut schema, invalid) = take_invalid_indexes(schema);
    let mut canonical = fixpoint(&mut schema, scratch).await?;
    set_invalid(&mut canonical, |relation, i| {
        invalid
            .iter()
            .any(|(r, n)| r == relation && i.name.as_deref() == Some(n.as_str()))
    });
    Ok(canonical)
}

/// Mark each index of `schema` (of tables and materialized views) invalid as `invalid(relation, index)` says.
/// A table is copied only when one of its indexes changes (the others stay shared).
fn set_invalid(
    schema: &mut Schema,
    invalid: impl Fn(&schemadiff_model::QualifiedName, &schemadiff_model::Index) -> bool,
) {
    for t in &mut schema.tables {
        if t.indexes.iter().any(|i| i.invalid != invalid(&t.name, i)) {
            let t = std::sync::Arc::make_mut(t);
            for i in &mut t.indexes {
                i.invalid = invalid(&t.name, i);
            }
        }
    }
    for v in &mut schema.views {
        for i in &mut v.indexes {
            i.invalid = invalid(&v.name, i);
        }
    }
}

/// `schema` with every index valid (what building it leaves), and the relations and names of those that were
/// not.
pub fn take_invalid_indexes(
    mut schema: Schema,
) -> (Schema, Vec<(schemadiff_model::QualifiedName, String)>) {
    let tables = schema.tables.iter().map(|t| (&t.name, &t.indexes));
    let views = schema.views.iter().map(|v| (&v.name, &v.indexes));
    let invalid: Vec<_> = tables
        .chain(views)
        .flat_map(|(relation, indexes)| {
            indexes
                .iter()
                .filter(|i| i.invalid)
                .map(move |i| (relation.clone(), i.name.clone().unwrap_or_default()))
        })
        .collect();
    if !invalid.is_empty() {
        set_invalid(&mut schema, |_, _| false);
    }
    (schema, invalid)
}

async fn fixpoint(schema: &mut Schema, scratch: &ScratchServer) -> Result<Schema, NormalizeError> {
    scratch.declare_roles(&schema.roles);
    if scratch.holds(schema) {
        // Built from this very schema, a database read back as it is: it is its own fixpoint.
        return Ok(schema.clone());
    }
    for _ in 0..MAX_ROUNDS {
        let db = scratch.create_database().await?;
        let result = async {
            let client = db.connect().await?;
            let script = create_script(schema);
            let sqls: Vec<&str> = script.iter().map(|s| s.sql.as_str()).collect();
            run_script(&client, &sqls)
                .await
                .map_err(|(i, e)| NormalizeError::Recreate {
                    statement: sqls[i].to_string(),
                    message: server_message(&e),
                })?;
            let mut read = introspect(&client, &crate::introspect::options_for(schema))
                .await?
                .schema;
            crate::introspect::keep_stated_owners(&mut read, schema);
            Ok::<_, NormalizeError>(read)
        }
        .await;
        // The database of the last round holds the canonical form: kept, a copy of it is the current
        // schema of a verification, without building it again.
        let fixpoint = matches!(&result, Ok(next) if *next == *schema);
        let dropped = if fixpoint && scratch.keep_as_template(&db, schema).await {
            Ok(())
        } else {
            scratch.drop_database(&db).await
        };
        let next = result?;
        dropped?;
        if fixpoint {
            return Ok(next);
        }
        *schema = next;
    }
    Err(NormalizeError::NoFixpoint)
}

/// A server error while creating an element, as a diagnostic pointing at that element (or one of its fields)
/// in schema.toml.
fn rejection(
    loaded: &LoadedSchema,
    path: ObjectPath,
    field: &str,
    sql: &str,
    e: &tokio_postgres::Error,
) -> Diagnostic {
    let span = loaded.spans.field(&path, field).unwrap_or(0..0);
    let what = describe(&path);
    let sql_head = sql.lines().next().unwrap_or_default();
    let help = match e.as_db_error().and_then(|db| db.hint()) {
        Some(h) => format!("{h} (while running `{sql_head}`)"),
        None => format!("the statement was `{sql_head}`"),
    };
    let message = e
        .as_db_error()
        .map_or_else(|| e.to_string(), |db| db.message().to_string());
    Diagnostic::new(
        span,
        format!("PostgreSQL rejected {what}: {}", first_line(&message)),
    )
    .label("here")
    .help(help)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn describe(path: &ObjectPath) -> String {
    match path {
        ObjectPath::Extension(n) => format!("extension `{n}`"),
        ObjectPath::Schema(n) => format!("schema `{n}`"),
        ObjectPath::Enum(n) => format!("enum `{n}`"),
        ObjectPath::Domain(n) => format!("domain `{n}`"),
        ObjectPath::CompositeType(n) => format!("composite type `{n}`"),
        ObjectPath::RangeType(n) => format!("range type `{n}`"),
        ObjectPath::Sequence(n) => format!("sequence `{n}`"),
        ObjectPath::Table(n) => format!("table `{n}`"),
        ObjectPath::Column(t, c) => format!("column `{c}` of table `{t}`"),
        ObjectPath::PrimaryKey(t) => format!("the primary key of table `{t}`"),
        ObjectPath::Unique(t, i) => format!("unique constraint #{} of table `{t}`", i + 1),
        ObjectPath::ForeignKey(t, i) => format!("foreign key #{} of table `{t}`", i + 1),
        ObjectPath::Check(t, i) => format!("check constraint #{} of table `{t}`", i + 1),
        ObjectPath::Exclusion(t, i) => format!("exclusion constraint #{} of table `{t}`", i + 1),
        ObjectPath::Index(t, i) => format!("index #{} of `{t}`", i + 1),
        ObjectPath::View(n) => format!("view `{n}`"),
        ObjectPath::Function(n, a) => format!("function `{n}({a})`"),
        ObjectPath::Trigger(t, n) => format!("trigger `{n}` of `{t}`"),
        ObjectPath::Policy(t, n) => format!("policy `{n}` of `{t}`"),
        ObjectPath::Grants(t) => format!("the grants of {}", t.label()),
        ObjectPath::Owner(t) => format!("the owner of {}", t.label()),
        ObjectPath::Migrations => "`[migrations]`".into(),
        ObjectPath::Erd => "`[erd]`".into(),
    }
}
