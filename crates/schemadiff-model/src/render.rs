//! Rendering the model to CREATE DDL: the first step of normalization (the server reads it back in its
//! canonical form), and the pieces later stages reuse. Every identifier goes through `quote_ident` and every
//! string through `quote_literal`; types, defaults and expressions are SQL as written, passed through
//! [`inert`] (no comment, no raw line break: no line of a migration file can start with a marker).

use std::cell::OnceCell;
use std::collections::BTreeMap;

pub use crate::fragment::inert;
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::ObjectPath;
use crate::naming::effective_names;
use crate::types::*;

/// One SQL statement (without its `;`) and the element it comes from, so that a server error can point
/// back at the place in schema.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub origin: ObjectPath,
}

/// Statements joined into a script, each ending in `;`.
pub fn script_text(statements: &[Statement]) -> String {
    let mut out = String::new();
    for s in statements {
        out.push_str(&s.sql);
        out.push_str(";\n");
    }
    out
}

/// The statements that create `schema` in an empty database, in an order that needs no dependency graph:
/// schemas, extensions, types, sequences, tables with their own constraints, indexes, then foreign keys
/// (so reference cycles need no care), sequence ownership, and comments.
pub fn create_script(schema: &Schema) -> Vec<Statement> {
    let mut out = Vec::new();
    create_script_each(schema, &mut |stmt| out.push(stmt));
    out
}

/// [`create_script`] a statement at a time, handed to `each` as it is made: none is kept (the script of a
/// large schema is as large as its schema.toml).
pub fn create_script_each(schema: &Schema, each: &mut dyn FnMut(Statement)) {
    let mut push = |origin: ObjectPath, sql: String| each(Statement { sql, origin });

    for s in &schema.schemas {
        if s.name != crate::ident::DEFAULT_SCHEMA {
            push(
                ObjectPath::Schema(s.name.clone()),
                format!("CREATE SCHEMA {}", quote_ident(&s.name)),
            );
        }
    }
    for e in &schema.extensions {
        push(ObjectPath::Extension(e.name.clone()), create_extension(e));
    }
    for e in &schema.enums {
        push(ObjectPath::Enum(e.name.clone()), create_enum(e));
    }
    // A range type whose `subtype_diff` is one of the functions comes after them (below).
    let own_diff =
        |r: &crate::range::RangeType| !r.subtype_diff_functions(&schema.functions).is_empty();
    for r in schema.range_types.iter().filter(|r| !own_diff(r)) {
        push(
            ObjectPath::RangeType(r.name.clone()),
            crate::range::create_range(r),
        );
    }
    for (origin, sql) in crate::composite::create_types(schema) {
        push(origin, sql);
    }
    for s in &schema.sequences {
        push(ObjectPath::Sequence(s.name.clone()), create_sequence(s));
    }
    // Functions before the tables whose defaults, checks and indexes may call them (quoted bodies are not
    // checked: scratch sessions run with `check_function_bodies = off`), except those known (read from a
    // catalog) to read a table or view or to take or return a row type, which come after the tables and
    // views. Written in schema.toml, such a function fails first and is tried again after the rest
    // (`normalize_desired`).
    let function_path =
        |f: &crate::function::Function| ObjectPath::Function(f.name.clone(), f.arguments.clone());
    let relations: Vec<&str> = schema
        .tables
        .iter()
        .map(|t| t.name.name.as_str())
        .chain(schema.views.iter().map(|v| v.name.name.as_str()))
        .collect();
    let late = |f: &crate::function::Function| {
        // Written in schema.toml, nothing is known: a row type in the arguments or result, or a relation
        // named in a body of language sql (checked when created), by its name.
        let named = |text: &str| relations.iter().any(|r| crate::function::mentions(text, r));
        named(&f.arguments)
            || f.returns.as_deref().is_some_and(named)
            || (f.language == "sql" && named(&f.body))
            || f.uses.iter().any(|u| match u {
                crate::function::FunctionUse::Type(q) => {
                    schema.table(q).is_some() || schema.view(q).is_some()
                }
                crate::function::FunctionUse::Relation(_)
                | crate::function::FunctionUse::Column(..) => true,
                crate::function::FunctionUse::Function(..) => false,
            })
    };
    for f in schema.functions.iter().filter(|f| !late(f)) {
        push(function_path(f), crate::function::create_function(f, false));
    }
    for r in schema.range_types.iter().filter(|r| own_diff(r)) {
        push(
            ObjectPath::RangeType(r.name.clone()),
            crate::range::create_range(r),
        );
    }
    for t in crate::partition::creation_order(&schema.tables) {
        push(ObjectPath::Table(t.name.clone()), create_table(t));
        for (origin, sql) in table_additions(t) {
            push(origin, sql);
        }
    }
    for t in &schema.tables {
        for (i, idx) in t.indexes.iter().enumerate() {
            push(
                ObjectPath::Index(t.name.clone(), i),
                create_index(&t.name, idx),
            );
        }
    }
    for (origin, sql) in crate::table_options::replica_identities(schema) {
        push(origin, sql);
    }
    for t in &schema.tables {
        for (i, fk) in t.foreign_keys.iter().enumerate() {
            push(
                ObjectPath::ForeignKey(t.name.clone(), i),
                add_foreign_key(&t.name, fk),
            );
        }
    }
    for v in crate::view::creation_order(&schema.views) {
        push(
            ObjectPath::View(v.name.clone()),
            crate::view::create_view(v),
        );
        for (i, idx) in v.indexes.iter().enumerate() {
            push(
                ObjectPath::Index(v.name.clone(), i),
                create_index(&v.name, idx),
            );
        }
    }
    for f in crate::function::creation_order(schema.functions.iter().filter(|f| late(f)).collect())
    {
        push(function_path(f), crate::function::create_function(f, false));
    }
    for t in &schema.triggers {
        let p = ObjectPath::Trigger(t.relation.clone(), t.name.clone());
        push(p.clone(), crate::trigger::create_trigger(t));
        if t.enabled.is_some() {
            push(p, crate::trigger::enable_trigger(t));
        }
    }
    for (origin, sql) in crate::policy::create_statements(schema) {
        push(origin, sql);
    }
    // A sequence owned by a column before the owners: ALTER TABLE ... OWNER TO moves it with its table.
    for s in &schema.sequences {
        if let Some(o) = &s.owned_by {
            push(
                ObjectPath::Sequence(s.name.clone()),
                format!(
                    "ALTER SEQUENCE {} OWNED BY {}.{}",
                    s.name.sql(),
                    o.table.sql(),
                    quote_ident(&o.column)
                ),
            );
        }
    }
    for (origin, sql) in crate::owner::create_statements(schema) {
        push(origin, sql);
    }
    for (origin, sql) in crate::grant::create_statements(schema) {
        push(origin, sql);
    }
    for stmt in comments(schema) {
        each(stmt);
    }
}

/// The COMMENT statements of every element that has a comment.
fn comments(schema: &Schema) -> Vec<Statement> {
    // The names of constraints and indexes, computed (a pass over the whole schema) only for the first of
    // them that has a comment.
    let names: OnceCell<BTreeMap<ObjectPath, String>> = OnceCell::new();
    let names = || names.get_or_init(|| effective_names(schema));
    let mut out = Vec::new();
    // The path and target are made only for an element that has a comment (most have none).
    let mut push = |origin: &dyn Fn() -> ObjectPath,
                    target: &dyn Fn() -> Option<String>,
                    comment: &Option<String>| {
        if let Some(c) = comment {
            if let Some(target) = target() {
                out.push(Statement {
                    sql: format!("COMMENT ON {target} IS {}", quote_literal(c)),
                    origin: origin(),
                });
            }
        }
    };
    for s in &schema.schemas {
        push(
            &|| ObjectPath::Schema(s.name.clone()),
            &|| Some(format!("SCHEMA {}", quote_ident(&s.name))),
            &s.comment,
        );
    }
    for e in &schema.enums {
        push(
            &|| ObjectPath::Enum(e.name.clone()),
            &|| Some(format!("TYPE {}", e.name.sql())),
            &e.comment,
        );
    }
    for s in &schema.sequences {
        push(
            &|| ObjectPath::Sequence(s.name.clone()),
            &|| Some(format!("SEQUENCE {}", s.name.sql())),
            &s.comment,
        );
    }
    for t in &schema.tables {
        let q = &t.name;
        push(
            &|| ObjectPath::Table(q.clone()),
            &|| Some(format!("TABLE {}", q.sql())),
            &t.comment,
        );
        for c in &t.columns {
            push(
                &|| ObjectPath::Column(q.clone(), c.name.clone()),
                &|| Some(format!("COLUMN {}.{}", q.sql(), quote_ident(&c.name))),
                &c.comment,
            );
        }
        let constraint = |path: &ObjectPath| {
            names()
                .get(path)
                .map(|n| format!("CONSTRAINT {} ON {}", quote_ident(n), q.sql()))
        };
        if let Some(pk) = &t.primary_key {
            let p = || ObjectPath::PrimaryKey(q.clone());
            push(&p, &|| constraint(&p()), &pk.comment);
        }
        for (i, u) in t.uniques.iter().enumerate() {
            let p = || ObjectPath::Unique(q.clone(), i);
            push(&p, &|| constraint(&p()), &u.comment);
        }
        for (i, x) in t.exclusions.iter().enumerate() {
            let p = || ObjectPath::Exclusion(q.clone(), i);
            push(&p, &|| constraint(&p()), &x.comment);
        }
        for (i, c) in t.checks.iter().enumerate() {
            let p = || ObjectPath::Check(q.clone(), i);
            push(&p, &|| constraint(&p()), &c.comment);
        }
        for (i, fk) in t.foreign_keys.iter().enumerate() {
            let p = || ObjectPath::ForeignKey(q.clone(), i);
            push(&p, &|| constraint(&p()), &fk.comment);
        }
        for (i, idx) in t.indexes.iter().enumerate() {
            let p = || ObjectPath::Index(q.clone(), i);
            let target = || {
                names().get(&p()).map(|n| {
                    format!(
                        "INDEX {}",
                        QualifiedName::new(q.schema.clone(), n.clone()).sql()
                    )
                })
            };
            push(&p, &target, &idx.comment);
        }
    }
    for f in &schema.functions {
        if f.comment.is_some() {
            out.push(Statement {
                sql: crate::function::comment_on_function(f, &f.comment),
                origin: ObjectPath::Function(f.name.clone(), f.arguments.clone()),
            });
        }
    }
    for p in schema.policies.iter().filter(|p| p.comment.is_some()) {
        out.push(Statement {
            sql: crate::policy::comment_on_policy(p, &p.comment),
            origin: ObjectPath::Policy(p.table.clone(), p.name.clone()),
        });
    }
    for t in &schema.triggers {
        if t.comment.is_some() {
            out.push(Statement {
                sql: crate::trigger::comment_on_trigger(t, &t.comment),
                origin: ObjectPath::Trigger(t.relation.clone(), t.name.clone()),
            });
        }
    }
    for r in &schema.range_types {
        if r.comment.is_some() {
            out.push(Statement {
                sql: crate::range::comment_on_range(r, &r.comment),
                origin: ObjectPath::RangeType(r.name.clone()),
            });
        }
    }
    for t in &schema.composite_types {
        if t.comment.is_some() {
            out.push(Statement {
                sql: crate::composite::comment_on_composite(t, &t.comment),
                origin: ObjectPath::CompositeType(t.name.clone()),
            });
        }
    }
    for d in &schema.domains {
        if d.comment.is_some() {
            out.push(Statement {
                sql: crate::domain::comment_on_domain(d, &d.comment),
                origin: ObjectPath::Domain(d.name.clone()),
            });
        }
    }
    for v in &schema.views {
        let p = ObjectPath::View(v.name.clone());
        if v.comment.is_some() {
            out.push(Statement {
                sql: crate::view::comment_on_view(v, &v.comment),
                origin: p,
            });
        }
        for (i, idx) in v.indexes.iter().enumerate() {
            if let (Some(n), Some(c)) = (&idx.name, &idx.comment) {
                out.push(Statement {
                    sql: format!(
                        "COMMENT ON INDEX {} IS {}",
                        QualifiedName::new(v.name.schema.clone(), n.clone()).sql(),
                        quote_literal(c)
                    ),
                    origin: ObjectPath::Index(v.name.clone(), i),
                });
            }
        }
    }
    out
}

pub fn create_extension(e: &Extension) -> String {
    let mut sql = format!("CREATE EXTENSION IF NOT EXISTS {}", quote_ident(&e.name));
    if let Some(s) = &e.schema {
        sql.push_str(&format!(" SCHEMA {}", quote_ident(s)));
    }
    if let Some(v) = &e.version {
        sql.push_str(&format!(" VERSION {}", quote_literal(v)));
    }
    sql
}

pub fn create_enum(e: &EnumType) -> String {
    let values: Vec<String> = e.values.iter().map(|v| quote_literal(&v.name)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        e.name.sql(),
        values.join(", ")
    )
}

pub fn create_sequence(s: &Sequence) -> String {
    let mut sql = format!("CREATE SEQUENCE {}", s.name.sql());
    if let Some(t) = &s.data_type {
        sql.push_str(&format!(" AS {t}"));
    }
    for (word, value) in [
        ("INCREMENT BY", s.increment),
        ("MINVALUE", s.min_value),
        ("MAXVALUE", s.max_value),
        ("START WITH", s.start),
        ("CACHE", s.cache),
    ] {
        if let Some(v) = value {
            sql.push_str(&format!(" {word} {v}"));
        }
    }
    if s.cycle {
        sql.push_str(" CYCLE");
    }
    sql
}

/// Whether unique constraint `i` goes in its own `ALTER TABLE ... ADD`: CREATE TABLE merges a key on the same
/// columns as the primary key or an earlier unique into that one (transformIndexConstraints), where
/// PostgreSQL keeps both when they are added separately.
fn unique_added_separately(t: &Table, i: usize) -> bool {
    let set = |cols: &[String]| {
        let mut v = cols.to_vec();
        v.sort();
        v
    };
    let mine = set(&t.uniques[i].columns);
    t.primary_key
        .as_ref()
        .is_some_and(|pk| set(&pk.columns) == mine)
        || t.uniques[..i].iter().any(|u| set(&u.columns) == mine)
}

/// The constraints of `t` that CREATE TABLE cannot hold as they are, each as an `ALTER TABLE ... ADD` to run
/// right after it: unique keys that CREATE TABLE would merge into another, and NOT VALID checks (CREATE TABLE
/// marks its checks valid whatever they say).
pub fn table_additions(t: &Table) -> Vec<(ObjectPath, String)> {
    let mut out = Vec::new();
    for (i, u) in t.uniques.iter().enumerate() {
        if unique_added_separately(t, i) {
            out.push((
                ObjectPath::Unique(t.name.clone(), i),
                format!("ALTER TABLE {} ADD {}", t.name.sql(), unique_clause(u)),
            ));
        }
    }
    for c in &t.columns {
        for sql in crate::table_options::column_statements(&t.name, c) {
            out.push((ObjectPath::Column(t.name.clone(), c.name.clone()), sql));
        }
    }
    for (i, c) in t.checks.iter().enumerate() {
        if c.not_valid {
            out.push((
                ObjectPath::Check(t.name.clone(), i),
                format!("ALTER TABLE {} ADD {}", t.name.sql(), check_clause(c)),
            ));
        }
    }
    out
}

/// `CREATE TABLE` with the columns and the table's own constraints (not foreign keys, nor those of
/// [`table_additions`]).
pub fn create_table(t: &Table) -> String {
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .map(|c| column_definition_in(&t.name, c))
        .collect();
    if let Some(pk) = &t.primary_key {
        lines.push(primary_key_clause(pk));
    }
    lines.extend(
        t.uniques
            .iter()
            .enumerate()
            .filter(|(i, _)| !unique_added_separately(t, *i))
            .map(|(_, u)| unique_clause(u)),
    );
    lines.extend(t.exclusions.iter().map(exclusion_clause));
    lines.extend(t.checks.iter().filter(|c| !c.not_valid).map(check_clause));
    if let Some(p) = &t.partition_of {
        return crate::partition::create_partition(t, p, &lines);
    }
    let create = crate::table_options::create_keyword(t);
    let with = crate::table_options::with_clause(t);
    let partition_by = crate::partition::partition_by_clause(t);
    if lines.is_empty() {
        return format!("{create} {} (){partition_by}{with}", t.name.sql());
    }
    format!(
        "{create} {} (\n    {}\n){partition_by}{with}",
        t.name.sql(),
        lines.join(",\n    ")
    )
}

/// A collation or operator class as written in schema.toml (`C`, `ext.gin_trgm_ops`, `"en_US.utf8"`), in SQL.
/// Without a schema it is found through the search path (`pg_catalog` first).
pub(crate) fn dotted(text: &str) -> String {
    match QualifiedName::parse_reference(text) {
        Ok((Some(schema), name)) => format!("{}.{}", quote_ident(&schema), quote_ident(&name)),
        Ok((None, name)) => quote_ident(&name),
        // Loading refuses such text; quote it whole rather than guess.
        Err(_) => quote_ident(text),
    }
}

/// [`column_definition`] of a column of `table`, its NOT NULL constraint named only when the name is not
/// the default one (PostgreSQL 18 reads every name).
pub fn column_definition_in(table: &QualifiedName, c: &Column) -> String {
    let default_name =
        c.extras().not_null_name.as_deref().is_some_and(|n| {
            n == crate::table_options::default_not_null_name(&table.name, &c.name)
        });
    column_sql(c, !default_name)
}

pub fn column_definition(c: &Column) -> String {
    column_sql(c, true)
}

/// A column's definition; the name of its NOT NULL constraint left out unless `not_null_name`.
fn column_sql(c: &Column, not_null_name: bool) -> String {
    let mut sql = String::with_capacity(64);
    crate::ident::push_quoted_ident(&mut sql, &c.name);
    sql.push(' ');
    sql.push_str(&inert(&c.data_type));
    if let Some(coll) = &c.extras().collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&dotted(coll));
    }
    if let Some(i) = c.identity {
        sql.push(' ');
        sql.push_str(i.sql());
        let options = identity_options(&c.extras().identity_options);
        if !options.is_empty() {
            sql.push_str(&format!(" ({})", options.join(" ")));
        }
    }
    if let Some(d) = &c.default {
        sql.push_str(" DEFAULT ");
        sql.push_str(&inert(d));
    }
    if let Some(g) = &c.extras().generated {
        let kind = if c.extras().generated_virtual {
            "VIRTUAL"
        } else {
            "STORED"
        };
        sql.push_str(&format!(" GENERATED ALWAYS AS ({}) {kind}", inert(g)));
    }
    if c.not_null {
        if let Some(n) = c.extras().not_null_name.as_ref().filter(|_| not_null_name) {
            sql.push_str(" CONSTRAINT ");
            crate::ident::push_quoted_ident(&mut sql, n);
        }
        sql.push_str(" NOT NULL");
    }
    sql
}

/// The sequence options of an identity column that differ from the defaults (`START WITH 100`, `CYCLE`).
pub fn identity_options(o: &IdentityOptions) -> Vec<String> {
    let mut out = Vec::new();
    for (word, value) in [
        ("INCREMENT BY", o.increment),
        ("MINVALUE", o.min_value),
        ("MAXVALUE", o.max_value),
        ("START WITH", o.start),
        ("CACHE", o.cache),
    ] {
        if let Some(v) = value {
            out.push(format!("{word} {v}"));
        }
    }
    if o.cycle {
        out.push("CYCLE".into());
    }
    out
}

fn constraint_prefix(name: &Option<String>) -> String {
    match name {
        Some(n) => format!("CONSTRAINT {} ", quote_ident(n)),
        None => String::new(),
    }
}

fn column_list(columns: &[String]) -> String {
    let mut out = String::new();
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        crate::ident::push_quoted_ident(&mut out, c);
    }
    out
}

fn deferral(deferrable: bool, initially_deferred: bool) -> &'static str {
    match (deferrable, initially_deferred) {
        (true, true) => " DEFERRABLE INITIALLY DEFERRED",
        (true, false) => " DEFERRABLE",
        _ => "",
    }
}

pub fn primary_key_clause(pk: &PrimaryKey) -> String {
    format!(
        "{}PRIMARY KEY ({}){}",
        constraint_prefix(&pk.name),
        column_list(&pk.columns),
        deferral(pk.deferrable, pk.initially_deferred)
    )
}

pub fn unique_clause(u: &Unique) -> String {
    let include = if u.include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", column_list(&u.include))
    };
    format!(
        "{}UNIQUE{} ({}){include}{}",
        constraint_prefix(&u.name),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        column_list(&u.columns),
        deferral(u.deferrable, u.initially_deferred)
    )
}

pub fn check_clause(c: &Check) -> String {
    let mut sql = format!(
        "{}CHECK ({})",
        constraint_prefix(&c.name),
        inert(&c.expression)
    );
    if c.no_inherit {
        sql.push_str(" NO INHERIT");
    }
    if c.not_valid {
        sql.push_str(" NOT VALID");
    }
    sql
}

pub fn exclusion_clause(x: &Exclusion) -> String {
    let elements: Vec<String> = x
        .elements
        .iter()
        .map(|e| format!("{} WITH {}", index_key(&e.key), inert(&e.operator)))
        .collect();
    let mut sql = format!(
        "{}EXCLUDE USING {} ({})",
        constraint_prefix(&x.name),
        quote_ident(x.method.as_deref().unwrap_or("gist")),
        elements.join(", ")
    );
    if !x.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", column_list(&x.include)));
    }
    if let Some(w) = &x.where_clause {
        sql.push_str(&format!(" WHERE ({})", inert(w)));
    }
    sql.push_str(deferral(x.deferrable, x.initially_deferred));
    sql
}

pub fn index_key(k: &IndexKey) -> String {
    let mut sql = match &k.target {
        IndexTarget::Column(c) => quote_ident(c),
        IndexTarget::Expression(e) => format!("({})", inert(e)),
    };
    if let Some(c) = &k.collation {
        sql.push_str(&format!(" COLLATE {}", dotted(c)));
    }
    if let Some(o) = &k.opclass {
        sql.push_str(&format!(" {}", dotted(o)));
    }
    if k.descending {
        sql.push_str(" DESC");
    }
    match k.nulls_first {
        Some(true) => sql.push_str(" NULLS FIRST"),
        Some(false) => sql.push_str(" NULLS LAST"),
        None => {}
    }
    sql
}

pub fn create_index(table: &QualifiedName, idx: &Index) -> String {
    let mut sql = String::from("CREATE ");
    if idx.unique {
        sql.push_str("UNIQUE ");
    }
    sql.push_str("INDEX ");
    if let Some(n) = &idx.name {
        sql.push_str(&quote_ident(n));
        sql.push(' ');
    }
    sql.push_str(&format!("ON {}", table.sql()));
    if let Some(m) = &idx.method {
        sql.push_str(&format!(" USING {}", quote_ident(m)));
    }
    let keys: Vec<String> = idx.keys.iter().map(index_key).collect();
    sql.push_str(&format!(" ({})", keys.join(", ")));
    if !idx.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", column_list(&idx.include)));
    }
    if idx.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(w) = &idx.where_clause {
        sql.push_str(&format!(" WHERE {}", inert(w)));
    }
    sql
}

pub fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        constraint_prefix(&fk.name),
        column_list(&fk.columns),
        fk.references.sql()
    );
    if !fk.referenced_columns.is_empty() {
        sql.push_str(&format!(" ({})", column_list(&fk.referenced_columns)));
    }
    if fk.match_full {
        sql.push_str(" MATCH FULL");
    }
    if fk.on_delete != FkAction::NoAction {
        sql.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
        if !fk.on_delete_columns.is_empty() {
            sql.push_str(&format!(" ({})", column_list(&fk.on_delete_columns)));
        }
    }
    if fk.on_update != FkAction::NoAction {
        sql.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    sql.push_str(deferral(fk.deferrable, fk.initially_deferred));
    if fk.not_valid {
        sql.push_str(" NOT VALID");
    }
    sql
}

pub fn add_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> String {
    format!("ALTER TABLE {} ADD {}", table.sql(), foreign_key_clause(fk))
}
