//! Normalization: the server is the normalizer.
//!
//! A schema is rendered to CREATE DDL, applied to a fresh scratch database and read back through the same
//! introspection as a live database. Some definitions do not read back as they were written
//! (`status IN ('a', 'b')` on a varchar column comes back as an `= ANY (ARRAY[...])` whose own text parses
//! to yet another form), so this repeats until the schema reads back unchanged: the canonical form is the
//! fixpoint. Both sides of every comparison, and every dump, are in that form.

use schemadiff_model::render::Statement;
use schemadiff_model::{
    Diagnostic, Diagnostics, LoadedSchema, ObjectPath, Schema, Table, create_script, quote_ident,
};

use crate::introspect::{IntrospectError, IntrospectOptions, introspect, server_message};
use crate::scratch::{ScratchError, ScratchServer};

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
    let db = scratch.create_database().await?;
    let result = async {
        let client = db.connect().await?;
        let mut problems = Vec::new();
        for stmt in create_script(&loaded.schema) {
            if let Err(e) = client.batch_execute(&stmt.sql).await {
                problems.push(rejection(loaded, &stmt, &e));
                // Later statements would mostly fail for the same reason.
                if matches!(
                    stmt.origin,
                    ObjectPath::Extension(_) | ObjectPath::Schema(_)
                ) {
                    break;
                }
            }
        }
        if !problems.is_empty() {
            return Err(NormalizeError::Rejected(Diagnostics::new(
                loaded.file.clone(),
                problems,
            )));
        }
        Ok(introspect(&client, &IntrospectOptions::default())
            .await?
            .schema)
    }
    .await;
    let dropped = scratch.drop_database(&db).await;
    let first = result?;
    dropped?;
    canonicalize(first, scratch).await
}

/// Bring a schema read from a server to its fixpoint: create it, read it back, until nothing changes.
pub async fn canonicalize(
    mut schema: Schema,
    scratch: &ScratchServer,
) -> Result<Schema, NormalizeError> {
    for _ in 0..MAX_ROUNDS {
        let db = scratch.create_database().await?;
        let result = async {
            let client = db.connect().await?;
            for stmt in create_script(&schema) {
                client
                    .batch_execute(&stmt.sql)
                    .await
                    .map_err(|e| NormalizeError::Recreate {
                        statement: stmt.sql.clone(),
                        message: server_message(&e),
                    })?;
            }
            Ok::<_, NormalizeError>(
                introspect(&client, &IntrospectOptions::default())
                    .await?
                    .schema,
            )
        }
        .await;
        let dropped = scratch.drop_database(&db).await;
        let next = result?;
        dropped?;
        if next == schema {
            return Ok(next);
        }
        schema = next;
    }
    Err(NormalizeError::NoFixpoint)
}

/// A server error while creating an element, as a diagnostic pointing at that element in schema.toml — at
/// the very field when the server says where in a CREATE TABLE it stopped.
fn rejection(loaded: &LoadedSchema, stmt: &Statement, e: &tokio_postgres::Error) -> Diagnostic {
    let (path, field) = match (&stmt.origin, e.as_db_error().and_then(|d| d.position())) {
        (ObjectPath::Table(name), Some(tokio_postgres::error::ErrorPosition::Original(pos))) => {
            loaded
                .schema
                .table(name)
                .and_then(|t| locate_in_create_table(t, &stmt.sql, *pos as usize))
                .unwrap_or((stmt.origin.clone(), ""))
        }
        _ => (stmt.origin.clone(), ""),
    };
    let span = loaded.spans.field(&path, field).unwrap_or(0..0);
    let what = describe(&path);
    let mut d = Diagnostic::new(
        span,
        format!(
            "PostgreSQL rejected {what}: {}",
            first_line(&server_message(e))
        ),
    )
    .label("here");
    let sql_head = stmt.sql.lines().next().unwrap_or_default();
    d = d.help(match e.as_db_error().and_then(|db| db.hint()) {
        Some(h) => format!("{h} (while running `{sql_head}`)"),
        None => format!("fix the definition; the statement was `{sql_head}`"),
    });
    d
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Which column (and which of its fields) of a CREATE TABLE holds the character at `pos` (1-based).
fn locate_in_create_table(t: &Table, sql: &str, pos: usize) -> Option<(ObjectPath, &'static str)> {
    let byte = sql
        .char_indices()
        .nth(pos.checked_sub(1)?)
        .map(|(b, _)| b)?;
    let line_start = sql[..byte].rfind('\n').map_or(0, |i| i + 1);
    let line_no = sql[..line_start].matches('\n').count(); // 0 is the CREATE TABLE line
    let line_index = line_no.checked_sub(1)?;
    let Some(column) = t.columns.get(line_index) else {
        // The table's own constraints follow the columns, in this order.
        let mut rest = line_index - t.columns.len();
        let q = t.name.clone();
        if t.primary_key.is_some() {
            if rest == 0 {
                return Some((ObjectPath::PrimaryKey(q), "columns"));
            }
            rest -= 1;
        }
        if rest < t.uniques.len() {
            return Some((ObjectPath::Unique(q, rest), "columns"));
        }
        rest -= t.uniques.len();
        if rest < t.exclusions.len() {
            return Some((ObjectPath::Exclusion(q, rest), "elements"));
        }
        rest -= t.exclusions.len();
        return (rest < t.checks.len()).then(|| (ObjectPath::Check(q, rest), "expression"));
    };
    let line = &sql[line_start..];
    let at = byte - line_start;
    let name_len = quote_ident(&column.name).len() + 4; // the four spaces of indentation
    let type_range = name_len + 1..name_len + 1 + column.data_type.len();
    let field = if type_range.contains(&at) {
        "type"
    } else if column.default.as_ref().is_some_and(|d| {
        line.find(" DEFAULT ")
            .is_some_and(|i| (i..i + 9 + d.len()).contains(&at))
    }) {
        "default"
    } else if column.generated.is_some()
        && line.find(" GENERATED ALWAYS AS (").is_some_and(|i| at >= i)
    {
        "generated"
    } else {
        "name"
    };
    Some((
        ObjectPath::Column(t.name.clone(), column.name.clone()),
        field,
    ))
}

fn describe(path: &ObjectPath) -> String {
    match path {
        ObjectPath::Extension(n) => format!("extension `{n}`"),
        ObjectPath::Schema(n) => format!("schema `{n}`"),
        ObjectPath::Enum(n) => format!("enum `{n}`"),
        ObjectPath::Sequence(n) => format!("sequence `{n}`"),
        ObjectPath::Table(n) => format!("table `{n}`"),
        ObjectPath::Column(t, c) => format!("column `{c}` of table `{t}`"),
        ObjectPath::PrimaryKey(t) => format!("the primary key of table `{t}`"),
        ObjectPath::Unique(t, i) => format!("unique constraint #{} of table `{t}`", i + 1),
        ObjectPath::ForeignKey(t, i) => format!("foreign key #{} of table `{t}`", i + 1),
        ObjectPath::Check(t, i) => format!("check constraint #{} of table `{t}`", i + 1),
        ObjectPath::Exclusion(t, i) => format!("exclusion constraint #{} of table `{t}`", i + 1),
        ObjectPath::Index(t, i) => format!("index #{} of table `{t}`", i + 1),
        ObjectPath::Migrations => "`[migrations]`".into(),
    }
}
