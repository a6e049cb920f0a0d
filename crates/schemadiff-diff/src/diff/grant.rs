//! Privileges, the diff stage, one place for every kind: for each object of the desired schema, the
//! privileges it has now (the current schema's, or PostgreSQL's defaults when the object is new or made
//! anew by another change of the plan) against those it should have, as GRANT and REVOKE statements that
//! wait for the object (`requires`). Every such change `changes_access`. Runs last: it looks at the other
//! changes to know which objects they make anew (a view or function dropped and created again, a type
//! remade, a column dropped and added again), whose privileges start from the defaults again.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::grant::{GrantTarget, effective, statements};
use schemadiff_model::{ObjectGrants, QualifiedName, Schema};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

/// Whether `schema` has the object `target` names.
pub(super) fn exists(schema: &Schema, target: &GrantTarget) -> bool {
    match target {
        GrantTarget::Schema(s) => s == "public" || schema.schemas.iter().any(|d| &d.name == s),
        GrantTarget::Type(q) => {
            schema.enums.iter().any(|e| &e.name == q)
                || schema.domains.iter().any(|d| &d.name == q)
                || schema.composite_types.iter().any(|t| &t.name == q)
                || schema.range_types.iter().any(|r| &r.name == q)
        }
        GrantTarget::Sequence(q) => schema.sequences.iter().any(|s| &s.name == q),
        GrantTarget::Table(q) => schema.table(q).is_some(),
        GrantTarget::Column(q, c) => schema.table(q).is_some_and(|t| t.column(c).is_some()),
        GrantTarget::View(q) => schema.view(q).is_some(),
        GrantTarget::Function(q, signature, _) => schema.function(q, signature).is_some(),
        // Default privileges in a schema go with it.
        GrantTarget::Default(_, in_schema, _) => in_schema
            .as_ref()
            .is_none_or(|s| exists(schema, &GrantTarget::Schema(s.clone()))),
    }
}

/// The resources the object of `target` is (what its grants wait for).
pub(super) fn resources(target: &GrantTarget) -> Vec<Res> {
    match target {
        GrantTarget::Schema(s) => vec![Res::Schema(s.clone())],
        GrantTarget::Type(q) => vec![Res::Type(q.clone())],
        GrantTarget::Sequence(q) => vec![Res::Sequence(q.clone())],
        GrantTarget::Table(q) => vec![Res::Table(q.clone())],
        GrantTarget::Column(q, c) => vec![Res::Table(q.clone()), Res::Column(q.clone(), c.clone())],
        GrantTarget::View(q) => vec![Res::View(q.clone())],
        GrantTarget::Function(q, s, _) => vec![Res::Function(q.clone(), s.clone())],
        GrantTarget::Default(_, in_schema, _) => {
            in_schema.iter().map(|s| Res::Schema(s.clone())).collect()
        }
    }
}

/// Whether a change of the plan makes the object of `target` anew (so it starts with the defaults).
pub(super) fn made_anew(target: &GrantTarget, changes: &[Change]) -> bool {
    let res = resources(target);
    changes.iter().any(|c| {
        res.iter().any(|r| c.removes.contains(r))
            || (matches!(
                c.kind,
                ChangeKind::RecreateEnum
                    | ChangeKind::RecreateDomain
                    | ChangeKind::RecreateCompositeType
                    | ChangeKind::RecreateRangeType
            ) && res.iter().any(|r| c.provides.contains(r)))
            || (c.kind == ChangeKind::RecreateColumn
                && matches!(target, GrantTarget::Column(..))
                && res.iter().any(|r| c.invalidates.contains(r))
                && c.statements.iter().any(|s| s.contains(" DROP COLUMN ")))
    })
}

/// What the privileges of a table's columns wait for: the change of the table's own (a table-level
/// REVOKE takes the privilege from every column too).
fn table_privileges(q: &QualifiedName) -> Res {
    Res::Named(q.clone(), "\0privileges".into())
}

/// The group a target's change is shown under: its table for a column, the view's own label (views and
/// materialized views), else itself.
pub(super) fn group(target: &GrantTarget, desired: &Schema) -> String {
    match target {
        GrantTarget::Column(q, _) => format!("table {}", q.sql()),
        GrantTarget::View(q) => desired
            .view(q)
            .map_or_else(|| target.label(), |v| v.label()),
        t => t.label(),
    }
}

/// The grant changes that turn `current` into `desired`, given the plan's other changes (`out`).
pub(crate) fn grants(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let find = |s: &'_ Schema, t: &GrantTarget| -> Option<ObjectGrants> {
        s.grants.iter().find(|g| &g.target == t).cloned()
    };
    let targets: BTreeSet<&GrantTarget> = current
        .grants
        .iter()
        .chain(&desired.grants)
        .map(|g| &g.target)
        .collect();
    let mut changes = Vec::new();
    // What a table-level REVOKE takes from the columns too: (table, grantee, privilege) -> whether only the
    // grant option goes.
    let mut lost: BTreeMap<(&QualifiedName, String, String), bool> = BTreeMap::new();
    for target in targets {
        if !exists(desired, target) {
            continue;
        }
        let fresh = !exists(current, target) || made_anew(target, out);
        let mut old = if fresh {
            target.defaults()
        } else {
            effective(target, find(current, target).as_ref())
        };
        let new = effective(target, find(desired, target).as_ref());
        // A new owner's own privileges merge into its owner's rights (PostgreSQL rewrites the ACL): they are
        // not revoked, and the privileges are set after the owner (`owner::owner_res`).
        let new_owner = crate::diff::owner::changed_owner(current, desired, target, out);
        if let Some(role) = new_owner {
            old.retain(|p| p.grantee != role);
        }
        if let GrantTarget::Table(q) = target {
            for p in &old {
                match new
                    .iter()
                    .find(|n| n.grantee == p.grantee && n.privilege == p.privilege)
                {
                    None => {
                        lost.insert((q, p.grantee.clone(), p.privilege.clone()), false);
                    }
                    Some(n) if p.grant_option && !n.grant_option => {
                        lost.insert((q, p.grantee.clone(), p.privilege.clone()), true);
                    }
                    Some(_) => {}
                }
            }
        }
        // Columns after their table (targets are sorted so), with what its revocations took from them.
        let mut after_table = None;
        if let GrantTarget::Column(q, _) = target {
            old = old
                .into_iter()
                .filter_map(|mut p| {
                    match lost.get(&(q, p.grantee.clone(), p.privilege.clone())) {
                        None => {}
                        Some(false) => return None,
                        Some(true) => p.grant_option = false,
                    }
                    Some(p)
                })
                .collect();
            after_table = Some(table_privileges(q));
        }
        if old == new {
            continue;
        }
        let mut change = Change::new(
            ChangeKind::SetPrivileges,
            Action::Alter,
            Phase::Ownership,
            match target {
                GrantTarget::View(_) => format!("privileges on {}", group(target, desired)),
                GrantTarget::Default(..) => target.label(),
                t => format!("privileges on {}", t.label()),
            },
        )
        .group(group(target, desired))
        .hazard(Hazard::ChangesAccess)
        .requires(resources(target))
        .requires(after_table)
        .requires(new_owner.map(|_| crate::diff::owner::owner_res(target)));
        if let GrantTarget::Table(q) = target {
            change = change.provides([table_privileges(q)]);
        }
        for sql in statements(target, &old, &new) {
            change = change.sql(sql);
        }
        changes.push(change);
    }
    out.extend(changes);
}
