//! Row-level security, the diff stage: the tables' ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY,
//! and their policies. A policy whose roles or expressions change is altered (ALTER POLICY), one whose
//! command or PERMISSIVE/RESTRICTIVE changes (or that loses an expression, which ALTER POLICY cannot do) is
//! dropped and created again. What a policy uses comes from the catalog (`Policy::uses`, `pg_depend`): a
//! policy whose function, column or table is dropped or made anew by another change is dropped before it and
//! created after; one whose table is dropped goes with it.
//!
//! Every change here carries `Hazard::ChangesAccess`; disabling row-level security, or dropping the last
//! policy of a table that keeps it, carries `Hazard::RemovesRowSecurity` too, which plans refuse unless it is
//! allowed by name.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::policy::{
    alter_policy, comment_on_policy, create_policy, drop_policy, set_force_row_level_security,
    set_row_level_security,
};
use schemadiff_model::{FunctionUse, Policy, QualifiedName, Schema};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

type Key<'a> = (&'a QualifiedName, &'a str);

/// The changes of row-level security, given the other changes of the plan (`out`), to which they are added.
pub(crate) fn policies(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let gone: BTreeSet<Res> = out
        .iter()
        .flat_map(|c| c.removes.iter().chain(&c.invalidates))
        .cloned()
        .collect();

    // The flags of the tables that exist on both sides or are new.
    let current_tables = current.tables_by_name();
    for t in &desired.tables {
        let current_table = current_tables.get(&t.name).copied();
        let (rls, force) = current_table.map_or((false, false), |c| {
            (c.row_level_security, c.force_row_level_security)
        });
        let existing = current_table.is_some();
        if t.row_level_security != rls {
            let mut c = flag_change(
                &t.name,
                existing,
                "row-level security",
                set_row_level_security(&t.name, t.row_level_security),
            );
            if !t.row_level_security {
                c = c.hazard(Hazard::RemovesRowSecurity);
            }
            out.push(c);
        }
        if t.force_row_level_security != force {
            out.push(flag_change(
                &t.name,
                existing,
                "forced row-level security",
                set_force_row_level_security(&t.name, t.force_row_level_security),
            ));
        }
    }

    let cur: BTreeMap<Key, &Policy> = current
        .policies
        .iter()
        .map(|p| ((&p.table, p.name.as_str()), p))
        .collect();
    let des: BTreeMap<Key, &Policy> = desired
        .policies
        .iter()
        .map(|p| ((&p.table, p.name.as_str()), p))
        .collect();
    // Tables that keep row-level security but lose every policy.
    let left_closed = |table: &QualifiedName| {
        desired.table(table).is_some_and(|t| t.row_level_security)
            && !desired.policies.iter().any(|p| &p.table == table)
    };

    for (k, old) in &cur {
        let new = des.get(k);
        if gone.contains(&Res::Table(old.table.clone())) {
            // Dropped with its table: that drop releases what the policy used.
            for c in out.iter_mut() {
                if c.action == Action::Drop && c.removes.contains(&Res::Table(old.table.clone())) {
                    c.releases.extend(uses(old, current));
                }
            }
            if let Some(new) = new {
                out.extend(create_changes(new, current, desired));
            }
            continue;
        }
        let uses_go = uses(old, current).iter().any(|r| gone.contains(r));
        match new {
            None => {
                let mut c = drop_change(old, current);
                if left_closed(&old.table) {
                    c = c.hazard(Hazard::RemovesRowSecurity);
                }
                out.push(c);
            }
            Some(new)
                if uses_go
                    || old.command != new.command
                    || old.restrictive != new.restrictive
                    || alter_policy(old, new).is_none() =>
            {
                out.push(drop_change(old, current));
                out.extend(create_changes(new, current, desired));
            }
            Some(new) => {
                if old.roles != new.roles
                    || old.using != new.using
                    || old.with_check != new.with_check
                {
                    out.push(alter_change(old, new, current, desired));
                }
                if old.comment != new.comment {
                    out.push(comment_change(new));
                }
            }
        }
    }
    for (k, new) in &des {
        if !cur.contains_key(k) {
            out.extend(create_changes(new, current, desired));
        }
    }
}

fn group(table: &QualifiedName) -> String {
    format!("table {}", table.sql())
}

fn resource(p: &Policy) -> Res {
    Res::Policy(p.table.clone(), p.name.clone())
}

/// What `p` uses, as resources of `schema` (the side it is read from).
fn uses(p: &Policy, schema: &Schema) -> Vec<Res> {
    p.uses
        .iter()
        .filter_map(|u| match u {
            FunctionUse::Function(q, sig) => Some(Res::Function(q.clone(), sig.clone())),
            FunctionUse::Column(t, c) => Some(Res::Column(t.clone(), c.clone())),
            FunctionUse::Relation(q) if schema.view(q).is_some() => Some(Res::View(q.clone())),
            FunctionUse::Relation(q) if *q != p.table => Some(Res::Table(q.clone())),
            FunctionUse::Relation(_) => None,
            FunctionUse::Type(q) => Some(Res::Type(q.clone())),
        })
        .collect()
}

fn flag_change(table: &QualifiedName, existing: bool, what: &str, sql: String) -> Change {
    let c = Change::new(
        ChangeKind::SetRowLevelSecurity,
        Action::Alter,
        Phase::CreateTrigger,
        format!("{what} of table {}", table.sql()),
    )
    .group(group(table))
    .sql(sql)
    .hazard(Hazard::ChangesAccess)
    .requires([Res::Table(table.clone())]);
    if existing {
        c.hazard(Hazard::AccessExclusiveLock)
    } else {
        c
    }
}

fn drop_change(p: &Policy, current: &Schema) -> Change {
    Change::new(
        ChangeKind::DropPolicy,
        Action::Drop,
        Phase::DropTrigger,
        p.label(),
    )
    .group(group(&p.table))
    .sql(drop_policy(p))
    .hazard(Hazard::ChangesAccess)
    .hazard(Hazard::AccessExclusiveLock)
    .removes([resource(p)])
    .releases(uses(p, current))
}

fn create_changes(p: &Policy, current: &Schema, desired: &Schema) -> Vec<Change> {
    let mut create = Change::new(
        ChangeKind::CreatePolicy,
        Action::Create,
        Phase::CreateTrigger,
        p.label(),
    )
    .group(group(&p.table))
    .sql(create_policy(p))
    .hazard(Hazard::ChangesAccess)
    .requires([Res::Table(p.table.clone())])
    .requires(uses(p, desired))
    .provides([resource(p)]);
    if current.table(&p.table).is_some() {
        create = create.hazard(Hazard::AccessExclusiveLock);
    }
    let mut out = vec![create];
    if p.comment.is_some() {
        out.push(comment_change(p));
    }
    out
}

fn alter_change(old: &Policy, new: &Policy, current: &Schema, desired: &Schema) -> Change {
    Change::new(
        ChangeKind::AlterPolicy,
        Action::Alter,
        Phase::CreateTrigger,
        new.label(),
    )
    .group(group(&new.table))
    .sql(alter_policy(old, new).expect("checked by the caller"))
    .hazard(Hazard::ChangesAccess)
    .hazard(Hazard::AccessExclusiveLock)
    .requires([resource(new)])
    .requires(uses(new, desired))
    .releases(uses(old, current))
}

fn comment_change(p: &Policy) -> Change {
    Change::new(
        ChangeKind::SetComment,
        Action::Alter,
        Phase::Comment,
        p.label(),
    )
    .group(group(&p.table))
    .sql(comment_on_policy(p, &p.comment))
    .requires([resource(p)])
}
