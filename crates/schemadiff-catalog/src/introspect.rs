//! Reading a database's schema from `pg_catalog` into the model.
//!
//! Everything is read in one `READ ONLY` transaction (one snapshot) with a `statement_timeout`, with one
//! query per object class, so the number of statements does not grow with the schema. Definitions come in
//! the server's canonical form (`format_type`, `pg_get_expr`, `pg_get_indexdef`), read with
//! `search_path = public` so that names in `public` are written bare and all others qualified, whatever the
//! session's own setting, and `TimeZone = UTC` so that a `timestamptz` constant (a partition bound, a default)
//! prints the same whatever the server's time zone. System schemas and objects that belong to extensions are skipped.

use schemadiff_model::{GrantTarget, QualifiedName, Schema};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row};

/// What to read.
#[derive(Debug, Clone)]
pub struct IntrospectOptions {
    /// Only these schemas (all but the system ones when empty).
    pub schemas: Vec<String>,
    /// The `statement_timeout` of the reading transaction, in milliseconds.
    pub statement_timeout_ms: u64,
    /// Read the owners of objects (`[migrations] manage_ownership = true`, `dump --owners`); off, owners
    /// are not part of the schema read.
    pub owners: bool,
    /// Read what the model cannot represent ([`Introspection::unsupported`]). Off for a scratch database that
    /// schemadiff built from its own model, where there can be nothing of the kind: the widest query of the
    /// read is saved.
    pub unsupported: bool,
}

impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions {
            schemas: Vec::new(),
            statement_timeout_ms: 30_000,
            owners: false,
            unsupported: true,
        }
    }
}

/// The options that read what `stated` states, from a scratch database built from it: owners when it states any,
/// and nothing the model cannot represent.
pub fn options_for(stated: &Schema) -> IntrospectOptions {
    IntrospectOptions {
        owners: !stated.owners.is_empty(),
        unsupported: false,
        ..Default::default()
    }
}

/// Keeps the owners of `read` whose objects `stated` gives an owner (an object without `owner` keeps
/// whatever owner it has: not managed); its roles are those its policies, grants and owners name.
pub fn keep_stated_owners(read: &mut Schema, stated: &Schema) {
    let targets: std::collections::BTreeSet<&GrantTarget> =
        stated.owners.iter().map(|o| &o.target).collect();
    let owners = std::mem::take(&mut read.owners);
    read.owners = owners
        .into_iter()
        .filter(|o| targets.contains(&o.target) || stated_function(read, stated, &o.target))
        .collect();
    read.roles = crate::policy::referenced_roles(&read.policies, &read.grants);
    add_owner_roles(read);
}

/// Whether `target`, a function or procedure of `read` (named by its argument types, as the catalog names
/// it), is one whose owner `stated` states (named by its arguments as written: `f(a integer)`). Its
/// arguments as the server prints them, or the only one of its name and kind on both sides, are it.
fn stated_function(read: &Schema, stated: &Schema, target: &GrantTarget) -> bool {
    let GrantTarget::Function(name, signature, procedure) = target else {
        return false;
    };
    let fold = signature_key;
    let printed = read
        .function(name, signature)
        .map(|f| fold(&schemadiff_model::function::without_defaults(&f.arguments)));
    let alone = |s: &Schema| {
        s.functions
            .iter()
            .filter(|f| &f.name == name && f.procedure == *procedure)
            .count()
            == 1
    };
    stated.owners.iter().any(|o| match &o.target {
        GrantTarget::Function(n, written, p) if n == name && p == procedure => {
            let written = fold(written);
            written == fold(signature)
                || printed.as_ref() == Some(&written)
                || (alone(read) && alone(stated))
        }
        _ => false,
    })
}

/// Arguments compared as the server prints them: case and spaces aside, and the common type aliases (`int`,
/// `int8`, `bool`, `varchar`, `timestamptz`, ...) spelled as PostgreSQL spells them, so that `f(a int)` is
/// `f(a integer)` among overloads of `f`.
fn signature_key(arguments: &str) -> String {
    fn spelled(word: &str) -> &str {
        match word {
            "int" | "int4" => "integer",
            "int8" => "bigint",
            "int2" => "smallint",
            "bool" => "boolean",
            "float8" => "double precision",
            "float4" => "real",
            "varchar" => "character varying",
            "decimal" => "numeric",
            "timestamptz" => "timestamp with time zone",
            "timetz" => "time with time zone",
            "varbit" => "bit varying",
            _ => word,
        }
    }
    let lower = arguments.to_lowercase();
    let mut out = String::new();
    let mut word = String::new();
    for c in lower.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            out.push_str(spelled(&word));
            word.clear();
            out.push(c);
        }
    }
    out.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Adds the roles of a schema's owners to its roles (so that scratch servers create them).
fn add_owner_roles(schema: &mut Schema) {
    for o in &schema.owners {
        if !schema.roles.contains(&o.role) && !o.role.starts_with("pg_") {
            schema.roles.push(o.role.clone());
        }
    }
    schema.roles.sort();
}

/// A schema read from a database, with facts about the reading.
#[derive(Debug, Clone)]
pub struct Introspection {
    pub schema: Schema,
    /// `server_version_num`, e.g. 150004.
    pub server_version_num: i32,
    /// How many statements the reading sent (a constant, whatever the size of the schema).
    pub statements: usize,
    /// What the schemas read hold that the model cannot represent (see [`crate::unsupported`]).
    pub unsupported: Vec<crate::unsupported::Unsupported>,
}

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("reading the catalog failed while {step}: {message}")]
    Query { step: &'static str, message: String },
    #[error("PostgreSQL {version} is not supported: schemadiff reads PostgreSQL 13 to 18")]
    Version { version: String },
    #[error("{what} is not supported yet by schemadiff ({detail})")]
    Unsupported { what: String, detail: &'static str },
}

/// The server's error message, with detail and hint when it gives them.
pub fn server_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            if let Some(h) = db.hint() {
                m.push_str(&format!("; hint: {h}"));
            }
            // Messages quote names and values, which may hold line breaks or escape sequences.
            schemadiff_model::printable(&m).into_owned()
        }
        None => schemadiff_model::printable(&e.to_string()).into_owned(),
    }
}

pub(crate) struct Session<'a> {
    client: &'a Client,
    statements: usize,
}

impl Session<'_> {
    async fn batch(&mut self, step: &'static str, sql: &str) -> Result<(), IntrospectError> {
        self.statements += 1;
        self.client
            .batch_execute(sql)
            .await
            .map_err(|e| IntrospectError::Query {
                step,
                message: server_message(&e),
            })
    }

    /// The rows of a query handed to `each` as they arrive, none kept: a large catalog (100,000 columns) is
    /// never held as rows all at once.
    pub(crate) async fn each(
        &mut self,
        step: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        mut each: impl FnMut(Row),
    ) -> Result<(), IntrospectError> {
        use futures_util::TryStreamExt;
        self.statements += 1;
        let failed = |e: tokio_postgres::Error| IntrospectError::Query {
            step,
            message: server_message(&e),
        };
        let rows = self
            .client
            .query_raw(sql, params.iter().copied())
            .await
            .map_err(failed)?;
        let mut rows = std::pin::pin!(rows);
        while let Some(row) = rows.try_next().await.map_err(failed)? {
            each(row);
        }
        Ok(())
    }

    pub(crate) async fn query(
        &mut self,
        step: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, IntrospectError> {
        let mut rows = Vec::new();
        self.each(step, sql, params, |row| rows.push(row)).await?;
        Ok(rows)
    }
}

/// A condition on a namespace `n` (alias) that keeps user schemas, optionally only the listed ones (`$1`).
pub(crate) const NAMESPACE_FILTER: &str = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' \
     AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))";

/// A condition that an object (`classid`, `objid`) does not belong to an extension.
pub(crate) fn not_in_extension(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = '{catalog}'::regclass \
         AND dep.objid = {oid} AND dep.deptype = 'e')"
    )
}

/// Read the schema of the database `client` is connected to.
pub async fn introspect(
    client: &Client,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut s = Session {
        client,
        statements: 0,
    };
    s.batch(
        "starting the read-only transaction",
        &format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = {}; SET LOCAL search_path = public; SET LOCAL TimeZone = 'UTC'; SET LOCAL jit = off",
            options.statement_timeout_ms
        ),
    )
    .await?;
    let result = read_all(&mut s, options).await;
    // A read-only transaction has nothing to keep: end it either way.
    let end = s
        .batch("ending the read-only transaction", "ROLLBACK")
        .await;
    let (schema, server_version_num, unsupported) = result?;
    end?;
    Ok(Introspection {
        schema,
        server_version_num,
        statements: s.statements,
        unsupported,
    })
}

async fn read_all(
    s: &mut Session<'_>,
    options: &IntrospectOptions,
) -> Result<(Schema, i32, Vec<crate::unsupported::Unsupported>), IntrospectError> {
    let version: i32 = s
        .query(
            "reading the server version",
            "SELECT current_setting('server_version_num')::int",
            &[],
        )
        .await?[0]
        .get(0);
    if !(130000..190000).contains(&version) {
        return Err(IntrospectError::Version {
            version: format!("{}.{}", version / 10000, version % 10000),
        });
    }
    let filter: Vec<String> = options.schemas.clone();
    let p: &[&(dyn ToSql + Sync)] = &[&filter];
    let mut schema = Schema::default();
    let mut grants = Vec::new();
    let mut owners = Vec::new();
    schema.schemas = crate::schema::read(s, p, &mut grants, &mut owners).await?;
    schema.extensions = crate::extension::read(s, p).await?;
    schema.enums = crate::enum_type::read(s, p, &mut grants, &mut owners).await?;
    // Enums, domains, range and composite types: a type, by its schema and name.
    let type_of = |r: &tokio_postgres::Row| {
        GrantTarget::Type(QualifiedName::new(
            r.get::<_, String>(0),
            r.get::<_, String>(1),
        ))
    };
    let rows = s
        .query("reading domains", &crate::domain::query(), p)
        .await?;
    schema.domains = crate::domain::from_rows(&rows);
    grants.extend(crate::grant::collect(&rows, type_of));
    owners.extend(crate::grant::collect_owners(&rows, type_of));
    let rows = s
        .query("reading range types", &crate::range::query(version), p)
        .await?;
    schema.range_types = crate::range::from_rows(&rows);
    grants.extend(crate::grant::collect(&rows, type_of));
    owners.extend(crate::grant::collect_owners(&rows, type_of));
    let rows = s
        .query("reading composite types", &crate::composite::query(), p)
        .await?;
    schema.composite_types = crate::composite::from_rows(&rows);
    grants.extend(crate::grant::collect(&rows, type_of));
    owners.extend(crate::grant::collect_owners(&rows, type_of));
    schema.sequences = crate::sequence::read(s, p, &mut grants, &mut owners).await?;
    // Views and materialized views first: the indexes of the latter come with the tables'.
    let rows = s.query("reading views", &crate::view::query(), p).await?;
    let (mut views, view_order) = crate::view::from_rows(&rows);
    let view_of = |r: &tokio_postgres::Row| {
        GrantTarget::View(QualifiedName::new(
            r.get::<_, String>(1),
            r.get::<_, String>(2),
        ))
    };
    grants.extend(crate::grant::collect(&rows, view_of));
    owners.extend(crate::grant::collect_owners(&rows, view_of));
    let mut tables =
        crate::table::read(s, p, version, &mut views, &mut grants, &mut owners).await?;
    crate::table_options::read(s, p, version, &mut tables).await?;
    schema.tables = tables.into_iter().map(std::sync::Arc::new).collect();
    schema.views = view_order
        .into_iter()
        .filter_map(|oid| views.remove(&oid))
        .collect();
    // Functions and procedures, with what they use and what uses them; then triggers.
    let rows = s
        .query("reading functions", &crate::function::query(version), p)
        .await?;
    schema.functions = crate::function::from_rows(&rows);
    let function_of = |r: &tokio_postgres::Row| {
        GrantTarget::Function(
            QualifiedName::new(r.get::<_, String>(1), r.get::<_, String>(2)),
            r.get(5),
            r.get(3),
        )
    };
    grants.extend(crate::grant::collect(&rows, function_of));
    owners.extend(crate::grant::collect_owners(&rows, function_of));
    grants.extend(crate::grant::read_defaults(s, p).await?);
    grants.sort_by(|a, b| a.target.cmp(&b.target));
    schema.grants = grants;
    let rows = s
        .query("reading triggers", &crate::trigger::query(), p)
        .await?;
    schema.triggers = crate::trigger::from_rows(&rows);
    let rows = s
        .query("reading policies", &crate::policy::query(), p)
        .await?;
    schema.policies = crate::policy::from_rows(&rows);
    schema.roles = crate::policy::referenced_roles(&schema.policies, &schema.grants);
    if options.owners {
        owners.sort();
        schema.owners = owners;
        add_owner_roles(&mut schema);
    }
    // What uses what, for the order of changes.
    let rows = s
        .query("reading dependencies", &crate::deps::query(), p)
        .await?;
    schema.dependencies = crate::deps::from_rows(&rows);
    // What the model cannot represent: listed, so that nothing is lost without a word.
    if !options.unsupported {
        return Ok((schema, version, Vec::new()));
    }
    let rows = s
        .query(
            "reading objects schemadiff does not model",
            &crate::unsupported::query(version),
            p,
        )
        .await?;
    Ok((schema, version, crate::unsupported::from_rows(&rows)))
}

/// The live schema as schema.toml text (`schemadiff dump`), in canonical form (see [`crate::normalize`]), so
/// that loading the dump and creating it gives a database that dumps to the same text. Extension versions are
/// left out: a desired state names the extensions it needs, not the build a server happens to have.
pub async fn dump(
    client: &Client,
    options: &IntrospectOptions,
    scratch: &crate::scratch::ScratchServer,
) -> Result<String, crate::normalize::NormalizeError> {
    Ok(schemadiff_model::to_toml(
        &dump_schema(client, options, scratch).await?,
    ))
}

/// The schema that [`dump`] writes.
pub async fn dump_schema(
    client: &Client,
    options: &IntrospectOptions,
    scratch: &crate::scratch::ScratchServer,
) -> Result<schemadiff_model::Schema, crate::normalize::NormalizeError> {
    let live = introspect(client, options).await?.schema;
    let mut schema = crate::normalize::canonicalize(live, scratch).await?;
    for e in &mut schema.extensions {
        e.version = None;
    }
    Ok(schema)
}

/// `(a > 0)` -> `a > 0`, when the outer parentheses enclose the whole text (`(a) AND (b)` stays as is).
pub fn strip_outer_parens(expr: &str) -> &str {
    let t = expr.trim();
    if !(t.starts_with('(') && t.ends_with(')')) {
        return t;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, ch) in t.char_indices() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None => match ch {
                '\'' | '"' => quote = Some(ch),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 && i != t.len() - 1 {
                        return t; // the first group closes before the end
                    }
                }
                _ => {}
            },
        }
    }
    &t[1..t.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::{signature_key, strip_outer_parens};

    #[test]
    fn arguments_as_written_and_as_printed_have_one_key() {
        for (written, printed) in [
            ("a int", "a integer"),
            ("A INT4, b Int8", "a integer, b bigint"),
            (
                "flag bool, at timestamptz",
                "flag boolean, at timestamp with time zone",
            ),
            (
                "x float8, y varchar(10)",
                "x double precision, y character varying(10)",
            ),
            ("VARIADIC xs int[]", "VARIADIC xs integer[]"),
        ] {
            assert_eq!(signature_key(written), signature_key(printed), "{written}");
        }
        assert_ne!(signature_key("a int"), signature_key("a bigint"));
        assert_ne!(signature_key("a int"), signature_key("b integer"));
    }

    #[test]
    fn outer_parens() {
        assert_eq!(strip_outer_parens("(a > 0)"), "a > 0");
        assert_eq!(
            strip_outer_parens("((a >= 1) AND (a <= 9))"),
            "(a >= 1) AND (a <= 9)"
        );
        assert_eq!(
            strip_outer_parens("(a > 0) AND (b > 0)"),
            "(a > 0) AND (b > 0)"
        );
        assert_eq!(strip_outer_parens("(s <> ')')"), "s <> ')'");
        assert_eq!(strip_outer_parens("a > 0"), "a > 0");
    }
}
