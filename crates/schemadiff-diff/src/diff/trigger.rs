//! Triggers, the diff stage. A trigger whose definition changes is dropped and created again (in one plan
//! step each, so a constraint trigger too); one whose enabled state or comment changes is altered. A trigger
//! whose function is dropped (`Res::Function` removed by `crate::function`) or whose relation is made anew
//! (a view rebuilt) is made anew around it; one whose table is dropped goes with it, and that drop releases
//! the function.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::trigger::{comment_on_trigger, create_trigger, drop_trigger, enable_trigger};
use schemadiff_model::{QualifiedName, Schema, Trigger};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

type Key<'a> = (&'a QualifiedName, &'a str);

/// The changes of triggers, given the other changes of the plan (`out`), to which they are added.
pub(crate) fn triggers(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<Key, &Trigger> = current
        .triggers
        .iter()
        .map(|t| ((&t.relation, t.name.as_str()), t))
        .collect();
    let des: BTreeMap<Key, &Trigger> = desired
        .triggers
        .iter()
        .map(|t| ((&t.relation, t.name.as_str()), t))
        .collect();
    let gone: BTreeSet<Res> = out
        .iter()
        .flat_map(|c| c.removes.iter().chain(&c.invalidates))
        .cloned()
        .collect();

    for (k, old) in &cur {
        let relation_goes = gone.contains(&Res::Table(old.relation.clone()))
            || gone.contains(&Res::View(old.relation.clone()));
        let function_goes = gone.contains(&function(old));
        let columns_go = old
            .columns
            .iter()
            .any(|c| gone.contains(&Res::Column(old.relation.clone(), c.clone())));
        let new = des.get(k);
        if relation_goes {
            // Dropped with its relation: that drop releases the function.
            for c in out.iter_mut() {
                if c.action == Action::Drop
                    && (c.removes.contains(&Res::Table(old.relation.clone()))
                        || c.removes.contains(&Res::View(old.relation.clone())))
                {
                    c.releases.push(function(old));
                }
            }
            if let Some(new) = new {
                out.extend(create_changes(new, desired));
            }
            continue;
        }
        match new {
            None => out.push(drop_change(old, current)),
            Some(new) if function_goes || columns_go || !same_definition(old, new) => {
                out.push(drop_change(old, current));
                out.extend(create_changes(new, desired));
            }
            Some(new) => {
                if old.enabled != new.enabled {
                    out.push(enable_change(new, desired));
                }
                if old.comment != new.comment {
                    out.push(comment_change(new, desired));
                }
            }
        }
    }
    for (k, new) in &des {
        if !cur.contains_key(k) {
            out.extend(create_changes(new, desired));
        }
    }
}

fn same_definition(a: &Trigger, b: &Trigger) -> bool {
    let strip = |t: &Trigger| Trigger {
        enabled: None,
        comment: None,
        ..t.clone()
    };
    strip(a) == strip(b)
}

/// The function a trigger runs (trigger functions take no arguments).
fn function(t: &Trigger) -> Res {
    Res::Function(t.function.clone(), String::new())
}

fn resource(t: &Trigger) -> Res {
    Res::Trigger(t.relation.clone(), t.name.clone())
}

/// Shown under its table or view.
fn group(t: &Trigger, schema: &Schema) -> String {
    match schema.view(&t.relation) {
        Some(v) => v.label(),
        None => format!("table {}", t.relation.sql()),
    }
}

fn relation(t: &Trigger, schema_has_view: bool) -> Res {
    if schema_has_view {
        Res::View(t.relation.clone())
    } else {
        Res::Table(t.relation.clone())
    }
}

fn drop_change(t: &Trigger, current: &Schema) -> Change {
    Change::new(
        ChangeKind::DropTrigger,
        Action::Drop,
        Phase::DropTrigger,
        t.label(),
    )
    .group(group(t, current))
    .sql(drop_trigger(t))
    .hazard(Hazard::AccessExclusiveLock)
    .removes([resource(t)])
    .releases([function(t)])
    .releases(
        t.columns
            .iter()
            .map(|c| Res::Column(t.relation.clone(), c.clone())),
    )
}

fn create_changes(t: &Trigger, desired: &Schema) -> Vec<Change> {
    let on_view = desired.view(&t.relation).is_some();
    let mut create = Change::new(
        ChangeKind::CreateTrigger,
        Action::Create,
        Phase::CreateTrigger,
        t.label(),
    )
    .group(group(t, desired))
    .sql(create_trigger(t))
    .requires([relation(t, on_view), function(t)])
    .requires(
        t.columns
            .iter()
            .map(|c| Res::Column(t.relation.clone(), c.clone())),
    )
    .provides([resource(t)]);
    if t.enabled.is_some() {
        create = create.sql(enable_trigger(t));
    }
    let mut out = vec![create];
    if t.comment.is_some() {
        out.push(comment_change(t, desired));
    }
    out
}

fn enable_change(t: &Trigger, desired: &Schema) -> Change {
    Change::new(
        ChangeKind::SetTriggerState,
        Action::Alter,
        Phase::CreateTrigger,
        format!("state of {}", t.label()),
    )
    .group(group(t, desired))
    .sql(enable_trigger(t))
    .requires([resource(t)])
}

fn comment_change(t: &Trigger, schema: &Schema) -> Change {
    Change::new(
        ChangeKind::SetComment,
        Action::Alter,
        Phase::Comment,
        t.label(),
    )
    .group(group(t, schema))
    .sql(comment_on_trigger(t, &t.comment))
    .requires([resource(t)])
}
