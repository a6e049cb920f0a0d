//! Plans for people and for programs: grouped and colored text, a bare SQL script, or JSON.

use schemadiff_diff::{Action, Change, Hazard, Plan};

use crate::pipeline::Planned;
use serde_json::json;

/// Terminal colors, or none (`NO_COLOR`, not a terminal, or asked for plain text).
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn symbol(a: Action) -> (&'static str, &'static str) {
    match a {
        Action::Create => ("+", "32"),
        Action::Alter => ("~", "33"),
        Action::Drop => ("-", "31"),
    }
}

/// `3 to create, 2 to alter, 0 to drop`
pub fn summary(plan: &Plan) -> String {
    let (c, a, d) = plan.summary();
    format!("{c} to create, {a} to alter, {d} to drop")
}

/// The plan for a person: the changes grouped by the object they concern (in plan order), each with its
/// hazards, then the summary, then the SQL.
pub fn human(plan: &Plan, style: Style) -> String {
    if plan.is_empty() {
        return "No changes: the database matches the desired schema.\n".to_string();
    }
    let mut groups: Vec<(&str, Vec<&Change>)> = Vec::new();
    // Comments on what the plan creates are counted with the creation they belong to.
    let mut comments: std::collections::BTreeMap<&str, usize> = Default::default();
    for c in &plan.changes {
        if part_of_creation(plan, c) {
            *comments.entry(c.group.as_str()).or_default() += 1;
            continue;
        }
        match groups.iter_mut().find(|(g, _)| *g == c.group) {
            Some((_, v)) => v.push(c),
            None => groups.push((&c.group, vec![c])),
        }
    }
    let mut out = String::new();
    for (group, changes) in &groups {
        out.push_str(&style.paint("1", group));
        out.push('\n');
        for c in changes {
            let (sym, code) = symbol(c.action);
            let mut line = format!("  {} {}", style.paint(code, sym), describe(c));
            if c.action == Action::Create && c.object == c.group {
                match comments.get(group) {
                    Some(1) => line.push_str(" (with its comment)"),
                    Some(n) => line.push_str(&format!(" (with {n} comments)")),
                    None => {}
                }
            }
            if !c.hazards.is_empty() {
                let hazards: Vec<String> = c
                    .hazards
                    .iter()
                    .map(|h| {
                        let code = if *h == Hazard::DeletesData {
                            "31;1"
                        } else {
                            "33"
                        };
                        style.paint(code, &format!("⚠ {}", h.description()))
                    })
                    .collect();
                line.push_str("  ");
                line.push_str(&hazards.join(", "));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&style.paint("1", &summary(plan)));
    out.push_str(".\n\n");
    out.push_str(&style.paint("2", "-- SQL, in order:"));
    out.push('\n');
    out.push_str(&plan.script());
    out
}

/// What a change does to what: `create table`, `add column public.t.c`, `comment on index public.i`.
pub fn describe(c: &Change) -> String {
    if c.object == c.group {
        return c.kind.as_str().replace('_', " ");
    }
    c.describe()
}

/// Whether `c` is a comment on something the plan creates in the same group (a new table's columns, its
/// indexes and constraints, or the table itself): shown as part of that creation, not as a change of its own.
fn part_of_creation(plan: &Plan, c: &Change) -> bool {
    c.kind == schemadiff_diff::ChangeKind::SetComment
        && plan
            .changes
            .iter()
            .any(|o| o.action == Action::Create && o.object == o.group && o.group == c.group)
}

fn changes_json(plan: &Plan) -> serde_json::Value {
    plan.changes
        .iter()
        .map(|c| {
            json!({
                "kind": c.kind.as_str(),
                "action": match c.action { Action::Create => "create", Action::Alter => "alter", Action::Drop => "drop" },
                "object": c.object,
                "group": c.group,
                "hazards": c.hazards.iter().map(|h| h.code()).collect::<Vec<_>>(),
                "sql": c.statements,
            })
        })
        .collect()
}

/// The version of the JSON plan's layout: raised when a field changes meaning or goes away.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// The plan and its rollback as JSON, with what a later apply step needs to trust it: the layout's version,
/// the tool's version, and the fingerprints of the schema the plan was made for and of the one it leaves.
pub fn json(planned: &Planned) -> String {
    let (plan, rollback) = (&planned.plan, &planned.rollback);
    let (c, a, d) = plan.summary();
    let value = json!({
        "format_version": JSON_FORMAT_VERSION,
        "tool": { "name": "schemadiff", "version": env!("CARGO_PKG_VERSION") },
        "current_fingerprint": planned.current_fingerprint,
        "desired_fingerprint": planned.desired_fingerprint,
        "summary": { "create": c, "alter": a, "drop": d },
        "verified": true,
        "changes": changes_json(plan),
        "rollback": changes_json(rollback),
    });
    let mut s = serde_json::to_string_pretty(&value).expect("plain values");
    s.push('\n');
    s
}

/// The changes of a plan as JSON data, each as in [`json`] (kind, action, object, group, hazards, sql).
pub fn changes_value(plan: &Plan) -> serde_json::Value {
    changes_json(plan)
}
