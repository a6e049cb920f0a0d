//! Range types, the diff stage. PostgreSQL alters nothing of a range type but its comment (and name): any
//! other change drops the type and creates it again, which PostgreSQL refuses while a column or another type
//! is of it; such a change carries `needs_hand_written_step`, and the plan stops on the server's refusal.
//! A range type whose `subtype_diff` is a function of the database's own is created after that function and
//! dropped before it, and dropped and created again around it when the function is (a change of its result or
//! argument names).

use schemadiff_model::RangeType;
use schemadiff_model::range::{comment_on_range, create_range};

use super::*;

/// The types a range type provides: itself and its multirange type.
fn provided(r: &RangeType) -> [Res; 2] {
    [Res::Type(r.name.clone()), Res::Type(r.multirange_name())]
}

/// The functions of `schema` its `subtype_diff` names, as resources.
fn diff_functions(r: &RangeType, schema: &Schema) -> Vec<Res> {
    r.subtype_diff_functions(&schema.functions)
        .into_iter()
        .map(super::function::resource)
        .collect()
}

/// Whether a function its `subtype_diff` names is dropped and created again (a change `CREATE OR REPLACE`
/// cannot make), which PostgreSQL refuses while the range type depends on it.
fn diff_function_remade(r: &RangeType, current: &Schema, desired: &Schema) -> bool {
    r.subtype_diff_functions(&current.functions)
        .into_iter()
        .any(|old| {
            desired
                .functions
                .iter()
                .find(|f| f.name == old.name && f.signature == old.signature)
                .is_some_and(|new| super::function::needs_recreate(old, new))
        })
}

pub(super) fn range_types(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<&QualifiedName, &RangeType> =
        current.range_types.iter().map(|r| (&r.name, r)).collect();
    for r in &desired.range_types {
        let object = format!("type {}", r.name.sql());
        match cur.get(&r.name) {
            None => {
                out.push(
                    Change::new(
                        ChangeKind::CreateRangeType,
                        Action::Create,
                        Phase::CreateType,
                        object.clone(),
                    )
                    .sql(create_range(r))
                    .requires([in_schema(&r.name)])
                    .requires(r.uses.iter().map(|u| Res::Type(u.clone())))
                    .requires(diff_functions(r, desired))
                    .provides(provided(r)),
                );
                if r.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("TYPE {}", r.name.sql()),
                        &r.comment,
                        vec![Res::Type(r.name.clone())],
                    ));
                }
            }
            Some(c) => {
                let mut same = (*c).clone();
                same.comment = r.comment.clone();
                if same == *r && diff_function_remade(c, current, desired) {
                    // The function is dropped and created again: the type goes before and comes back after.
                    let in_use = super::composite::type_in_use(current, &c.name)
                        || super::composite::type_in_use(current, &c.multirange_name());
                    let mut drop = Change::new(
                        ChangeKind::DropRangeType,
                        Action::Drop,
                        Phase::AlterColumn,
                        object.clone(),
                    )
                    .sql(format!("DROP TYPE {}", c.name.sql()))
                    .removes(provided(c))
                    .releases(diff_functions(c, current));
                    if in_use {
                        drop = drop
                            .hazard(Hazard::NeedsHandWrittenStep)
                            .hazard(Hazard::DeletesData);
                    }
                    out.push(drop);
                    let mut create = Change::new(
                        ChangeKind::CreateRangeType,
                        Action::Create,
                        Phase::AlterColumn,
                        object.clone(),
                    )
                    .sql(create_range(r))
                    .requires(r.uses.iter().map(|u| Res::Type(u.clone())))
                    .requires(diff_functions(r, desired))
                    .provides(provided(r));
                    if r.comment.is_some() {
                        create = create.sql(comment_on_range(r, &r.comment));
                    }
                    out.push(create);
                } else if &same != r {
                    let mut change = Change::new(
                        ChangeKind::RecreateRangeType,
                        Action::Alter,
                        Phase::AlterColumn,
                        object.clone(),
                    )
                    .sql(format!("DROP TYPE {}", c.name.sql()))
                    .sql(create_range(r))
                    .removes(provided(c))
                    .releases(c.uses.iter().map(|u| Res::Type(u.clone())))
                    .releases(diff_functions(c, current))
                    .requires(r.uses.iter().map(|u| Res::Type(u.clone())))
                    .requires(diff_functions(r, desired))
                    .provides(provided(r));
                    if r.comment.is_some() {
                        change = change.sql(comment_on_range(r, &r.comment));
                    }
                    if super::composite::type_in_use(current, &c.name)
                        || super::composite::type_in_use(current, &c.multirange_name())
                    {
                        change = change
                            .hazard(Hazard::NeedsHandWrittenStep)
                            .hazard(Hazard::DeletesData);
                    }
                    out.push(change);
                } else if c.comment != r.comment {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("TYPE {}", r.name.sql()),
                        &r.comment,
                        vec![],
                    ));
                }
            }
        }
    }
    let des: BTreeSet<&QualifiedName> = desired.range_types.iter().map(|r| &r.name).collect();
    for r in &current.range_types {
        if !des.contains(&r.name) {
            out.push(
                Change::new(
                    ChangeKind::DropRangeType,
                    Action::Drop,
                    Phase::DropType,
                    format!("type {}", r.name.sql()),
                )
                .sql(format!("DROP TYPE {}", r.name.sql()))
                .removes(provided(r))
                .releases([in_schema(&r.name)])
                .releases(r.uses.iter().map(|u| Res::Type(u.clone())))
                .releases(r.uses.iter().map(|u| Res::MadeOf(u.clone())))
                .releases(diff_functions(r, current)),
            );
        }
    }
}
