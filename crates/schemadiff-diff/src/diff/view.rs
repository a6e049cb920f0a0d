//! Views and materialized views, the diff stage.
//!
//! A view whose query changes is replaced in place (`CREATE OR REPLACE VIEW`) when PostgreSQL allows it: a
//! plain view whose old output columns come first, unchanged in name and type, in the new one. Otherwise it is
//! dropped and created again, and so is every view that reads it, transitively.
//!
//! PostgreSQL refuses to change the type of a column a view reads, or to drop a column, table or type a view
//! uses. So a view whose query reads something another change removes or makes anew (`Change::removes`,
//! `Change::invalidates`: a dropped column, a column whose type changes, a recreated enum's columns, a view
//! made anew) is dropped before that change and created again after it, with its comment and indexes; the
//! views that read it follow, on and on. What a view reads comes from the catalog (`View::uses`, the
//! `pg_depend` rows of its rewrite rule), never from its text. The ordering graph does the rest: a drop
//! releases what the view read, a create requires what it reads, and the rebuilt resources carry the edges.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::render::create_index;
use schemadiff_model::view::{comment_on_view, create_view, drop_view, replace_view};
use schemadiff_model::{Index, QualifiedName, Schema, View, ViewUse};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

/// The changes of views, given the other changes of the plan (`out`), to which they are added.
pub(super) fn views(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<&QualifiedName, &View> = current.views.iter().map(|v| (&v.name, v)).collect();
    let des: BTreeMap<&QualifiedName, &View> = desired.views.iter().map(|v| (&v.name, v)).collect();

    // What the rest of the plan takes away or makes anew.
    let mut gone: BTreeSet<Res> = out
        .iter()
        .flat_map(|c| c.removes.iter().chain(&c.invalidates))
        .cloned()
        .collect();

    // Views that cannot stay as they are: dropped, or changed beyond an in-place replacement.
    let mut rebuild: BTreeSet<&QualifiedName> = BTreeSet::new();
    for (name, old) in &cur {
        match des.get(name) {
            None => {
                rebuild.insert(name);
            }
            Some(new) if !same_definition(old, new) && !replaceable(old, new) => {
                rebuild.insert(name);
            }
            _ => {}
        }
    }
    for name in &rebuild {
        gone.extend(provided(cur[name]));
    }
    // Views that read what goes, transitively.
    loop {
        let more: Vec<&QualifiedName> = cur
            .iter()
            .filter(|(name, v)| {
                !rebuild.contains(*name) && uses(v, current).iter().any(|r| gone.contains(r))
            })
            .map(|(name, _)| *name)
            .collect();
        if more.is_empty() {
            break;
        }
        for name in more {
            rebuild.insert(name);
            gone.extend(provided(cur[name]));
        }
    }

    for (name, old) in &cur {
        let new = des.get(name);
        if rebuild.contains(name) {
            out.push(drop_change(old, current));
            if let Some(new) = new {
                out.extend(create_changes(new, desired, old.materialized));
            }
            continue;
        }
        let Some(new) = new else { continue };
        if !same_definition(old, new) {
            out.push(replace_change(old, new, current, desired));
        }
        if old.comment != new.comment {
            out.push(comment_change(new));
        }
        for idx in &old.indexes {
            if !new.indexes.contains(idx) {
                out.push(drop_index_change(old, idx));
            }
        }
        for idx in &new.indexes {
            if !old.indexes.contains(idx) {
                out.push(create_index_change(new, idx));
            }
        }
    }
    for (name, new) in &des {
        if !cur.contains_key(name) {
            out.extend(create_changes(new, desired, false));
        }
    }
}

/// Everything but the comment and the indexes, which change on their own.
fn same_definition(a: &View, b: &View) -> bool {
    a.materialized == b.materialized
        && a.query == b.query
        && a.columns == b.columns
        && a.check_option == b.check_option
        && a.security_barrier == b.security_barrier
        && a.security_invoker == b.security_invoker
        && a.with_data == b.with_data
        && a.output == b.output
}

/// `CREATE OR REPLACE VIEW` can take `old` to `new`: plain views, and the old columns come first in the new
/// ones, with the same names and types.
fn replaceable(old: &View, new: &View) -> bool {
    !old.materialized
        && !new.materialized
        && old.output.len() <= new.output.len()
        && old.output.iter().zip(&new.output).all(|(a, b)| a == b)
}

/// What a view's existence provides: itself, its columns and its name.
fn provided(v: &View) -> Vec<Res> {
    let mut out = vec![Res::View(v.name.clone()), Res::relation_of(&v.name)];
    out.extend(
        v.output
            .iter()
            .map(|c| Res::Column(v.name.clone(), c.name.clone())),
    );
    out
}

/// What a view reads, as resources of `schema` (a relation is a view or a table).
fn uses(v: &View, schema: &Schema) -> Vec<Res> {
    let mut out: Vec<Res> = v
        .uses
        .iter()
        .map(|u| match u {
            ViewUse::Relation(q) if schema.view(q).is_some() => Res::View(q.clone()),
            ViewUse::Relation(q) => Res::Table(q.clone()),
            ViewUse::Column(q, c) => Res::Column(q.clone(), c.clone()),
            ViewUse::Type(q) => Res::Type(q.clone()),
        })
        .collect();
    // A column read is a relation read (the catalog may record only the column).
    let relations: Vec<Res> = v
        .uses
        .iter()
        .filter_map(|u| match u {
            ViewUse::Column(q, _) if schema.view(q).is_some() => Some(Res::View(q.clone())),
            ViewUse::Column(q, _) => Some(Res::Table(q.clone())),
            _ => None,
        })
        .collect();
    for r in relations {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    if v.name.schema != schemadiff_model::ident::DEFAULT_SCHEMA {
        out.push(Res::Schema(v.name.schema.clone()));
    }
    // The functions it calls, from their side of the catalog's dependencies.
    out.extend(
        schema
            .functions
            .iter()
            .filter(|f| {
                f.used_by
                    .contains(&schemadiff_model::FunctionUser::View(v.name.clone()))
            })
            .map(super::function::resource),
    );
    out
}

fn group(v: &View) -> String {
    v.label()
}

fn drop_change(v: &View, current: &Schema) -> Change {
    let mut removes = provided(v);
    removes.extend(
        v.indexes
            .iter()
            .filter_map(|i| i.name.as_ref().map(|n| Res::relation(&v.name.schema, n))),
    );
    Change::new(
        ChangeKind::DropView,
        Action::Drop,
        Phase::DropView,
        v.label(),
    )
    .group(group(v))
    .sql(drop_view(v))
    .hazard(Hazard::AccessExclusiveLock)
    .removes(removes)
    .releases(uses(v, current))
}

/// The view, its comment and its indexes; `rebuilt` when a materialized view is made anew (its data is
/// computed again).
fn create_changes(v: &View, desired: &Schema, rebuilt: bool) -> Vec<Change> {
    let mut create = Change::new(
        ChangeKind::CreateView,
        Action::Create,
        Phase::CreateView,
        v.label(),
    )
    .group(group(v))
    .sql(create_view(v))
    .requires(uses(v, desired))
    .provides(provided(v));
    if rebuilt && v.materialized {
        create = create.hazard(Hazard::RecomputesMaterializedView);
    }
    let mut out = vec![create];
    if v.comment.is_some() {
        out.push(comment_change(v));
    }
    out.extend(v.indexes.iter().map(|i| create_index_change(v, i)));
    out
}

fn replace_change(old: &View, new: &View, current: &Schema, desired: &Schema) -> Change {
    let added: Vec<Res> = new.output[old.output.len().min(new.output.len())..]
        .iter()
        .map(|c| Res::Column(new.name.clone(), c.name.clone()))
        .collect();
    Change::new(
        ChangeKind::ReplaceView,
        Action::Alter,
        Phase::CreateView,
        new.label(),
    )
    .group(group(new))
    .sql(replace_view(new))
    .hazard(Hazard::AccessExclusiveLock)
    .requires(uses(new, desired))
    .requires([Res::View(new.name.clone())])
    .releases(uses(old, current))
    .provides(added)
}

fn comment_change(v: &View) -> Change {
    Change::new(
        ChangeKind::SetComment,
        Action::Alter,
        Phase::Comment,
        v.label(),
    )
    .group(group(v))
    .sql(comment_on_view(v, &v.comment))
    .requires([Res::View(v.name.clone())])
}

fn index_name(v: &View, idx: &Index) -> QualifiedName {
    QualifiedName::new(v.name.schema.clone(), idx.name.clone().unwrap_or_default())
}

fn create_index_change(v: &View, idx: &Index) -> Change {
    let name = index_name(v, idx);
    let mut change = Change::new(
        ChangeKind::CreateIndex,
        Action::Create,
        Phase::CreateIndex,
        format!("index {}", name.sql()),
    )
    .group(group(v))
    .sql(create_index(&v.name, idx))
    .requires([Res::View(v.name.clone())])
    .provides([Res::relation_of(&name)]);
    if let Some(c) = &idx.comment {
        change = change.sql(format!(
            "COMMENT ON INDEX {} IS {}",
            name.sql(),
            schemadiff_model::quote_literal(c)
        ));
    }
    change
}

fn drop_index_change(v: &View, idx: &Index) -> Change {
    let name = index_name(v, idx);
    Change::new(
        ChangeKind::DropIndex,
        Action::Drop,
        Phase::DropIndexOrConstraint,
        format!("index {}", name.sql()),
    )
    .group(group(v))
    .sql(format!("DROP INDEX {}", name.sql()))
    .hazard(Hazard::AccessExclusiveLock)
    .removes([Res::relation_of(&name)])
}
