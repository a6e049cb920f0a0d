//! Checks that need the whole schema: references between elements, duplicate names, name rules.

use std::collections::{BTreeMap, BTreeSet};

use crate::fragment::{self, FragmentKind};
use crate::ident::{DEFAULT_SCHEMA, MAX_IDENTIFIER_BYTES, QualifiedName};
use crate::load::{ObjectPath, SourceMap};
use crate::naming::effective_names;
use crate::source::{Diagnostic, SourceFile, Span, did_you_mean};
use crate::types::*;

pub(crate) struct Checker<'a> {
    pub(crate) spans: &'a SourceMap,
    pub(crate) file: &'a SourceFile,
    pub(crate) errors: Vec<Diagnostic>,
}

/// Whether [`Checker::name`] reports `name`.
fn name_refused(name: &str) -> bool {
    name.is_empty() || name.contains('\0') || name.len() > MAX_IDENTIFIER_BYTES
}

impl Checker<'_> {
    pub(crate) fn span(&self, path: &ObjectPath, field: &str) -> Span {
        self.spans.field(path, field).unwrap_or(0..0)
    }

    pub(crate) fn err(
        &mut self,
        path: &ObjectPath,
        field: &str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let span = self.span(path, field);
        self.errors.push(Diagnostic::new(span, message));
        self.errors.last_mut().expect("just pushed")
    }

    /// A name PostgreSQL would refuse or silently change.
    pub(crate) fn name(&mut self, path: &ObjectPath, field: &str, what: &str, name: &str) {
        if name.is_empty() {
            self.err(path, field, format!("{what} has an empty name"))
                .help = Some("PostgreSQL names have at least one character".into());
        } else if name.contains('\0') {
            self.err(
                path,
                field,
                format!("{what} has a NUL character in its name"),
            )
            .help = Some("PostgreSQL names cannot hold the NUL character; remove it".into());
        } else if name.len() > MAX_IDENTIFIER_BYTES {
            self.err(
                path,
                field,
                format!("the name of {what} is {} bytes long, over PostgreSQL's limit of {MAX_IDENTIFIER_BYTES}", name.len()),
            )
            .help = Some(format!(
                "PostgreSQL would cut it to \"{}\"; choose a name of at most {MAX_IDENTIFIER_BYTES} bytes",
                clip(name)
            ));
        }
    }

    /// An SQL fragment that could end its element or statement (see [`crate::fragment`]): pointed at the
    /// character, when the text stands as it is in the file.
    pub(crate) fn fragment(
        &mut self,
        path: &ObjectPath,
        field: &str,
        what: &str,
        text: Option<&str>,
        kind: FragmentKind,
    ) {
        let Some(text) = text else { return };
        let Err(e) = fragment::check(text, kind) else {
            return;
        };
        let span = self.span(path, field);
        let at = self
            .file
            .text
            .get(span.clone())
            .and_then(|src| src.find(text))
            .map(|p| span.start + p + e.offset)
            .map_or(span, |at| {
                let len = text[e.offset..].chars().next().map_or(1, char::len_utf8);
                at..at + len
            });
        self.errors.push(
            Diagnostic::new(at, format!("{what} is refused: {}", e.message))
                .label("here")
                .help(e.help),
        );
    }

    pub(crate) fn no_nul(
        &mut self,
        path: &ObjectPath,
        field: &str,
        what: &str,
        text: Option<&str>,
    ) {
        if text.is_some_and(|t| t.contains('\0')) {
            self.err(path, field, format!("{what} contains a NUL character"))
                .help = Some("PostgreSQL text cannot hold the NUL character; remove it".into());
        }
    }

    /// Each column in `columns` is declared in `table`.
    fn columns_exist(
        &mut self,
        path: &ObjectPath,
        field: &str,
        what: &str,
        table: &Table,
        columns: &[String],
    ) {
        let mut seen = BTreeSet::new();
        for (i, c) in columns.iter().enumerate() {
            let f = format!("{field}.{i}");
            if table.column(c).is_none() {
                let help = match did_you_mean(c, table.columns.iter().map(|c| c.name.as_str())) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!(
                        "declare it under [tables.{}.columns], or fix the name",
                        table.name
                    ),
                };
                let d = self.err(
                    path,
                    &f,
                    format!(
                        "{what} names column `{c}`, which table `{}` does not have",
                        table.name
                    ),
                );
                d.label = Some("no such column".into());
                d.help = Some(help);
            } else if !seen.insert(c) {
                self.err(path, &f, format!("{what} names column `{c}` twice"))
                    .help = Some("list each column once".into());
            }
        }
    }
}

/// A `renamed_from` naming an element that is still declared: the rename cannot happen (both names would
/// exist), and ignoring it would drop and re-create data instead.
fn still_declared(c: &mut Checker, p: &ObjectPath, what: &str, kind: &str, old: &QualifiedName) {
    c.err(
        p,
        "renamed_from",
        format!("{what} is renamed from `{old}`, but `{old}` is still declared"),
    )
    .help = Some(format!(
        "remove {kind} `{old}` or the `renamed_from` (to swap two names, rename one of them in its own migration first)"
    ));
}

fn clip(name: &str) -> &str {
    let mut end = MAX_IDENTIFIER_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

pub(crate) fn validate(schema: &Schema, spans: &SourceMap, file: &SourceFile) -> Vec<Diagnostic> {
    let mut c = Checker {
        spans,
        file,
        errors: Vec::new(),
    };

    // Schemas: every qualified name must live in a declared schema (or public).
    let mut declared: BTreeSet<&str> = schema.schemas.iter().map(|s| s.name.as_str()).collect();
    declared.insert(DEFAULT_SCHEMA);
    for s in &schema.schemas {
        let p = ObjectPath::Schema(s.name.clone());
        c.name(&p, "", &format!("schema `{}`", s.name), &s.name);
        if s.name.starts_with("pg_") {
            c.err(
                &p,
                "",
                format!(
                    "schema `{}` uses the prefix `pg_`, which PostgreSQL reserves",
                    s.name
                ),
            )
            .help = Some("choose a name that does not start with `pg_`".into());
        }
        c.no_nul(&p, "comment", "the comment", s.comment.as_deref());
    }
    let check_schema = |c: &mut Checker, path: &ObjectPath, q: &QualifiedName, what: &str| {
        if !declared.contains(q.schema.as_str()) {
            c.err(
                path,
                "",
                format!("{what} is in schema `{}`, which is not declared", q.schema),
            )
            .help = Some(format!(
                "add `[schemas.{}]` to the file",
                QualifiedName::new(DEFAULT_SCHEMA, q.schema.clone())
            ));
        }
    };

    for e in &schema.extensions {
        let p = ObjectPath::Extension(e.name.clone());
        c.name(&p, "", &format!("extension `{}`", e.name), &e.name);
        if let Some(s) = &e.schema {
            if !declared.contains(s.as_str()) {
                c.err(
                    &p,
                    "schema",
                    format!(
                        "extension `{}` is to be installed in schema `{s}`, which is not declared",
                        e.name
                    ),
                )
                .help = Some(format!("add `[schemas.{s}]` to the file"));
            }
        }
    }

    // Types: enums share their namespace with tables (every table has a row type of its name).
    let mut types: BTreeMap<&QualifiedName, ObjectPath> = BTreeMap::new();
    for e in &schema.enums {
        let p = ObjectPath::Enum(e.name.clone());
        let what = format!("enum `{}`", e.name);
        c.name(&p, "", &what, &e.name.name);
        check_schema(&mut c, &p, &e.name, &what);
        if let Some(prev) = types.insert(&e.name, p.clone()) {
            duplicate(&mut c, &p, &prev, &what);
        }
        let mut seen = BTreeSet::new();
        for (i, v) in e.values.iter().enumerate() {
            let f = format!("values.{i}");
            // An enum label may be empty (PostgreSQL accepts ''), but not longer than a name.
            if !v.name.is_empty() {
                c.name(&p, &f, &format!("value \"{}\" of {what}", v.name), &v.name);
            }
            if !seen.insert(&v.name) {
                c.err(
                    &p,
                    &f,
                    format!("{what} lists the value \"{}\" twice", v.name),
                )
                .help = Some("list each value once".into());
            }
        }
        for (i, v) in e.values.iter().enumerate() {
            if let Some(r) = &v.renamed_from {
                if e.values.iter().any(|o| &o.name == r) {
                    c.err(
                        &p,
                        &format!("values.{i}.renamed_from"),
                        format!(
                            "value \"{}\" of {what} is renamed from \"{r}\", but \"{r}\" is still listed",
                            v.name
                        ),
                    )
                    .help = Some(format!("remove the value \"{r}\" or the `renamed_from`"));
                }
            }
        }
        if let Some(r) = &e.renamed_from {
            if schema.enums.iter().any(|o| &o.name == r) {
                still_declared(&mut c, &p, &what, "enum", r);
            }
        }
        c.no_nul(&p, "comment", "the comment", e.comment.as_deref());
    }
    for d in &schema.domains {
        let p = ObjectPath::Domain(d.name.clone());
        let what = format!("domain `{}`", d.name);
        check_schema(&mut c, &p, &d.name, &what);
        if let Some(prev) = types.insert(&d.name, p.clone()) {
            duplicate(&mut c, &p, &prev, &what);
        }
        crate::domain::check(&mut c, d);
    }
    for r in &schema.range_types {
        let p = ObjectPath::RangeType(r.name.clone());
        let what = format!("range type `{}`", r.name);
        check_schema(&mut c, &p, &r.name, &what);
        if let Some(prev) = types.insert(&r.name, p.clone()) {
            duplicate(&mut c, &p, &prev, &what);
        }
        crate::range::check(&mut c, r);
    }
    for t in &schema.composite_types {
        let p = ObjectPath::CompositeType(t.name.clone());
        let what = format!("composite type `{}`", t.name);
        check_schema(&mut c, &p, &t.name, &what);
        if let Some(prev) = types.insert(&t.name, p.clone()) {
            duplicate(&mut c, &p, &prev, &what);
        }
        crate::composite::check(&mut c, t);
    }

    // Relations: tables, sequences, indexes and index-backed constraints share a namespace per schema.
    let mut relations: BTreeMap<(String, String), (ObjectPath, &'static str)> = BTreeMap::new();
    let mut add_relation = |c: &mut Checker,
                            schema: &str,
                            name: &str,
                            path: ObjectPath,
                            field: &'static str,
                            what: &dyn Fn() -> String| {
        let key = (schema.to_string(), name.to_string());
        if let Some((prev, prev_field)) = relations.get(&key) {
            let first_span = c.span(prev, prev_field);
            let first = c.file.location(first_span.start);
            let d = c.err(
                &path,
                field,
                format!(
                    "{} is named `{name}`, a name already taken in schema `{schema}`",
                    what()
                ),
            );
            d.label = Some("duplicate name".into());
            d.notes.push((first_span, "first taken here".into()));
            d.help = Some(format!(
                "tables, sequences, indexes and key constraints share one namespace per schema, and `{name}` is taken at {first}; rename one of them"
            ));
        } else {
            relations.insert(key, (path, field));
        }
    };

    let tables = schema.tables_by_name();
    for s in &schema.sequences {
        let p = ObjectPath::Sequence(s.name.clone());
        let what = format!("sequence `{}`", s.name);
        c.name(&p, "", &what, &s.name.name);
        check_schema(&mut c, &p, &s.name, &what);
        add_relation(&mut c, &s.name.schema, &s.name.name, p.clone(), "", &|| {
            what.clone()
        });
        if let Some(r) = &s.renamed_from {
            if schema.sequences.iter().any(|o| &o.name == r) {
                still_declared(&mut c, &p, &what, "sequence", r);
            }
        }
        if let Some(o) = &s.owned_by {
            match tables.get(&o.table).copied() {
                None => {
                    c.err(
                        &p,
                        "owned_by",
                        format!(
                            "{what} is owned by table `{}`, which is not declared",
                            o.table
                        ),
                    );
                }
                Some(t) if t.column(&o.column).is_none() => {
                    c.err(
                        &p,
                        "owned_by",
                        format!(
                            "{what} is owned by column `{}` of `{}`, which the table does not have",
                            o.column, o.table
                        ),
                    );
                }
                _ => {}
            }
        }
    }

    for t in &schema.tables {
        let p = ObjectPath::Table(t.name.clone());
        let what = format!("table `{}`", t.name);
        c.name(&p, "", &what, &t.name.name);
        check_schema(&mut c, &p, &t.name, &what);
        if let Some(prev) = types.insert(&t.name, p.clone()) {
            duplicate(&mut c, &p, &prev, &what);
        }
        add_relation(&mut c, &t.name.schema, &t.name.name, p.clone(), "", &|| {
            what.clone()
        });
        c.no_nul(&p, "comment", "the comment", t.comment.as_deref());
        if let Some(r) = &t.renamed_from {
            if tables.contains_key(r) {
                still_declared(&mut c, &p, &what, "table", r);
            }
        }
        crate::partition::check(&mut c, schema, t);
        if t.partition_of.is_some() {
            table_checks(
                &mut c,
                schema,
                &tables,
                &crate::partition::with_inherited_columns(schema, t),
            );
        } else {
            table_checks(&mut c, schema, &tables, t);
        }
    }

    for v in &schema.views {
        let p = ObjectPath::View(v.name.clone());
        let noun = if v.materialized {
            "materialized view"
        } else {
            "view"
        };
        let what = format!("{noun} `{}`", v.name);
        check_schema(&mut c, &p, &v.name, &what);
        add_relation(&mut c, &v.name.schema, &v.name.name, p.clone(), "", &|| {
            what.clone()
        });
        crate::view::check(&mut c, v);
    }

    for f in &schema.functions {
        let p = ObjectPath::Function(f.name.clone(), f.arguments.clone());
        let what = format!("{} `{}`", f.kind_sql().to_lowercase(), f.key());
        check_schema(&mut c, &p, &f.name, &what);
        crate::function::check(&mut c, f);
    }
    let mut seen_triggers = std::collections::BTreeSet::new();
    for t in &schema.triggers {
        let p = ObjectPath::Trigger(t.relation.clone(), t.name.clone());
        if !seen_triggers.insert((&t.relation, &t.name)) {
            c.err(
                &p,
                "name",
                format!("trigger `{}` of `{}` is declared twice", t.name, t.relation),
            )
            .help = Some("a relation's triggers have different names".into());
        }
        crate::trigger::check(&mut c, t);
    }
    crate::policy::check_all(&mut c, schema);
    crate::grant::check_all(&mut c, schema);
    crate::owner::check_all(&mut c, schema);

    // Names the server will give (written or default): duplicates among constraints of a table, and
    // among relations of a schema.
    let names = effective_names(schema);
    let mut constraint_names: BTreeMap<(&QualifiedName, &str), &ObjectPath> = BTreeMap::new();
    for (path, name) in &names {
        let (table, index_backed, kind, number) = match path {
            ObjectPath::PrimaryKey(t) => (t, true, "the primary key", None),
            ObjectPath::Unique(t, i) => (t, true, "unique constraint", Some(i)),
            ObjectPath::Exclusion(t, i) => (t, true, "exclusion constraint", Some(i)),
            ObjectPath::Index(t, i) => (t, true, "index", Some(i)),
            ObjectPath::ForeignKey(t, i) => (t, false, "foreign key", Some(i)),
            ObjectPath::Check(t, i) => (t, false, "check constraint", Some(i)),
            _ => continue,
        };
        // The description is made only for a name reported.
        let what = || match number {
            None => format!("{kind} of table `{table}`"),
            Some(i) => format!("{kind} #{} of table `{table}`", i + 1),
        };
        if name_refused(name) {
            c.name(path, "name", &what(), name);
        }
        if index_backed {
            add_relation(&mut c, &table.schema, name, path.clone(), "name", &what);
        }
        if !matches!(path, ObjectPath::Index(..)) {
            if let Some(prev) = constraint_names.insert((table, name.as_str()), path) {
                if index_backed && prev != path {
                    // Already reported as a relation clash.
                    continue;
                }
                let d = c.err(
                    path,
                    "name",
                    format!(
                        "{} is named `{name}`, like another constraint of the table",
                        what()
                    ),
                );
                d.help =
                    Some("constraint names must differ within a table; rename one of them".into());
            }
        }
    }
    c.errors
}

/// The expression of an index or exclusion key.
fn key_fragments(c: &mut Checker, path: &ObjectPath, field: &str, what: &str, key: &IndexKey) {
    if let IndexTarget::Expression(e) = &key.target {
        c.fragment(
            path,
            field,
            &format!("a key expression of {what}"),
            Some(e),
            FragmentKind::Expression,
        );
    }
}

fn duplicate(c: &mut Checker, path: &ObjectPath, prev: &ObjectPath, what: &str) {
    let other_span = c.span(prev, "");
    let other = c.file.location(other_span.start);
    let d = c.err(
        path,
        "",
        format!("{what} has the same name as another type or table"),
    );
    d.label = Some("duplicate name".into());
    d.notes.push((other_span, "first declared here".into()));
    d.help = Some(format!(
        "the other one is at {other}; a table's name is also the name of its row type, so the tables and enums of a schema need different names"
    ));
}

/// `tables`: `schema`'s tables by name ([`Schema::tables_by_name`]).
/// Whether column `col` of `t` passes every check of [`table_checks`]' loop over columns (which reports
/// nothing for it then).
fn column_passes(t: &Table, col: &Column) -> bool {
    let name_ok =
        !col.name.is_empty() && !col.name.contains('\0') && col.name.len() <= MAX_IDENTIFIER_BYTES;
    let texts = [
        Some(col.data_type.as_str()),
        col.default.as_deref(),
        col.extras().generated.as_deref(),
        col.comment.as_deref(),
        col.extras().using.as_deref(),
    ];
    let fragments = [
        (Some(col.data_type.as_str()), FragmentKind::TypeName),
        (col.default.as_deref(), FragmentKind::Expression),
        (col.extras().generated.as_deref(), FragmentKind::Expression),
        (col.extras().using.as_deref(), FragmentKind::Expression),
    ];
    name_ok
        && !col.data_type.trim().is_empty()
        && !texts.iter().flatten().any(|t| t.contains('\0'))
        && fragments
            .into_iter()
            .all(|(text, kind)| text.is_none_or(|text| fragment::check(text, kind).is_ok()))
        && !(col.identity.is_some() && col.default.is_some())
        && !(col.extras().generated.is_some() && col.default.is_some())
        && !(col.extras().generated.is_some() && col.identity.is_some())
        && !(col.extras().generated_virtual && col.extras().generated.is_none())
        && col
            .extras()
            .renamed_from
            .as_ref()
            .is_none_or(|r| t.column(r).is_none())
}

fn table_checks(
    c: &mut Checker,
    schema: &Schema,
    tables: &std::collections::HashMap<&QualifiedName, &Table>,
    t: &Table,
) {
    for col in &t.columns {
        // Most columns pass every check below: they are passed over before their path and descriptions are
        // made.
        if column_passes(t, col) {
            continue;
        }
        let p = ObjectPath::Column(t.name.clone(), col.name.clone());
        let what = format!("column `{}` of table `{}`", col.name, t.name);
        c.name(&p, "name", &what, &col.name);
        if col.data_type.trim().is_empty() && c.spans.has_field(&p, "type") {
            c.err(&p, "type", format!("{what} has an empty type")).help =
                Some("write a PostgreSQL type, e.g. `type = \"text\"`".into());
        }
        for (field, text) in [
            ("type", Some(col.data_type.as_str())),
            ("default", col.default.as_deref()),
            ("generated", col.extras().generated.as_deref()),
            ("comment", col.comment.as_deref()),
            ("using", col.extras().using.as_deref()),
        ] {
            // The description is made only for a text that has the character (most have none).
            if text.is_some_and(|t| t.contains('\0')) {
                c.no_nul(&p, field, &format!("`{field}` of {what}"), text);
            }
        }
        for (field, text, kind) in [
            ("type", Some(col.data_type.as_str()), FragmentKind::TypeName),
            ("default", col.default.as_deref(), FragmentKind::Expression),
            (
                "generated",
                col.extras().generated.as_deref(),
                FragmentKind::Expression,
            ),
            (
                "using",
                col.extras().using.as_deref(),
                FragmentKind::Expression,
            ),
        ] {
            if text.is_some() {
                c.fragment(&p, field, &format!("the `{field}` of {what}"), text, kind);
            }
        }
        let conflicts = [
            (
                col.identity.is_some(),
                col.default.is_some(),
                "identity",
                "default",
                "an identity column takes its values from its sequence; remove `default`",
            ),
            (
                col.extras().generated.is_some(),
                col.default.is_some(),
                "generated",
                "default",
                "a generated column computes its value; remove `default`",
            ),
            (
                col.extras().generated.is_some(),
                col.identity.is_some(),
                "generated",
                "identity",
                "a column is either generated or identity; remove one",
            ),
        ];
        for (a, b, fa, fb, help) in conflicts {
            if a && b {
                c.err(&p, fb, format!("{what} has both `{fa}` and `{fb}`"))
                    .help = Some(help.into());
            }
        }
        if col.extras().generated_virtual && col.extras().generated.is_none() {
            c.err(
                &p,
                "virtual",
                format!("{what} has `virtual` but no `generated` expression"),
            )
            .help = Some("add `generated = \"...\"`, or remove `virtual`".into());
        }
        if let Some(r) = &col.extras().renamed_from {
            if t.column(r).is_some() {
                c.err(
                    &p,
                    "renamed_from",
                    format!("{what} is renamed from `{r}`, but `{r}` is still declared"),
                )
                .help = Some(format!("remove column `{r}` or the `renamed_from`"));
            }
        }
    }

    if let Some(pk) = &t.primary_key {
        let p = ObjectPath::PrimaryKey(t.name.clone());
        c.columns_exist(
            &p,
            "columns",
            &format!("the primary key of table `{}`", t.name),
            t,
            &pk.columns,
        );
        deferral(
            c,
            &p,
            &format!("the primary key of table `{}`", t.name),
            pk.deferrable,
            pk.initially_deferred,
        );
    }
    for (i, u) in t.uniques.iter().enumerate() {
        let p = ObjectPath::Unique(t.name.clone(), i);
        let what = format!("unique constraint #{} of table `{}`", i + 1, t.name);
        c.columns_exist(&p, "columns", &what, t, &u.columns);
        deferral(c, &p, &what, u.deferrable, u.initially_deferred);
        c.columns_exist(
            &p,
            "include",
            &format!("{what} (in `include`)"),
            t,
            &u.include,
        );
        // A key repeating the primary key or another unique is kept: PostgreSQL keeps both when they are
        // added separately, and the DDL does so (only one CREATE TABLE merges them).
    }
    for (i, chk) in t.checks.iter().enumerate() {
        let p = ObjectPath::Check(t.name.clone(), i);
        let what = format!("check constraint #{} of table `{}`", i + 1, t.name);
        c.no_nul(
            &p,
            "expression",
            &format!("the expression of {what}"),
            Some(&chk.expression),
        );
        c.fragment(
            &p,
            "expression",
            &format!("the expression of {what}"),
            Some(&chk.expression),
            FragmentKind::Expression,
        );
        if chk.comment.is_some() && chk.name.is_none() {
            c.err(&p, "comment", format!("{what} has a comment but no name"))
                .help = Some("the server names a check constraint after the columns its expression reads; give it a `name` to comment on it".into());
        }
    }
    for (i, x) in t.exclusions.iter().enumerate() {
        let p = ObjectPath::Exclusion(t.name.clone(), i);
        let what = format!("exclusion constraint #{} of table `{}`", i + 1, t.name);
        let cols: Vec<String> = x
            .elements
            .iter()
            .filter_map(|e| match &e.key.target {
                IndexTarget::Column(c) => Some(c.clone()),
                IndexTarget::Expression(_) => None,
            })
            .collect();
        key_columns_exist(
            c,
            &p,
            "elements",
            &what,
            t,
            x.elements.iter().map(|e| &e.key),
        );
        c.columns_exist(&p, "include", &what, t, &x.include);
        deferral(c, &p, &what, x.deferrable, x.initially_deferred);
        for (j, e) in x.elements.iter().enumerate() {
            let field = format!("elements.{j}");
            key_fragments(c, &p, &field, &what, &e.key);
            c.fragment(
                &p,
                &field,
                &format!("the operator of element #{} of {what}", j + 1),
                Some(&e.operator),
                FragmentKind::Operator,
            );
        }
        c.fragment(
            &p,
            "where",
            &format!("the `where` of {what}"),
            x.where_clause.as_deref(),
            FragmentKind::Expression,
        );
        if x.comment.is_some() && x.name.is_none() && cols.len() != x.elements.len() {
            c.err(&p, "comment", format!("{what} has a comment but no name"))
                .help = Some("give it a `name` to comment on it".into());
        }
    }
    for (i, idx) in t.indexes.iter().enumerate() {
        let p = ObjectPath::Index(t.name.clone(), i);
        let what = format!("index #{} of table `{}`", i + 1, t.name);
        key_columns_exist(c, &p, "columns", &what, t, idx.keys.iter());
        c.columns_exist(&p, "include", &what, t, &idx.include);
        for (k, key) in idx.keys.iter().enumerate() {
            key_fragments(c, &p, &format!("columns.{k}"), &what, key);
        }
        c.fragment(
            &p,
            "where",
            &format!("the `where` of {what}"),
            idx.where_clause.as_deref(),
            FragmentKind::Expression,
        );
        let has_expr = idx
            .keys
            .iter()
            .any(|k| matches!(k.target, IndexTarget::Expression(_)));
        if idx.comment.is_some() && idx.name.is_none() && has_expr {
            c.err(&p, "comment", format!("{what} has a comment but no name"))
                .help = Some("the server names an expression index after the expression; give it a `name` to comment on it".into());
        }
        if idx.nulls_not_distinct && !idx.unique {
            c.err(
                &p,
                "nulls_not_distinct",
                format!("{what} has `nulls_not_distinct` but is not unique"),
            )
            .help = Some("add `unique = true`, or remove `nulls_not_distinct`".into());
        }
    }
    for (i, fk) in t.foreign_keys.iter().enumerate() {
        let p = ObjectPath::ForeignKey(t.name.clone(), i);
        let what = format!("foreign key #{} of table `{}`", i + 1, t.name);
        c.columns_exist(&p, "columns", &what, t, &fk.columns);
        deferral(c, &p, &what, fk.deferrable, fk.initially_deferred);
        if !fk.on_delete_columns.is_empty() {
            if !matches!(fk.on_delete, FkAction::SetNull | FkAction::SetDefault) {
                c.err(
                    &p,
                    "on_delete_columns",
                    format!("{what} has `on_delete_columns` but its `on_delete` is not \"set null\" or \"set default\""),
                )
                .help = Some("write `on_delete = \"set null\"` (or \"set default\"), or remove `on_delete_columns`".into());
            }
            for (j, col) in fk.on_delete_columns.iter().enumerate() {
                if !fk.columns.contains(col) {
                    c.err(
                        &p,
                        &format!("on_delete_columns.{j}"),
                        format!(
                            "{what} sets column `{col}` on delete, which is not one of its columns"
                        ),
                    )
                    .help = Some(format!(
                        "the columns set on delete must be among `columns` ({})",
                        fk.columns.join(", ")
                    ));
                }
            }
        }
        if fk.references.name.is_empty() {
            continue; // reported while loading
        }
        let Some(&target) = tables.get(&fk.references) else {
            let help = match did_you_mean(
                &fk.references.to_string(),
                schema.tables.iter().map(|t| t.name.name.as_str()),
            ) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "declare the referenced table in this file, or fix the name".into(),
            };
            let d = c.err(
                &p,
                "references.table",
                format!(
                    "{what} references table `{}`, which is not declared",
                    fk.references
                ),
            );
            d.label = Some("no such table".into());
            d.help = Some(help);
            continue;
        };
        let referenced = if fk.referenced_columns.is_empty() {
            match &target.primary_key {
                Some(pk) => pk.columns.clone(),
                None => {
                    c.err(&p, "references", format!("{what} references table `{}` without naming columns, and that table has no primary key", target.name))
                        .help = Some("name the referenced columns: `references = { table = \"...\", columns = [\"...\"] }`".into());
                    continue;
                }
            }
        } else {
            c.columns_exist(
                &p,
                "references.columns",
                &format!("{what} (in `references`)"),
                target,
                &fk.referenced_columns,
            );
            fk.referenced_columns.clone()
        };
        if !fk.columns.is_empty() && referenced.len() != fk.columns.len() {
            c.err(
                &p,
                "columns",
                format!(
                    "{what} has {} column(s) but references {} column(s) of `{}`",
                    fk.columns.len(),
                    referenced.len(),
                    target.name
                ),
            )
            .help =
                Some("a foreign key pairs each of its columns with one referenced column".into());
            continue;
        }
        if referenced.iter().all(|r| target.column(r).is_some())
            && !is_unique_key(target, &referenced)
        {
            let deferrable_only = target.uniques.iter().any(|u| {
                u.deferrable
                    && u.columns.len() == referenced.len()
                    && u.columns.iter().all(|c| referenced.contains(c))
            });
            let (why, help) = if deferrable_only {
                (
                    "whose only unique constraint on them is deferrable",
                    "PostgreSQL cannot check a foreign key against a deferrable unique constraint; make that constraint not deferrable, or add a unique index on the columns",
                )
            } else {
                (
                    "which is neither its primary key nor unique",
                    "PostgreSQL needs a primary key or a unique constraint (or a unique index without `where`) on exactly the referenced columns; add one",
                )
            };
            c.err(
                &p,
                "references",
                format!(
                    "{what} references ({}) of `{}`, {why}",
                    referenced.join(", "),
                    target.name
                ),
            )
            .help = Some(help.into());
        }
    }
}

fn key_columns_exist<'k>(
    c: &mut Checker,
    p: &ObjectPath,
    field: &str,
    what: &str,
    t: &Table,
    keys: impl Iterator<Item = &'k IndexKey>,
) {
    for (j, k) in keys.enumerate() {
        if let IndexTarget::Column(col) = &k.target {
            if t.column(col).is_none() {
                let help = match did_you_mean(col, t.columns.iter().map(|c| c.name.as_str())) {
                    Some(m) => format!(
                        "did you mean `{m}`? (write an expression as `{{ expression = \"...\" }}`)"
                    ),
                    None => {
                        "declare the column, or write an expression as `{ expression = \"...\" }`"
                            .into()
                    }
                };
                let d = c.err(
                    p,
                    &format!("{field}.{j}"),
                    format!(
                        "{what} names column `{col}`, which table `{}` does not have",
                        t.name
                    ),
                );
                d.label = Some("no such column".into());
                d.help = Some(help);
            }
        }
    }
}

fn deferral(
    c: &mut Checker,
    p: &ObjectPath,
    what: &str,
    deferrable: bool,
    initially_deferred: bool,
) {
    if initially_deferred && !deferrable {
        c.err(
            p,
            "initially_deferred",
            format!("{what} is `initially_deferred` but not `deferrable`"),
        )
        .help = Some("add `deferrable = true`".into());
    }
}

/// Whether `columns` (in any order) are the primary key, a unique constraint, or a plain unique index.
fn is_unique_key(t: &Table, columns: &[String]) -> bool {
    let want: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
    let same = |cols: &mut dyn Iterator<Item = &str>| {
        let got: Vec<&str> = cols.collect();
        got.len() == want.len() && got.iter().all(|c| want.contains(c))
    };
    t.primary_key
        .as_ref()
        .is_some_and(|pk| !pk.deferrable && same(&mut pk.columns.iter().map(String::as_str)))
        || t.uniques
            .iter()
            .any(|u| !u.deferrable && same(&mut u.columns.iter().map(String::as_str)))
        || t.indexes.iter().any(|i| {
            i.unique
                && i.where_clause.is_none()
                && i.keys
                    .iter()
                    .all(|k| matches!(k.target, IndexTarget::Column(_)))
                && same(&mut i.keys.iter().filter_map(|k| match &k.target {
                    IndexTarget::Column(c) => Some(c.as_str()),
                    IndexTarget::Expression(_) => None,
                }))
        })
}

/// Foreign keys that leave out the referenced columns reference the primary key: write them out.
pub(crate) fn fill_referenced_columns(schema: &mut Schema) {
    let pks: BTreeMap<QualifiedName, Vec<String>> = schema
        .tables
        .iter()
        .filter_map(|t| {
            t.primary_key
                .as_ref()
                .map(|pk| (t.name.clone(), pk.columns.clone()))
        })
        .collect();
    for t in &mut schema.tables {
        let missing = |fk: &crate::ForeignKey| {
            fk.referenced_columns.is_empty() && pks.contains_key(&fk.references)
        };
        if !t.foreign_keys.iter().any(missing) {
            continue;
        }
        for fk in &mut std::sync::Arc::make_mut(t).foreign_keys {
            if fk.referenced_columns.is_empty() {
                if let Some(cols) = pks.get(&fk.references) {
                    fk.referenced_columns = cols.clone();
                }
            }
        }
    }
}
