//! Views and materialized views, in one place for the model stage: the type, its schema.toml form (decoding
//! and dump), its CREATE DDL and its checks. Introspection is `schemadiff_catalog::view`, the diff
//! `schemadiff_diff::diff::view`.
//!
//! ```toml
//! [views.active_users]
//! query = '''
//! SELECT id, email FROM users WHERE last_login_at > now() - interval '30 days'
//! '''
//! security_invoker = true
//!
//! [materialized_views.daily_totals]
//! query = "SELECT day, sum(amount) AS total FROM payments GROUP BY day"
//!
//! [[materialized_views.daily_totals.indexes]]
//! unique = true
//! columns = ["day"]
//! ```
//!
//! The query is kept as one query: it is lexed like every other fragment (no `;`, balanced parentheses, no
//! trailing `WITH CHECK OPTION` or `WITH NO DATA`, which have their own keys), and the server prints it back in
//! its own form (`pg_get_viewdef`), which is what dump writes and what the diff compares.

use std::fmt::Write;

use crate::dump::{comment_line, flag, index_entry, qualified_key, string_list, toml_string};
use crate::fragment::{FragmentKind, inert};
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, Key, ObjectPath, Val};
use crate::source::Diagnostic;
use crate::types::Index;

/// A view or a materialized view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: QualifiedName,
    pub materialized: bool,
    /// The query, as written (desired) or as the server prints it (canonical), without a final `;`.
    pub query: String,
    /// Names given to the output columns (`CREATE VIEW v (a, b) AS ...`); empty when the query names them. The
    /// canonical form has none: the server folds them into the query (`x AS a`).
    pub columns: Vec<String>,
    /// `WITH LOCAL|CASCADED CHECK OPTION` (views): `"local"` or `"cascaded"`.
    pub check_option: Option<String>,
    pub security_barrier: bool,
    /// PostgreSQL 15 and later.
    pub security_invoker: bool,
    /// Materialized views: filled when created (`WITH DATA`, the default) or not.
    pub with_data: bool,
    /// Materialized views only.
    pub indexes: Vec<Index>,
    pub comment: Option<String>,
    /// The output columns with their types, read from the catalog (empty as written): whether a new query can
    /// replace the old one in place depends on them.
    pub output: Vec<ViewColumn>,
    /// What the query reads, from the catalog's dependencies (`pg_depend` of the view's rewrite rule); empty
    /// as written.
    pub uses: Vec<ViewUse>,
}

impl View {
    pub fn new(name: QualifiedName, materialized: bool, query: impl Into<String>) -> Self {
        View {
            name,
            materialized,
            query: query.into(),
            columns: Vec::new(),
            check_option: None,
            security_barrier: false,
            security_invoker: false,
            with_data: true,
            indexes: Vec::new(),
            comment: None,
            output: Vec::new(),
            uses: Vec::new(),
        }
    }

    /// `view` or `materialized view`, as SQL spells the kind.
    pub fn kind_sql(&self) -> &'static str {
        if self.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        }
    }

    /// `view public.v` / `materialized view public.v`, for people.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind_sql().to_lowercase(), self.name.sql())
    }

    /// The schema.toml section of its kind.
    pub fn section(&self) -> &'static str {
        if self.materialized {
            "materialized_views"
        } else {
            "views"
        }
    }
}

/// An output column of a view.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ViewColumn {
    pub name: String,
    pub data_type: String,
}

/// Something a view's query reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViewUse {
    /// A table, view or materialized view as a whole.
    Relation(QualifiedName),
    /// One column of a table or view.
    Column(QualifiedName, String),
    /// A type defined in the database (an enum, ...).
    Type(QualifiedName),
}

pub(crate) const VIEW_KEYS: &[&str] = &[
    "query",
    "columns",
    "check_option",
    "security_barrier",
    "security_invoker",
    "triggers",
    "comment",
    "grants",
    "owner",
];
pub(crate) const MATERIALIZED_VIEW_KEYS: &[&str] = &[
    "query",
    "columns",
    "with_data",
    "indexes",
    "comment",
    "grants",
    "owner",
];
const CHECK_OPTIONS: [&str; 2] = ["local", "cascaded"];

impl Decoder {
    /// One entry of `[views]` or `[materialized_views]`.
    pub(crate) fn view(&mut self, k: &Key, v: &Val, materialized: bool) -> Option<View> {
        let noun = if materialized {
            "materialized view"
        } else {
            "view"
        };
        let section = if materialized {
            "materialized_views"
        } else {
            "views"
        };
        // One namespace for both: a view and a materialized view cannot share a name.
        let name = self.declare("views", noun, k)?;
        let what = format!("{noun} `{name}`");
        let hint = format!("write `[{section}.name]` with `query = \"SELECT ...\"`");
        let obj = self.element(
            ObjectPath::View(name.clone()),
            k.span(),
            v,
            what.clone(),
            &hint,
            if materialized {
                MATERIALIZED_VIEW_KEYS
            } else {
                VIEW_KEYS
            },
        )?;
        let query = match self.string(&obj, "query") {
            Some(q) => q.into_inner().trim().to_string(),
            None => {
                if obj.get("query").is_none() {
                    self.error(
                        Diagnostic::new(k.span(), format!("{what} has no `query`"))
                            .label("`query` is missing")
                            .help("add `query = \"SELECT ...\"` (a multi-line string ''' ... ''' reads best)"),
                    );
                }
                String::new()
            }
        };
        let mut view = View::new(name.clone(), materialized, query);
        view.columns = self.string_list(&obj, "columns").unwrap_or_default();
        view.comment = self.opt_string(&obj, "comment");
        if materialized {
            view.with_data = obj.get("with_data").is_none() || self.boolean(&obj, "with_data");
            view.indexes = self.array_of(&obj, "indexes", |d, i, item| d.index(&name, i, item));
        } else {
            view.check_option = self.choice(&obj, "check_option", &CHECK_OPTIONS);
            view.security_barrier = self.boolean(&obj, "security_barrier");
            view.security_invoker = self.boolean(&obj, "security_invoker");
            let triggers = self.array_of(&obj, "triggers", |d, i, item| d.trigger(&name, i, item));
            self.triggers.extend(triggers);
        }
        self.grants(&obj, crate::grant::GrantTarget::View(view.name.clone()));
        self.owner(&obj, crate::grant::GrantTarget::View(view.name.clone()));
        Some(view)
    }
}

/// `CREATE [MATERIALIZED] VIEW ...` for `v`.
pub fn create_view(v: &View) -> String {
    let mut sql = format!("CREATE {} {}", v.kind_sql(), v.name.sql());
    if !v.columns.is_empty() {
        let cols: Vec<String> = v.columns.iter().map(|c| quote_ident(c)).collect();
        sql.push_str(&format!(" ({})", cols.join(", ")));
    }
    let options = options(v);
    if !options.is_empty() {
        sql.push_str(&format!(" WITH ({})", options.join(", ")));
    }
    sql.push_str(" AS\n");
    sql.push_str(&inert(&v.query));
    if v.materialized && !v.with_data {
        sql.push_str("\nWITH NO DATA");
    }
    sql
}

/// Views in an order that creates each after the views it reads (known from `uses` once read from a
/// catalog), else in the order given; a view whose dependency is not among them keeps its place.
pub fn creation_order(views: &[View]) -> Vec<&View> {
    let mut done: Vec<&View> = Vec::with_capacity(views.len());
    let mut left: Vec<&View> = views.iter().collect();
    while !left.is_empty() {
        let ready = left.iter().position(|v| {
            v.uses.iter().all(|u| match u {
                ViewUse::Relation(q) | ViewUse::Column(q, _) => {
                    q == &v.name || !left.iter().any(|o| &o.name == q)
                }
                ViewUse::Type(_) => true,
            })
        });
        // A cycle cannot be created; keep the given order for whatever is left.
        let i = ready.unwrap_or(0);
        done.push(left.remove(i));
    }
    done
}

/// `CREATE OR REPLACE VIEW ...` for `v` (plain views only).
pub fn replace_view(v: &View) -> String {
    create_view(v).replacen("CREATE VIEW", "CREATE OR REPLACE VIEW", 1)
}

/// The storage options of a view (`WITH (...)`).
fn options(v: &View) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(o) = &v.check_option {
        out.push(format!("check_option = {}", quote_literal(o)));
    }
    if v.security_barrier {
        out.push("security_barrier = true".into());
    }
    if v.security_invoker {
        out.push("security_invoker = true".into());
    }
    out
}

/// `COMMENT ON [MATERIALIZED] VIEW v IS ...`.
pub fn comment_on_view(v: &View, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON {} {} IS {}",
        v.kind_sql(),
        v.name.sql(),
        comment.as_deref().map_or("NULL".into(), quote_literal)
    )
}

/// `DROP [MATERIALIZED] VIEW v`.
pub fn drop_view(v: &View) -> String {
    format!("DROP {} {}", v.kind_sql(), v.name.sql())
}

/// The schema.toml text of `v`.
pub(crate) fn dump(out: &mut String, v: &View, owner: Option<&str>) {
    let key = format!("{}.{}", v.section(), qualified_key(&v.name));
    let _ = writeln!(out, "[{key}]");
    crate::owner::line(out, owner);
    let _ = writeln!(out, "query = {}", multiline(&v.query));
    if !v.columns.is_empty() {
        let _ = writeln!(out, "columns = {}", string_list(&v.columns));
    }
    if let Some(o) = &v.check_option {
        let _ = writeln!(out, "check_option = {}", toml_string(o));
    }
    flag(out, "security_barrier", v.security_barrier);
    flag(out, "security_invoker", v.security_invoker);
    if v.materialized && !v.with_data {
        out.push_str("with_data = false\n");
    }
    comment_line(out, &v.comment);
    out.push('\n');
    for idx in &v.indexes {
        index_entry(out, &key, &v.name.name, idx);
    }
}

/// A query as a TOML multi-line literal string when it can be one (readable, byte for byte), else a basic
/// string with escapes.
fn multiline(text: &str) -> String {
    let fits = !text.contains("'''")
        && !text.ends_with('\'')
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t');
    if fits && text.contains('\n') {
        format!("'''\n{text}\n'''")
    } else {
        toml_string(text)
    }
}

/// The checks of the model stage: names, the query as one query, options that belong to one kind.
pub(crate) fn check(c: &mut crate::validate::Checker, v: &View) {
    let p = ObjectPath::View(v.name.clone());
    let noun = if v.materialized {
        "materialized view"
    } else {
        "view"
    };
    let what = format!("{noun} `{}`", v.name);
    c.name(&p, "", &what, &v.name.name);
    for col in &v.columns {
        c.name(&p, "columns", &format!("a column of {what}"), col);
    }
    if v.query.is_empty() {
        if c.spans.has_field(&p, "query") {
            c.err(&p, "query", format!("{what} has an empty query"))
                .help =
                Some("write the query, e.g. `query = \"SELECT id, email FROM users\"`".into());
        }
    } else {
        c.fragment(
            &p,
            "query",
            &format!("the query of {what}"),
            Some(&v.query),
            FragmentKind::Query,
        );
    }
    c.no_nul(&p, "comment", "the comment", v.comment.as_deref());
}
