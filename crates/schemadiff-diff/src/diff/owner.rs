//! Ownership, the diff stage (opt-in, see `schemadiff_model::owner`): for each object of the desired schema
//! whose owner is stated, `ALTER ... OWNER TO` when the current owner differs, or when the plan makes the
//! object (a new object belongs to the role that runs the plan). Every such change `changes_access`. Runs
//! before the privileges, which wait for it: PostgreSQL moves the old owner's rights to the new owner.

use schemadiff_model::Schema;
use schemadiff_model::grant::GrantTarget;
use schemadiff_model::owner::{owner_of, statement};

use super::grant::{exists, group, made_anew, resources};
use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

/// What the changes that wait for an object's owner require.
pub(crate) fn owner_res(target: &GrantTarget) -> Res {
    match target.name() {
        Some(q) => Res::Named(q.clone(), "\0owner".into()),
        None => Res::Named(
            schemadiff_model::QualifiedName::new("", format!("{target:?}")),
            "\0owner".into(),
        ),
    }
}

/// The role the plan gives the object of `target`, if its owner changes (`out`: the plan's other changes).
pub(crate) fn changed_owner<'a>(
    current: &Schema,
    desired: &'a Schema,
    target: &GrantTarget,
    out: &[Change],
) -> Option<&'a str> {
    let new = owner_of(desired, target)?;
    statement(desired, target, new)?;
    if !exists(desired, target) {
        return None;
    }
    let fresh = !exists(current, target) || made_anew(target, out);
    if !fresh && owner_of(current, target) == Some(new) {
        return None;
    }
    Some(new)
}

/// The owner changes that turn `current` into `desired`, given the plan's other changes (`out`).
pub(crate) fn owners(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let mut changes = Vec::new();
    for o in &desired.owners {
        let Some(role) = changed_owner(current, desired, &o.target, out) else {
            continue;
        };
        let Some(sql) = statement(desired, &o.target, role) else {
            continue;
        };
        // A sequence the plan makes owned by a column of the table is so before the table's owner changes
        // (PostgreSQL then moves it with the table; OWNED BY refuses a sequence of another owner).
        let mut owned_first = None;
        if let GrantTarget::Table(q) = &o.target {
            let res = Res::Named(q.clone(), "\0owned sequences".into());
            for c in out.iter_mut().filter(|c| {
                c.kind == ChangeKind::SetSequenceOwner
                    && c.requires
                        .iter()
                        .any(|r| matches!(r, Res::Column(t, _) if t == q))
            }) {
                c.provides.push(res.clone());
                owned_first = Some(res.clone());
            }
        }
        changes.push(
            Change::new(
                ChangeKind::SetOwner,
                Action::Alter,
                Phase::Ownership,
                format!("owner of {}", o.target.label()),
            )
            .group(group(&o.target, desired))
            .hazard(Hazard::ChangesAccess)
            .requires(resources(&o.target))
            .requires(owned_first)
            .provides([owner_res(&o.target)])
            .sql(sql),
        );
    }
    out.extend(changes);
}
