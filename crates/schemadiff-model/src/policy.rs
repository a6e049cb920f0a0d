//! Row-level security, the model stage: a table's `row_level_security` and `force_row_level_security`
//! flags (fields of [`crate::Table`]) and its policies, written under the table like triggers
//! (`[[tables.t.policies]]`) and kept in one list of the schema (`Schema::policies`) with the name of their
//! table. Introspection is `schemadiff_catalog::policy`, the diff `schemadiff_diff::policy`.
//!
//! ```toml
//! [tables.documents]
//! row_level_security = true
//!
//! [[tables.documents.policies]]
//! name = "owner_reads"
//! command = "select"
//! roles = ["app_user"]
//! using = "owner = current_user"
//! ```

use std::fmt::Write;

use crate::dump::{comment_line, flag, string_list, toml_string};
use crate::fragment::{FragmentKind, inert};
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, ObjectPath, Val};
use crate::source::Diagnostic;

/// The role list entry that means PUBLIC (every role); a role cannot be named `public`.
pub const PUBLIC: &str = "public";

/// A policy of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub table: QualifiedName,
    pub name: String,
    /// AS RESTRICTIVE (else PERMISSIVE, the default).
    pub restrictive: bool,
    /// `"all"`, `"select"`, `"insert"`, `"update"` or `"delete"`.
    pub command: String,
    /// The roles it applies to, sorted; [`PUBLIC`] for every role.
    pub roles: Vec<String>,
    /// USING (expression), without the parentheses.
    pub using: Option<String>,
    /// WITH CHECK (expression), without the parentheses.
    pub with_check: Option<String>,
    pub comment: Option<String>,
    /// What its expressions use (functions, columns, other tables), from `pg_depend`; empty as written.
    pub uses: Vec<crate::function::FunctionUse>,
}

pub(crate) const POLICY_KEYS: &[&str] = &[
    "name",
    "command",
    "restrictive",
    "roles",
    "using",
    "with_check",
    "comment",
];
const COMMANDS: [&str; 5] = ["all", "select", "insert", "update", "delete"];

impl Policy {
    /// `policy p on public.t`, for people.
    pub fn label(&self) -> String {
        format!("policy {} on {}", quote_ident(&self.name), self.table.sql())
    }

    /// The roles as SQL: `PUBLIC` or quoted names.
    pub fn roles_sql(&self) -> String {
        if self.roles.is_empty() {
            return "PUBLIC".into();
        }
        let r: Vec<String> = self
            .roles
            .iter()
            .map(|r| {
                if r == PUBLIC {
                    "PUBLIC".into()
                } else {
                    quote_ident(r)
                }
            })
            .collect();
        r.join(", ")
    }
}

impl Decoder {
    /// One entry of `[[tables.t.policies]]`.
    pub(crate) fn policy(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<Policy> {
        let what = format!("policy #{} of `{table}`", i + 1);
        let name_of = match v.get_ref() {
            toml::de::DeValue::Table(t) => t
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == "name")
                .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string)),
            _ => None,
        };
        let path = ObjectPath::Policy(table.clone(), name_of.clone().unwrap_or_default());
        let obj = self.element(
            path,
            v.span(),
            v,
            what.clone(),
            "write `[[tables.name.policies]]` with `name` and `using` or `with_check`",
            POLICY_KEYS,
        )?;
        let Some(name) = self.opt_string(&obj, "name") else {
            self.error(
                Diagnostic::new(v.span(), format!("{what} has no `name`"))
                    .help("add `name = \"...\"`"),
            );
            return None;
        };
        let command = self
            .choice(&obj, "command", &COMMANDS)
            .unwrap_or_else(|| "all".into());
        let mut roles = match obj.get("roles") {
            Some(_) => self.string_list(&obj, "roles").unwrap_or_default(),
            None => vec![PUBLIC.to_string()],
        };
        roles.sort();
        roles.dedup();
        Some(Policy {
            table: table.clone(),
            name,
            restrictive: self.boolean(&obj, "restrictive"),
            command,
            roles,
            using: self.opt_string(&obj, "using").map(|w| w.trim().to_string()),
            with_check: self
                .opt_string(&obj, "with_check")
                .map(|w| w.trim().to_string()),
            comment: self.opt_string(&obj, "comment"),
            uses: Vec::new(),
        })
    }
}

/// `CREATE POLICY ...` for `p`.
pub fn create_policy(p: &Policy) -> String {
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        quote_ident(&p.name),
        p.table.sql(),
        if p.restrictive {
            "RESTRICTIVE"
        } else {
            "PERMISSIVE"
        },
        p.command.to_uppercase(),
        p.roles_sql()
    );
    if let Some(u) = &p.using {
        let _ = write!(sql, " USING ({})", inert(u));
    }
    if let Some(c) = &p.with_check {
        let _ = write!(sql, " WITH CHECK ({})", inert(c));
    }
    sql
}

/// `ALTER POLICY ...` that gives `old` the roles and expressions of `new` (`None` when an expression is
/// removed, which ALTER POLICY cannot do: the policy is then made anew).
pub fn alter_policy(old: &Policy, new: &Policy) -> Option<String> {
    if (old.using.is_some() && new.using.is_none())
        || (old.with_check.is_some() && new.with_check.is_none())
    {
        return None;
    }
    let mut sql = format!(
        "ALTER POLICY {} ON {}",
        quote_ident(&new.name),
        new.table.sql()
    );
    if old.roles != new.roles {
        let _ = write!(sql, " TO {}", new.roles_sql());
    }
    if old.using != new.using
        && let Some(u) = &new.using
    {
        let _ = write!(sql, " USING ({})", inert(u));
    }
    if old.with_check != new.with_check
        && let Some(c) = &new.with_check
    {
        let _ = write!(sql, " WITH CHECK ({})", inert(c));
    }
    Some(sql)
}

/// `COMMENT ON POLICY p ON t IS ...`.
pub fn comment_on_policy(p: &Policy, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON POLICY {} ON {} IS {}",
        quote_ident(&p.name),
        p.table.sql(),
        comment.as_deref().map_or("NULL".into(), quote_literal)
    )
}

/// `DROP POLICY p ON t`.
pub fn drop_policy(p: &Policy) -> String {
    format!("DROP POLICY {} ON {}", quote_ident(&p.name), p.table.sql())
}

/// `ALTER TABLE t ENABLE|DISABLE ROW LEVEL SECURITY`.
pub fn set_row_level_security(table: &QualifiedName, on: bool) -> String {
    format!(
        "ALTER TABLE {} {} ROW LEVEL SECURITY",
        table.sql(),
        if on { "ENABLE" } else { "DISABLE" }
    )
}

/// `ALTER TABLE t [NO] FORCE ROW LEVEL SECURITY`.
pub fn set_force_row_level_security(table: &QualifiedName, on: bool) -> String {
    format!(
        "ALTER TABLE {} {}FORCE ROW LEVEL SECURITY",
        table.sql(),
        if on { "" } else { "NO " }
    )
}

/// The schema.toml text of `p`, under `section` (`tables.x`).
pub(crate) fn dump(out: &mut String, section: &str, p: &Policy) {
    let _ = writeln!(out, "[[{section}.policies]]");
    let _ = writeln!(out, "name = {}", toml_string(&p.name));
    if p.command != "all" {
        let _ = writeln!(out, "command = {}", toml_string(&p.command));
    }
    flag(out, "restrictive", p.restrictive);
    if p.roles != [PUBLIC] {
        let _ = writeln!(out, "roles = {}", string_list(&p.roles));
    }
    if let Some(u) = &p.using {
        let _ = writeln!(out, "using = {}", toml_string(u));
    }
    if let Some(c) = &p.with_check {
        let _ = writeln!(out, "with_check = {}", toml_string(c));
    }
    comment_line(out, &p.comment);
    out.push('\n');
}

/// The checks of the model stage.
pub(crate) fn check(c: &mut crate::validate::Checker, p: &Policy) {
    let path = ObjectPath::Policy(p.table.clone(), p.name.clone());
    let what = format!("policy `{}` of `{}`", p.name, p.table);
    c.name(&path, "name", &what, &p.name);
    if p.roles.is_empty() {
        c.err(&path, "roles", format!("{what} applies to no role"))
            .help = Some("write `roles = [\"public\"]` for every role, or name the roles".into());
    }
    for r in &p.roles {
        c.name(&path, "roles", &format!("a role of {what}"), r);
    }
    c.fragment(
        &path,
        "using",
        &format!("the USING expression of {what}"),
        p.using.as_deref(),
        FragmentKind::Expression,
    );
    c.fragment(
        &path,
        "with_check",
        &format!("the WITH CHECK expression of {what}"),
        p.with_check.as_deref(),
        FragmentKind::Expression,
    );
    if p.with_check.is_some() && matches!(p.command.as_str(), "select" | "delete") {
        c.err(
            &path,
            "with_check",
            format!("{what} is for {} and cannot have `with_check`", p.command),
        )
        .help = Some("use `using` for rows that are read or deleted".into());
    }
    if p.using.is_some() && p.command == "insert" {
        c.err(
            &path,
            "using",
            format!("{what} is for insert and cannot have `using`"),
        )
        .help = Some("use `with_check` for rows that are inserted".into());
    }
    c.no_nul(&path, "comment", "the comment", p.comment.as_deref());
}

/// The checks of every policy of `schema` (a name used twice on one table, then each policy).
pub(crate) fn check_all(c: &mut crate::validate::Checker, schema: &crate::Schema) {
    let mut seen = std::collections::BTreeSet::new();
    for p in &schema.policies {
        if !seen.insert((&p.table, &p.name)) {
            c.err(
                &ObjectPath::Policy(p.table.clone(), p.name.clone()),
                "name",
                format!("policy `{}` of `{}` is declared twice", p.name, p.table),
            )
            .help = Some("a table's policies have different names".into());
        }
        check(c, p);
    }
}

/// What creates the row-level security of `schema` in a database that has its tables (and the functions
/// the policies call): the flags of each table, then each policy.
pub fn create_statements(schema: &crate::Schema) -> Vec<(ObjectPath, String)> {
    let mut out = Vec::new();
    for t in &schema.tables {
        let p = ObjectPath::Table(t.name.clone());
        if t.row_level_security {
            out.push((p.clone(), set_row_level_security(&t.name, true)));
        }
        if t.force_row_level_security {
            out.push((p, set_force_row_level_security(&t.name, true)));
        }
    }
    for p in &schema.policies {
        out.push((
            ObjectPath::Policy(p.table.clone(), p.name.clone()),
            create_policy(p),
        ));
    }
    out
}

impl Decoder {
    /// `[roles]`: one `name = {}` per role the schema refers to (policies' `roles`), or `[roles.name]`.
    pub(crate) fn roles(&mut self, root: &toml::de::DeTable) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in self.section(
            root,
            "roles",
            "write `[roles]` with one `name = {}` line per role",
        ) {
            let name = k.get_ref().to_string();
            if name == PUBLIC || name.is_empty() || name.contains('\0') {
                self.error(
                    Diagnostic::new(k.span(), format!("`{name}` cannot be declared as a role"))
                        .help("PUBLIC is every role and needs no declaration; name roles with at least one character"),
                );
                continue;
            }
            if !matches!(v.get_ref(), toml::de::DeValue::Table(t) if t.is_empty()) {
                self.error(
                    Diagnostic::new(v.span(), format!("role `{name}` takes no settings"))
                        .help("write `name = {}`: roles are cluster-wide, schemadiff only needs their names"),
                );
                continue;
            }
            out.push(name);
        }
        out
    }
}

/// `[roles]`, one line per role (nothing when there is none).
pub(crate) fn dump_roles(out: &mut String, roles: &[String]) {
    if roles.is_empty() {
        return;
    }
    out.push_str("[roles]\n");
    for r in roles {
        let _ = writeln!(out, "{} = {{}}", crate::dump::toml_key(r));
    }
    out.push('\n');
}
