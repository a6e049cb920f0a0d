//! Triggers, the model stage. A trigger belongs to a table (`[[tables.t.triggers]]`) or a view
//! (`[[views.v.triggers]]`, INSTEAD OF), and is kept in one list of the schema (`Schema::triggers`) with the
//! name of its relation: one diff serves both, and its order depends on the function it runs, not on the
//! columns of its table. Introspection is `schemadiff_catalog::trigger`, the diff `schemadiff_diff::trigger`.
//!
//! ```toml
//! [[tables.page_views.triggers]]
//! name = "page_views_updated_at"
//! timing = "before"
//! events = ["update"]
//! for_each = "row"
//! function = "set_updated_at"
//! ```

use std::fmt::Write;

use crate::dump::{comment_line, flag, string_list, toml_string};
use crate::fragment::{FragmentKind, inert};
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, ObjectPath, Val};
use crate::source::Diagnostic;

/// A trigger of a table or view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The table or view it belongs to.
    pub relation: QualifiedName,
    pub name: String,
    /// `"before"`, `"after"` or `"instead of"`.
    pub timing: String,
    /// Of `"insert"`, `"update"`, `"delete"`, `"truncate"`, in that order.
    pub events: Vec<String>,
    /// `UPDATE OF` these columns.
    pub columns: Vec<String>,
    /// FOR EACH ROW (else STATEMENT).
    pub row: bool,
    /// WHEN (condition), without the parentheses.
    pub when: Option<String>,
    /// REFERENCING OLD TABLE AS ...
    pub old_table: Option<String>,
    /// REFERENCING NEW TABLE AS ...
    pub new_table: Option<String>,
    /// The trigger function (it takes no arguments and returns `trigger`).
    pub function: QualifiedName,
    /// The arguments given to it (TG_ARGV), as strings.
    pub arguments: Vec<String>,
    /// CREATE CONSTRAINT TRIGGER.
    pub constraint: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// `"replica"`, `"always"` or `"disabled"`; `None` is the default (fires in origin and local mode).
    pub enabled: Option<String>,
    pub comment: Option<String>,
}

pub(crate) const TRIGGER_KEYS: &[&str] = &[
    "name",
    "timing",
    "events",
    "columns",
    "for_each",
    "when",
    "referencing",
    "function",
    "arguments",
    "constraint",
    "deferrable",
    "initially_deferred",
    "enabled",
    "comment",
];
const TIMINGS: [&str; 3] = ["before", "after", "instead of"];
const EVENTS: [&str; 4] = ["insert", "delete", "update", "truncate"];
const FOR_EACH: [&str; 2] = ["row", "statement"];
const ENABLED: [&str; 4] = ["origin", "replica", "always", "disabled"];

impl Trigger {
    /// `trigger t_upd on public.t`, for people.
    pub fn label(&self) -> String {
        format!(
            "trigger {} on {}",
            quote_ident(&self.name),
            self.relation.sql()
        )
    }
}

impl Decoder {
    /// One entry of `[[tables.t.triggers]]` or `[[views.v.triggers]]`.
    pub(crate) fn trigger(
        &mut self,
        relation: &QualifiedName,
        i: usize,
        v: &Val,
    ) -> Option<Trigger> {
        let what = format!("trigger #{} of `{relation}`", i + 1);
        let name_of = match v.get_ref() {
            toml::de::DeValue::Table(t) => t
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == "name")
                .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string)),
            _ => None,
        };
        let path = ObjectPath::Trigger(relation.clone(), name_of.clone().unwrap_or_default());
        let obj = self.element(
            path,
            v.span(),
            v,
            what.clone(),
            "write `[[tables.name.triggers]]` with `name`, `timing`, `events` and `function`",
            TRIGGER_KEYS,
        )?;
        let Some(name) = self.opt_string(&obj, "name") else {
            self.error(
                Diagnostic::new(v.span(), format!("{what} has no `name`"))
                    .help("add `name = \"...\"`"),
            );
            return None;
        };
        let timing = self.choice(&obj, "timing", &TIMINGS).unwrap_or_else(|| {
            if obj.get("timing").is_none() {
                self.error(
                    Diagnostic::new(v.span(), format!("{what} has no `timing`"))
                        .help("add `timing = \"before\"`, `\"after\"` or `\"instead of\"`"),
                );
            }
            "after".into()
        });
        let mut events = Vec::new();
        for e in self.string_list(&obj, "events").unwrap_or_default() {
            let lower = e.trim().to_ascii_lowercase();
            if EVENTS.contains(&lower.as_str()) {
                if !events.contains(&lower) {
                    events.push(lower);
                }
            } else {
                let at = obj.get("events").map_or(v.span(), |e| e.span());
                self.error(
                    Diagnostic::new(at, format!("`{e}` is not an event of {what}"))
                        .help("write `insert`, `update`, `delete` or `truncate` (`columns` for UPDATE OF)"),
                );
            }
        }
        if events.is_empty() && obj.get("events").is_none() {
            self.error(
                Diagnostic::new(v.span(), format!("{what} has no `events`"))
                    .help("add `events = [\"insert\", \"update\"]`"),
            );
        }
        events.sort_by_key(|e| EVENTS.iter().position(|x| x == e));
        let function = match self.string(&obj, "function") {
            Some(f) => match QualifiedName::parse(f.get_ref().trim().trim_end_matches("()")) {
                Ok(q) => q,
                Err(msg) => {
                    self.error(Diagnostic::new(f.span(), format!("invalid name: {msg}")));
                    return None;
                }
            },
            None => {
                if obj.get("function").is_none() {
                    self.error(
                        Diagnostic::new(v.span(), format!("{what} has no `function`"))
                            .help("add `function = \"name\"` (a function that returns `trigger`)"),
                    );
                }
                return None;
            }
        };
        let mut old_table = None;
        let mut new_table = None;
        for (k, val) in self.string_map(&obj, "referencing") {
            match k.as_str() {
                "old_table" => old_table = Some(val),
                "new_table" => new_table = Some(val),
                other => self.error(
                    Diagnostic::new(
                        obj.get("referencing").map_or(v.span(), |r| r.span()),
                        format!("`{other}` is not a key of `referencing` in {what}"),
                    )
                    .help("write `referencing = { old_table = \"old_rows\", new_table = \"new_rows\" }`"),
                ),
            }
        }
        let enabled = self
            .choice(&obj, "enabled", &ENABLED)
            .filter(|e| e != "origin");
        Some(Trigger {
            relation: relation.clone(),
            name,
            timing,
            events,
            columns: self.string_list(&obj, "columns").unwrap_or_default(),
            row: self.choice(&obj, "for_each", &FOR_EACH).as_deref() != Some("statement"),
            when: self.opt_string(&obj, "when").map(|w| w.trim().to_string()),
            old_table,
            new_table,
            function,
            arguments: self.string_list(&obj, "arguments").unwrap_or_default(),
            constraint: self.boolean(&obj, "constraint"),
            deferrable: self.boolean(&obj, "deferrable"),
            initially_deferred: self.boolean(&obj, "initially_deferred"),
            enabled,
            comment: self.opt_string(&obj, "comment"),
        })
    }
}

/// `CREATE [CONSTRAINT] TRIGGER ...` for `t`.
pub fn create_trigger(t: &Trigger) -> String {
    let mut sql = format!(
        "CREATE {}TRIGGER {} {} ",
        if t.constraint { "CONSTRAINT " } else { "" },
        quote_ident(&t.name),
        t.timing.to_uppercase()
    );
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| {
            if e == "update" && !t.columns.is_empty() {
                let cols: Vec<String> = t.columns.iter().map(|c| quote_ident(c)).collect();
                format!("UPDATE OF {}", cols.join(", "))
            } else {
                e.to_uppercase()
            }
        })
        .collect();
    sql.push_str(&events.join(" OR "));
    let _ = write!(sql, " ON {}", t.relation.sql());
    if t.constraint {
        if t.deferrable {
            sql.push_str(" DEFERRABLE");
            if t.initially_deferred {
                sql.push_str(" INITIALLY DEFERRED");
            }
        } else {
            sql.push_str(" NOT DEFERRABLE");
        }
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        sql.push_str(" REFERENCING");
        if let Some(o) = &t.old_table {
            let _ = write!(sql, " OLD TABLE AS {}", quote_ident(o));
        }
        if let Some(n) = &t.new_table {
            let _ = write!(sql, " NEW TABLE AS {}", quote_ident(n));
        }
    }
    let _ = write!(sql, " FOR EACH {}", if t.row { "ROW" } else { "STATEMENT" });
    if let Some(w) = &t.when {
        let _ = write!(sql, " WHEN ({})", inert(w));
    }
    let args: Vec<String> = t.arguments.iter().map(|a| quote_literal(a)).collect();
    let _ = write!(
        sql,
        " EXECUTE FUNCTION {}({})",
        t.function.sql(),
        args.join(", ")
    );
    sql
}

/// `ALTER TABLE ... ENABLE|DISABLE TRIGGER ...` for a trigger that is not in the default state (`None`
/// when it is).
pub fn enable_trigger(t: &Trigger) -> String {
    let how = match t.enabled.as_deref() {
        Some("disabled") => "DISABLE",
        Some("replica") => "ENABLE REPLICA",
        Some("always") => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    format!(
        "ALTER TABLE {} {how} TRIGGER {}",
        t.relation.sql(),
        quote_ident(&t.name)
    )
}

/// `COMMENT ON TRIGGER t ON rel IS ...`.
pub fn comment_on_trigger(t: &Trigger, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON TRIGGER {} ON {} IS {}",
        quote_ident(&t.name),
        t.relation.sql(),
        comment.as_deref().map_or("NULL".into(), quote_literal)
    )
}

/// `DROP TRIGGER t ON rel`.
pub fn drop_trigger(t: &Trigger) -> String {
    format!(
        "DROP TRIGGER {} ON {}",
        quote_ident(&t.name),
        t.relation.sql()
    )
}

/// The schema.toml text of `t`, under `section` (`tables.x`, `views.x`).
pub(crate) fn dump(out: &mut String, section: &str, t: &Trigger) {
    let _ = writeln!(out, "[[{section}.triggers]]");
    let _ = writeln!(out, "name = {}", toml_string(&t.name));
    let _ = writeln!(out, "timing = {}", toml_string(&t.timing));
    let _ = writeln!(out, "events = {}", string_list(&t.events));
    if !t.columns.is_empty() {
        let _ = writeln!(out, "columns = {}", string_list(&t.columns));
    }
    let _ = writeln!(
        out,
        "for_each = {}",
        if t.row { "\"row\"" } else { "\"statement\"" }
    );
    if let Some(w) = &t.when {
        let _ = writeln!(out, "when = {}", toml_string(w));
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        let mut pairs = Vec::new();
        if let Some(o) = &t.old_table {
            pairs.push(format!("old_table = {}", toml_string(o)));
        }
        if let Some(n) = &t.new_table {
            pairs.push(format!("new_table = {}", toml_string(n)));
        }
        let _ = writeln!(out, "referencing = {{ {} }}", pairs.join(", "));
    }
    let _ = writeln!(
        out,
        "function = {}",
        toml_string(&QualifiedName::reference_text(
            (t.function.schema != crate::ident::DEFAULT_SCHEMA)
                .then_some(t.function.schema.as_str()),
            &t.function.name
        ))
    );
    if !t.arguments.is_empty() {
        let _ = writeln!(out, "arguments = {}", string_list(&t.arguments));
    }
    flag(out, "constraint", t.constraint);
    flag(out, "deferrable", t.deferrable);
    flag(out, "initially_deferred", t.initially_deferred);
    if let Some(e) = &t.enabled {
        let _ = writeln!(out, "enabled = {}", toml_string(e));
    }
    comment_line(out, &t.comment);
    out.push('\n');
}

/// The checks of the model stage.
pub(crate) fn check(c: &mut crate::validate::Checker, t: &Trigger) {
    let p = ObjectPath::Trigger(t.relation.clone(), t.name.clone());
    let what = format!("trigger `{}` of `{}`", t.name, t.relation);
    c.name(&p, "name", &what, &t.name);
    for col in &t.columns {
        c.name(&p, "columns", &format!("a column of {what}"), col);
    }
    for n in t.old_table.iter().chain(&t.new_table) {
        c.name(
            &p,
            "referencing",
            &format!("a transition table of {what}"),
            n,
        );
    }
    c.fragment(
        &p,
        "when",
        &format!("the condition of {what}"),
        t.when.as_deref(),
        FragmentKind::Expression,
    );
    if !t.constraint && t.deferrable {
        c.err(
            &p,
            "deferrable",
            format!("{what} is deferrable but not a constraint trigger"),
        )
        .help = Some("add `constraint = true`, or remove `deferrable`".into());
    }
    if t.initially_deferred && !t.deferrable {
        c.err(
            &p,
            "initially_deferred",
            format!("{what} is initially deferred but not deferrable"),
        )
        .help = Some("add `deferrable = true`".into());
    }
    for a in &t.arguments {
        c.no_nul(&p, "arguments", "an argument", Some(a));
    }
    c.no_nul(&p, "comment", "the comment", t.comment.as_deref());
}
