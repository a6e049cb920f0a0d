//! Privileges (GRANT and REVOKE), the model stage, one place for every kind of object that has them:
//! tables and their columns, views and materialized views, sequences, functions and procedures, schemas,
//! and types (enums, domains, composite and range types).
//!
//! schema.toml writes them under their object, one shape for every kind: a table of roles, each with the
//! list of its privileges, a privilege with the right to grant it on as `{ privilege = "...",
//! grant_option = true }`; `public` is PUBLIC (every role):
//!
//! ```toml
//! [tables.documents.grants]
//! app_user = ["select", "insert"]
//! auditor = [{ privilege = "select", grant_option = true }]
//!
//! [tables.documents.column_grants.title]
//! reporter = ["select"]
//!
//! [functions."public.secret()".grants]   # no `public`: EXECUTE revoked from PUBLIC
//! app_user = ["execute"]
//! ```
//!
//! No `grants` key means PostgreSQL's defaults for a new object (nothing for tables, sequences, schemas and
//! columns; EXECUTE to PUBLIC on functions and procedures; USAGE to PUBLIC on types); a `grants` key is the
//! exact set. The owner's own privileges are never part of it (ownership is not modelled). The schema keeps
//! one list ([`crate::Schema::grants`]) of the objects whose privileges differ from the defaults; the
//! catalog stage is `schemadiff_catalog::grant`, the diff `schemadiff_diff::grant`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::dump::{qualified_key, toml_key, toml_string};
use crate::fragment::inert;
use crate::ident::{QualifiedName, quote_ident};
use crate::load::{Decoder, Obj, ObjectPath, Val, kind};
use crate::source::Diagnostic;

/// The grantee that means PUBLIC (every role); a role cannot be named `public`.
pub const PUBLIC: &str = crate::policy::PUBLIC;

/// An object that has privileges.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantTarget {
    Schema(String),
    Type(QualifiedName),
    Sequence(QualifiedName),
    Table(QualifiedName),
    Column(QualifiedName, String),
    /// A view or materialized view.
    View(QualifiedName),
    /// A function or procedure: its name, input argument types (`Function::signature`; as written, the
    /// arguments of its key without defaults) and whether it is a procedure.
    Function(QualifiedName, String, bool),
    /// Default privileges (`ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] ... ON TABLES`): what the
    /// objects `role` creates later (in schema `s`, or anywhere) get.
    Default(String, Option<String>, DefaultObjects),
}

/// The objects default privileges apply to (`ON TABLES`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultObjects {
    Tables,
    Sequences,
    Functions,
    Types,
    Schemas,
}

impl DefaultObjects {
    pub const ALL: [DefaultObjects; 5] = [
        DefaultObjects::Tables,
        DefaultObjects::Sequences,
        DefaultObjects::Functions,
        DefaultObjects::Types,
        DefaultObjects::Schemas,
    ];

    /// `tables`, as schema.toml writes it.
    pub fn key(self) -> &'static str {
        match self {
            DefaultObjects::Tables => "tables",
            DefaultObjects::Sequences => "sequences",
            DefaultObjects::Functions => "functions",
            DefaultObjects::Types => "types",
            DefaultObjects::Schemas => "schemas",
        }
    }

    /// `pg_default_acl.defaclobjtype`.
    pub fn from_catalog(c: &str) -> Option<DefaultObjects> {
        Some(match c {
            "r" => DefaultObjects::Tables,
            "S" => DefaultObjects::Sequences,
            "f" => DefaultObjects::Functions,
            "T" => DefaultObjects::Types,
            "n" => DefaultObjects::Schemas,
            _ => return None,
        })
    }

    fn from_key(k: &str) -> Option<DefaultObjects> {
        DefaultObjects::ALL.into_iter().find(|o| o.key() == k)
    }
}

/// One privilege of one grantee.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Privilege {
    /// A role, or [`PUBLIC`].
    pub grantee: String,
    /// Lower case: `select`, `execute`, `usage`, ...
    pub privilege: String,
    /// WITH GRANT OPTION.
    pub grant_option: bool,
}

/// The exact privileges of an object that differ from PostgreSQL's defaults for a new one (the owner's
/// aside), sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectGrants {
    pub target: GrantTarget,
    pub privileges: Vec<Privilege>,
}

const TABLE_PRIVILEGES: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "truncate",
    "references",
    "trigger",
    "maintain",
];
const COLUMN_PRIVILEGES: &[&str] = &["select", "insert", "update", "references"];
const SEQUENCE_PRIVILEGES: &[&str] = &["usage", "select", "update"];
const FUNCTION_PRIVILEGES: &[&str] = &["execute"];
const SCHEMA_PRIVILEGES: &[&str] = &["usage", "create"];
const TYPE_PRIVILEGES: &[&str] = &["usage"];

impl GrantTarget {
    /// The qualified name of the object (of the table, for a column); `None` for a schema.
    pub fn name(&self) -> Option<&QualifiedName> {
        match self {
            GrantTarget::Schema(_) | GrantTarget::Default(..) => None,
            GrantTarget::Type(q)
            | GrantTarget::Sequence(q)
            | GrantTarget::Table(q)
            | GrantTarget::Column(q, _)
            | GrantTarget::View(q)
            | GrantTarget::Function(q, ..) => Some(q),
        }
    }

    /// The privileges the object's kind has.
    pub fn allowed(&self) -> &'static [&'static str] {
        match self {
            GrantTarget::Table(_) | GrantTarget::View(_) => TABLE_PRIVILEGES,
            GrantTarget::Column(..) => COLUMN_PRIVILEGES,
            GrantTarget::Sequence(_) => SEQUENCE_PRIVILEGES,
            GrantTarget::Function(..) => FUNCTION_PRIVILEGES,
            GrantTarget::Schema(_) => SCHEMA_PRIVILEGES,
            GrantTarget::Type(_) => TYPE_PRIVILEGES,
            GrantTarget::Default(_, _, on) => match on {
                DefaultObjects::Tables => TABLE_PRIVILEGES,
                DefaultObjects::Sequences => SEQUENCE_PRIVILEGES,
                DefaultObjects::Functions => FUNCTION_PRIVILEGES,
                DefaultObjects::Types => TYPE_PRIVILEGES,
                DefaultObjects::Schemas => SCHEMA_PRIVILEGES,
            },
        }
    }

    /// What PostgreSQL grants on a new object of this kind (its owner's privileges aside).
    pub fn defaults(&self) -> BTreeSet<Privilege> {
        let public = |p: &str| Privilege {
            grantee: PUBLIC.into(),
            privilege: p.into(),
            grant_option: false,
        };
        match self {
            GrantTarget::Function(..) => [public("execute")].into(),
            GrantTarget::Type(_) => [public("usage")].into(),
            // Default privileges in a schema only add to the global ones: none is the default.
            GrantTarget::Default(_, None, DefaultObjects::Functions) => [public("execute")].into(),
            GrantTarget::Default(_, None, DefaultObjects::Types) => [public("usage")].into(),
            _ => BTreeSet::new(),
        }
    }

    /// `TABLE public.t`: the object as GRANT names it (a column's table: the column goes with the
    /// privilege).
    pub fn sql(&self) -> String {
        match self {
            GrantTarget::Schema(s) => format!("SCHEMA {}", quote_ident(s)),
            GrantTarget::Type(q) => format!("TYPE {}", q.sql()),
            GrantTarget::Sequence(q) => format!("SEQUENCE {}", q.sql()),
            GrantTarget::Table(q) | GrantTarget::View(q) | GrantTarget::Column(q, _) => {
                format!("TABLE {}", q.sql())
            }
            GrantTarget::Function(q, signature, procedure) => format!(
                "{} {}({})",
                if *procedure { "PROCEDURE" } else { "FUNCTION" },
                q.sql(),
                inert(signature)
            ),
            GrantTarget::Default(_, _, on) => on.key().to_uppercase(),
        }
    }

    /// What precedes GRANT and REVOKE: `ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s ` for default
    /// privileges, else nothing.
    fn prefix(&self) -> String {
        match self {
            GrantTarget::Default(role, schema, _) => format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {}{} ",
                quote_ident(role),
                schema
                    .as_ref()
                    .map(|s| format!(" IN SCHEMA {}", quote_ident(s)))
                    .unwrap_or_default()
            ),
            _ => String::new(),
        }
    }

    /// `table public.t`, `column public.t.c`, for people.
    pub fn label(&self) -> String {
        match self {
            GrantTarget::Schema(s) => format!("schema {}", quote_ident(s)),
            GrantTarget::Type(q) => format!("type {}", q.sql()),
            GrantTarget::Sequence(q) => format!("sequence {}", q.sql()),
            GrantTarget::Table(q) => format!("table {}", q.sql()),
            GrantTarget::View(q) => format!("view {}", q.sql()),
            GrantTarget::Column(q, c) => format!("column {}.{}", q.sql(), quote_ident(c)),
            GrantTarget::Function(q, signature, procedure) => format!(
                "{} {}({signature})",
                if *procedure { "procedure" } else { "function" },
                q.sql()
            ),
            GrantTarget::Default(role, schema, on) => format!(
                "default privileges for role {}{} on {}",
                quote_ident(role),
                schema
                    .as_ref()
                    .map(|s| format!(" in schema {}", quote_ident(s)))
                    .unwrap_or_default(),
                on.key()
            ),
        }
    }

    /// The name of a privilege in a statement: `SELECT`, or `SELECT (c)` for a column.
    fn privilege_sql(&self, privilege: &str) -> String {
        match self {
            GrantTarget::Column(_, c) => {
                format!("{} ({})", privilege.to_uppercase(), quote_ident(c))
            }
            _ => privilege.to_uppercase(),
        }
    }
}

/// The privileges `grants` gives its object: the exact set when there is one, else the defaults.
pub fn effective(target: &GrantTarget, grants: Option<&ObjectGrants>) -> BTreeSet<Privilege> {
    match grants {
        Some(g) => g.privileges.iter().cloned().collect(),
        None => target.defaults(),
    }
}

/// `PUBLIC` or the quoted role.
pub fn grantee_sql(grantee: &str) -> String {
    if grantee == PUBLIC {
        "PUBLIC".into()
    } else {
        quote_ident(grantee)
    }
}

/// The GRANT and REVOKE statements that turn the privileges `old` of `target` into `new`, per grantee in
/// order: revocations, grant options taken away, then grants.
pub fn statements(
    target: &GrantTarget,
    old: &BTreeSet<Privilege>,
    new: &BTreeSet<Privilege>,
) -> Vec<String> {
    type Held = BTreeMap<String, bool>;
    let by_grantee = |set: &BTreeSet<Privilege>| {
        let mut m: BTreeMap<String, Held> = BTreeMap::new();
        for p in set {
            m.entry(p.grantee.clone())
                .or_default()
                .insert(p.privilege.clone(), p.grant_option);
        }
        m
    };
    let (old, new) = (by_grantee(old), by_grantee(new));
    let grantees: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let empty = Held::new();
    let on = target.sql();
    let pre = target.prefix();
    let mut out = Vec::new();
    for g in grantees {
        let (o, n) = (old.get(g).unwrap_or(&empty), new.get(g).unwrap_or(&empty));
        let list = |names: Vec<&String>| {
            names
                .iter()
                .map(|p| target.privilege_sql(p))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let who = grantee_sql(g);
        let revoke: Vec<&String> = o.keys().filter(|p| !n.contains_key(*p)).collect();
        if !revoke.is_empty() {
            out.push(format!("{pre}REVOKE {} ON {on} FROM {who}", list(revoke)));
        }
        let lose_option: Vec<&String> = o
            .iter()
            .filter(|(p, go)| **go && n.get(*p) == Some(&false))
            .map(|(p, _)| p)
            .collect();
        if !lose_option.is_empty() {
            out.push(format!(
                "{pre}REVOKE GRANT OPTION FOR {} ON {on} FROM {who}",
                list(lose_option)
            ));
        }
        for with_option in [false, true] {
            let grant: Vec<&String> = n
                .iter()
                .filter(|(p, go)| {
                    **go == with_option
                        && match o.get(*p) {
                            None => true,
                            Some(had) => with_option && !had,
                        }
                })
                .map(|(p, _)| p)
                .collect();
            if !grant.is_empty() {
                out.push(format!(
                    "{pre}GRANT {} ON {on} TO {who}{}",
                    list(grant),
                    if with_option {
                        " WITH GRANT OPTION"
                    } else {
                        ""
                    }
                ));
            }
        }
    }
    out
}

/// What gives the objects of `schema` their privileges once they exist.
pub fn create_statements(schema: &crate::Schema) -> Vec<(ObjectPath, String)> {
    let mut out = Vec::new();
    for g in &schema.grants {
        let old = g.target.defaults();
        let new = effective(&g.target, Some(g));
        for sql in statements(&g.target, &old, &new) {
            out.push((ObjectPath::Grants(g.target.clone()), sql));
        }
    }
    out
}

impl Decoder {
    /// The `grants` of an element (`obj`), for `target`, if written: a table of roles.
    pub(crate) fn grants(&mut self, obj: &Obj, target: GrantTarget) {
        let Some(v) = obj.get("grants") else {
            return;
        };
        self.grants_table(v, &format!("`grants` of {}", obj.what), target);
    }

    /// `[tables.t.column_grants]`: one table of grants per column.
    pub(crate) fn column_grants(&mut self, obj: &Obj, table: &QualifiedName) {
        let Some(v) = obj.get("column_grants") else {
            return;
        };
        let what = format!("`column_grants` of {}", obj.what);
        let Some(t) = self.table(
            v,
            &what,
            "write `[tables.name.column_grants.column]` with one `role = [\"select\"]` line per role",
        ) else {
            return;
        };
        for (k, cv) in t.iter() {
            let column = k.get_ref().to_string();
            self.grants_table(
                cv,
                &format!("the grants of column `{column}` of table `{table}`"),
                GrantTarget::Column(table.clone(), column),
            );
        }
    }

    /// `[[default_privileges]]`: one entry per role, schema (or none: every schema) and kind of object.
    pub(crate) fn default_privileges(&mut self, root: &toml::de::DeTable) {
        let top = Obj {
            table: root,
            what: "the top level of the file".into(),
            path: None,
        };
        let Some(v) = top.get("default_privileges") else {
            return;
        };
        let items: Vec<&Val> = match v.get_ref() {
            toml::de::DeValue::Array(items) => items.iter().collect(),
            other => {
                self.error(
                    Diagnostic::new(
                        v.span(),
                        format!("`default_privileges` must be an array of tables, found {}", kind(other)),
                    )
                    .help("write each entry as `[[default_privileges]]` with `for_role`, `on` and `grants`"),
                );
                return;
            }
        };
        let kinds: Vec<&str> = DefaultObjects::ALL.iter().map(|o| o.key()).collect();
        for (i, item) in items.into_iter().enumerate() {
            let what = format!("entry {} of `default_privileges`", i + 1);
            let Some(t) = self.table(
                item,
                &what,
                "write `[[default_privileges]]` with `for_role`, `on` and `grants`",
            ) else {
                continue;
            };
            let obj = Obj {
                table: t,
                what: what.clone(),
                path: None,
            };
            self.check_keys(&obj, &["for_role", "in_schema", "on", "grants"]);
            let mut missing = Vec::new();
            for key in ["for_role", "on", "grants"] {
                if obj.get(key).is_none() {
                    missing.push(key);
                }
            }
            if !missing.is_empty() {
                self.error(
                    Diagnostic::new(item.span(), format!("{what} has no `{}`", missing.join("`, `")))
                        .help("write `for_role = \"role\"` (the role whose new objects get them), `on = \"tables\"` and `grants = { role = [\"select\"] }`"),
                );
                continue;
            }
            let role = self.opt_string(&obj, "for_role");
            let schema = self.opt_string(&obj, "in_schema");
            let on = self.choice(&obj, "on", &kinds);
            let (Some(role), Some(on)) = (role, on.as_deref().and_then(DefaultObjects::from_key))
            else {
                continue;
            };
            let target = GrantTarget::Default(role, schema, on);
            let path = ObjectPath::Grants(target.clone());
            for key in ["for_role", "in_schema", "on"] {
                if let Some(kv) = obj.get(key) {
                    self.spans.insert(path.clone(), key, kv.span());
                }
            }
            let g = obj.get("grants").expect("checked above");
            self.grants_table(g, &format!("`grants` of {what}"), target);
        }
    }

    fn grants_table(&mut self, v: &Val, what: &str, target: GrantTarget) {
        let path = ObjectPath::Grants(target.clone());
        self.spans.insert(path.clone(), "", v.span());
        self.spans.insert(path.clone(), "grants", v.span());
        let Some(t) = self.table(
            v,
            what,
            "write one `role = [\"privilege\", ...]` line per role (`public` for every role)",
        ) else {
            return;
        };
        let allowed = target.allowed();
        let mut privileges = BTreeSet::new();
        for (k, list) in t.iter() {
            let grantee = k.get_ref().to_string();
            self.spans
                .insert(path.clone(), format!("grants.{grantee}"), k.span());
            let items: Vec<&Val> = match list.get_ref() {
                toml::de::DeValue::Array(items) => items.iter().collect(),
                other => {
                    self.error(
                        Diagnostic::new(
                            list.span(),
                            format!(
                                "the privileges of `{grantee}` in {what} must be a list, found {}",
                                kind(other)
                            ),
                        )
                        .help("write `role = [\"select\"]`"),
                    );
                    continue;
                }
            };
            for item in items {
                let (privilege, grant_option, span) = match item.get_ref() {
                    toml::de::DeValue::String(s) => (s.to_string(), false, item.span()),
                    toml::de::DeValue::Table(pt) => {
                        let obj = Obj {
                            table: pt,
                            what: format!("a privilege of `{grantee}` in {what}"),
                            path: None,
                        };
                        self.check_keys(&obj, &["privilege", "grant_option"]);
                        let Some(p) = self.opt_string(&obj, "privilege") else {
                            self.error(
                                Diagnostic::new(
                                    item.span(),
                                    format!("{} has no `privilege`", obj.what),
                                )
                                .help("write `{ privilege = \"select\", grant_option = true }`"),
                            );
                            continue;
                        };
                        (p, self.boolean(&obj, "grant_option"), item.span())
                    }
                    other => {
                        self.error(Diagnostic::new(
                            item.span(),
                            format!(
                                "a privilege of `{grantee}` in {what} must be a string or a table, found {}",
                                kind(other)
                            ),
                        ));
                        continue;
                    }
                };
                let privilege = privilege.trim().to_ascii_lowercase();
                if !allowed.contains(&privilege.as_str()) {
                    self.error(
                        Diagnostic::new(
                            span,
                            format!("`{privilege}` is not a privilege of {}", target.label()),
                        )
                        .label("unknown privilege")
                        .help(format!("the privileges here are: {}", allowed.join(", "))),
                    );
                    continue;
                }
                privileges.insert(Privilege {
                    grantee: grantee.clone(),
                    privilege,
                    grant_option,
                });
            }
        }
        self.grant_lists.push(ObjectGrants {
            target,
            privileges: privileges.into_iter().collect(),
        });
    }
}

/// The grants of `target` in `schema` as a schema.toml table under `section` (`tables.x`), if it has any
/// that differ from the defaults.
pub(crate) fn dump(out: &mut String, section: &str, schema: &crate::Schema, target: &GrantTarget) {
    let Some(g) = schema.grants.iter().find(|g| &g.target == target) else {
        return;
    };
    dump_grants(out, section, g);
}

/// The grants `g` (of `g.target`) under `section`.
pub(crate) fn dump_grants(out: &mut String, section: &str, g: &ObjectGrants) {
    let target = &g.target;
    match target {
        GrantTarget::Column(_, c) => {
            let _ = writeln!(out, "[{section}.column_grants.{}]", toml_key(c));
        }
        _ => {
            let _ = writeln!(out, "[{section}.grants]");
        }
    }
    let mut by_grantee: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in &g.privileges {
        by_grantee
            .entry(&p.grantee)
            .or_default()
            .push(if p.grant_option {
                format!(
                    "{{ privilege = {}, grant_option = true }}",
                    toml_string(&p.privilege)
                )
            } else {
                toml_string(&p.privilege)
            });
    }
    for (grantee, list) in by_grantee {
        let _ = writeln!(out, "{} = [{}]", toml_key(grantee), list.join(", "));
    }
    out.push('\n');
}

/// `[[default_privileges]]`, one entry per role, schema and kind of object.
pub(crate) fn dump_defaults(out: &mut String, schema: &crate::Schema) {
    for g in &schema.grants {
        let GrantTarget::Default(role, in_schema, on) = &g.target else {
            continue;
        };
        let _ = writeln!(out, "[[default_privileges]]");
        let _ = writeln!(out, "for_role = {}", toml_string(role));
        if let Some(s) = in_schema {
            let _ = writeln!(out, "in_schema = {}", toml_string(s));
        }
        let _ = writeln!(out, "on = {}\n", toml_string(on.key()));
        dump(out, "default_privileges", schema, &g.target);
    }
}

/// The grants of a table and of its columns, under `tables.x`.
/// `grants` holds a schema's grants by target, the first of two for one target (as [`dump`] finds them).
pub(crate) fn dump_table(
    out: &mut String,
    grants: &std::collections::HashMap<&GrantTarget, &ObjectGrants>,
    t: &crate::Table,
) {
    if grants.is_empty() {
        return;
    }
    let section = format!("tables.{}", qualified_key(&t.name));
    let targets = std::iter::once(GrantTarget::Table(t.name.clone())).chain(
        t.columns
            .iter()
            .map(|c| GrantTarget::Column(t.name.clone(), c.name.clone())),
    );
    for target in targets {
        if let Some(g) = grants.get(&target) {
            dump_grants(out, &section, g);
        }
    }
}

/// The checks of the model stage: grantees are names (PUBLIC aside), an object's grants are written once,
/// and belong to an object of the schema.
pub(crate) fn check_all(c: &mut crate::validate::Checker, schema: &crate::Schema) {
    let mut seen = BTreeSet::new();
    let tables = schema.tables_by_name();
    for g in &schema.grants {
        let path = ObjectPath::Grants(g.target.clone());
        if !seen.insert(&g.target) {
            c.err(
                &path,
                "grants",
                format!("the grants of {} are written twice", g.target.label()),
            );
        }
        if let GrantTarget::Default(role, in_schema, on) = &g.target {
            c.name(&path, "for_role", "the role of default privileges", role);
            if role == PUBLIC {
                c.err(
                    &path,
                    "for_role",
                    "default privileges are for a role, not for PUBLIC".to_string(),
                )
                .help = Some("name the role whose new objects get these privileges".into());
            }
            if let Some(s) = in_schema {
                if *on == DefaultObjects::Schemas {
                    c.err(
                        &path,
                        "in_schema",
                        "default privileges on schemas cannot be limited to a schema".to_string(),
                    )
                    .help = Some("remove `in_schema`".into());
                } else if s != "public" && !schema.schemas.iter().any(|d| &d.name == s) {
                    c.err(
                        &path,
                        "in_schema",
                        format!(
                            "{} is in schema `{s}`, which is not declared",
                            g.target.label()
                        ),
                    )
                    .help = Some(format!("declare it: `[schemas.{}]`", toml_key(s)));
                }
            }
        }
        if let GrantTarget::Column(t, col) = &g.target {
            if tables.get(t).is_some_and(|t| t.column(col).is_none()) {
                c.err(
                    &path,
                    "grants",
                    format!("table `{t}` has no column `{col}` to grant privileges on"),
                )
                .help = Some("name a column of `[tables.name.columns]`".into());
            }
        }
        for p in &g.privileges {
            if p.grantee != PUBLIC {
                c.name(
                    &path,
                    &format!("grants.{}", p.grantee),
                    &format!("a grantee of {}", g.target.label()),
                    &p.grantee,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(grantee: &str, privilege: &str, grant_option: bool) -> Privilege {
        Privilege {
            grantee: grantee.into(),
            privilege: privilege.into(),
            grant_option,
        }
    }

    #[test]
    fn revocations_lost_options_and_grants_per_grantee() {
        let t = GrantTarget::Table(QualifiedName::new("public", "t"));
        let old = [
            p("a", "select", true),
            p("a", "insert", false),
            p("b", "delete", false),
            p(PUBLIC, "select", false),
        ]
        .into();
        let new = [
            p("a", "select", false),
            p("a", "update", true),
            p("b", "delete", true),
            p("we\"ird; x", "select", false),
        ]
        .into();
        assert_eq!(
            statements(&t, &old, &new),
            [
                "REVOKE INSERT ON TABLE public.t FROM a",
                "REVOKE GRANT OPTION FOR SELECT ON TABLE public.t FROM a",
                "GRANT UPDATE ON TABLE public.t TO a WITH GRANT OPTION",
                "GRANT DELETE ON TABLE public.t TO b WITH GRANT OPTION",
                "REVOKE SELECT ON TABLE public.t FROM PUBLIC",
                "GRANT SELECT ON TABLE public.t TO \"we\"\"ird; x\"",
            ]
        );
        assert!(statements(&t, &new, &new).is_empty());
    }

    #[test]
    fn columns_functions_and_defaults() {
        let c = GrantTarget::Column(QualifiedName::new("app", "t"), "Col".into());
        assert_eq!(
            statements(&c, &BTreeSet::new(), &[p("r", "select", false)].into()),
            ["GRANT SELECT (\"Col\") ON TABLE app.t TO r"]
        );
        let f = GrantTarget::Function(QualifiedName::new("public", "f"), "integer".into(), false);
        // Without `grants`, PUBLIC may execute; an empty set revokes it.
        assert_eq!(
            statements(&f, &effective(&f, None), &BTreeSet::new()),
            ["REVOKE EXECUTE ON FUNCTION public.f(integer) FROM PUBLIC"]
        );
        let ty = GrantTarget::Type(QualifiedName::new("public", "mood"));
        assert_eq!(effective(&ty, None), [p(PUBLIC, "usage", false)].into());
        assert!(GrantTarget::Schema("s".into()).defaults().is_empty());
    }

    #[test]
    fn default_privileges_statements_and_defaults() {
        let d = GrantTarget::Default("own er".into(), Some("app".into()), DefaultObjects::Tables);
        assert_eq!(
            statements(&d, &BTreeSet::new(), &[p("r", "select", true)].into()),
            [
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"own er\" IN SCHEMA app GRANT SELECT ON TABLES TO r WITH GRANT OPTION"
            ]
        );
        let f = GrantTarget::Default("o".into(), None, DefaultObjects::Functions);
        assert_eq!(
            statements(&f, &f.defaults(), &BTreeSet::new()),
            ["ALTER DEFAULT PRIVILEGES FOR ROLE o REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC"]
        );
        // In a schema, default privileges only add to the global ones.
        assert!(
            GrantTarget::Default("o".into(), Some("app".into()), DefaultObjects::Types)
                .defaults()
                .is_empty()
        );
        assert_eq!(
            GrantTarget::Default("o".into(), None, DefaultObjects::Types).defaults(),
            [p(PUBLIC, "usage", false)].into()
        );
    }
}
