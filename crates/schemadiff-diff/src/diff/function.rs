//! Functions and procedures, the diff stage.
//!
//! A function is identified by its name and input argument types. A change of body or options is
//! `CREATE OR REPLACE`; a change PostgreSQL cannot make in place (the result type, argument names or defaults,
//! function to procedure) drops and creates it again. Another argument list is another function: the old one
//! is dropped, the new one created.
//!
//! A function that is dropped (for good or to be created again) takes with it what uses it, by the catalog
//! (`Function::used_by`, read from `pg_depend`): column defaults, constraints and indexes that call it are
//! dropped before and made again after (unless the plan already drops them), triggers that run it
//! (`crate::trigger`), views that call it (`crate::view`) and functions whose SQL-standard body calls it are
//! made anew around it. A function whose SQL-standard body reads what the plan removes (a dropped column) is
//! itself dropped before and created after that change. Bodies in procedural languages are opaque: what they
//! name is not tracked, which the `untrackable_dependencies` hazard says, on the function's own changes and
//! on drops of tables and columns whose names appear in such a body.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::function::{comment_on_function, create_function, drop_function};
use schemadiff_model::render::{check_clause, create_index};
use schemadiff_model::{Function, FunctionUse, FunctionUser, QualifiedName, Schema, quote_ident};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

type Key<'a> = (&'a QualifiedName, &'a str);

fn key(f: &Function) -> Key<'_> {
    (&f.name, f.signature.as_str())
}

/// The resource a function provides.
pub(crate) fn resource(f: &Function) -> Res {
    Res::Function(f.name.clone(), f.signature.clone())
}

/// The changes of functions and procedures, given the other changes of the plan (`out`), to which they are
/// added. Runs before the views and triggers, which follow the functions they use.
pub(crate) fn functions(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<Key, &Function> = current.functions.iter().map(|f| (key(f), f)).collect();
    let des: BTreeMap<Key, &Function> = desired.functions.iter().map(|f| (key(f), f)).collect();

    let removed: BTreeSet<Res> = out.iter().flat_map(|c| c.removes.iter()).cloned().collect();
    let invalidated: BTreeSet<Res> = out
        .iter()
        .flat_map(|c| c.invalidates.iter())
        .cloned()
        .collect();

    // Functions that are dropped: gone from the model, changed beyond CREATE OR REPLACE, or reading what
    // the plan removes; then the functions whose SQL-standard bodies call those, on and on.
    let mut rebuild: BTreeSet<Key> = BTreeSet::new();
    for (k, old) in &cur {
        let replaced_in_place = des.get(k).is_some_and(|new| !needs_recreate(old, new));
        // A body that reads what is removed is replaced before (its new version cannot read it), but one
        // that reads a column made anew (a type change) must be gone while it changes.
        let old_uses = uses(old, current);
        let reads_remade = old_uses.iter().any(|r| invalidated.contains(r));
        let reads_removed = old_uses.iter().any(|r| removed.contains(r));
        let unchanged = des.get(k).is_some_and(|new| same_definition(old, new));
        if !replaced_in_place || reads_remade || (reads_removed && unchanged) {
            rebuild.insert(*k);
        }
    }
    loop {
        let more: Vec<Key> = cur
            .iter()
            .filter(|(k, _)| !rebuild.contains(*k))
            .filter(|(_, f)| {
                f.uses.iter().any(|u| match u {
                    FunctionUse::Function(n, s) => rebuild.contains(&(n, s.as_str())),
                    _ => false,
                })
            })
            .map(|(k, _)| *k)
            .collect();
        if more.is_empty() {
            break;
        }
        rebuild.extend(more);
    }

    for (k, old) in &cur {
        let new = des.get(k);
        if rebuild.contains(k) {
            out.push(drop_change(old, current));
            dependents(old, current, desired, new.copied(), out);
            if let Some(new) = new {
                out.extend(create_changes(new, desired));
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
    }
    for (k, new) in &des {
        if !cur.contains_key(k) {
            out.extend(create_changes(new, desired));
        }
    }
    users_wait(desired, out);
    opaque_body_warnings(current, out);
}

/// The changes that make what calls a desired function (a table with such a default or check, an added
/// constraint or index, a column default) wait for it: otherwise an expression could bind to another
/// overload that still exists, or fail.
fn users_wait(desired: &Schema, out: &mut [Change]) {
    for f in &desired.functions {
        let needed = resource(f);
        for user in &f.used_by {
            let targets: Vec<Res> = match user {
                FunctionUser::Default(t, c) => {
                    vec![Res::Table(t.clone()), Res::Column(t.clone(), c.clone())]
                }
                FunctionUser::Constraint(t, n) | FunctionUser::Index(t, n) => {
                    vec![Res::Table(t.clone()), Res::Named(t.clone(), n.clone())]
                }
                _ => continue,
            };
            for c in out.iter_mut() {
                let makes = c.provides.iter().any(|r| targets.contains(r));
                let sets_default = matches!(user, FunctionUser::Default(..))
                    && matches!(c.kind, ChangeKind::AlterColumn | ChangeKind::SetDefault)
                    && c.requires.iter().any(|r| targets.contains(r));
                if (makes || sets_default)
                    && !c.requires.contains(&needed)
                    && !c.provides.contains(&needed)
                {
                    c.requires.push(needed.clone());
                }
            }
        }
    }
}

/// Everything but the comment and what the catalog says it uses.
fn same_definition(a: &Function, b: &Function) -> bool {
    let strip = |f: &Function| Function {
        comment: None,
        uses: Vec::new(),
        used_by: Vec::new(),
        ..f.clone()
    };
    strip(a) == strip(b)
}

/// CREATE OR REPLACE cannot take `old` to `new`.
pub(super) fn needs_recreate(old: &Function, new: &Function) -> bool {
    old.procedure != new.procedure || old.returns != new.returns || old.arguments != new.arguments
}

/// What a function uses, as resources of `schema`.
fn uses(f: &Function, schema: &Schema) -> Vec<Res> {
    let mut out: Vec<Res> = f
        .uses
        .iter()
        .map(|u| match u {
            FunctionUse::Relation(q) if schema.view(q).is_some() => Res::View(q.clone()),
            FunctionUse::Relation(q) => Res::Table(q.clone()),
            FunctionUse::Column(q, c) => Res::Column(q.clone(), c.clone()),
            FunctionUse::Type(q) => Res::Type(q.clone()),
            FunctionUse::Function(n, s) => Res::Function(n.clone(), s.clone()),
        })
        .collect();
    if f.name.schema != schemadiff_model::ident::DEFAULT_SCHEMA {
        out.push(Res::Schema(f.name.schema.clone()));
    }
    out
}

fn group(f: &Function) -> String {
    f.label()
}

/// A body whose dependencies the server does not record.
fn opaque(f: &Function) -> bool {
    !f.sql_standard_body() && !matches!(f.language.as_str(), "internal" | "c")
}

fn drop_change(f: &Function, current: &Schema) -> Change {
    let mut change = Change::new(
        if f.procedure {
            ChangeKind::DropProcedure
        } else {
            ChangeKind::DropFunction
        },
        Action::Drop,
        Phase::DropFunction,
        f.label(),
    )
    .group(group(f))
    .sql(drop_function(f))
    .removes([resource(f)])
    .releases(uses(f, current));
    if opaque(f) {
        change = change.hazard(Hazard::UntrackableDependencies);
    }
    change
}

fn create_changes(f: &Function, desired: &Schema) -> Vec<Change> {
    let mut create = Change::new(
        if f.procedure {
            ChangeKind::CreateProcedure
        } else {
            ChangeKind::CreateFunction
        },
        Action::Create,
        Phase::CreateFunction,
        f.label(),
    )
    .group(group(f));
    if f.language == "sql" && !f.sql_standard_body() {
        // A quoted SQL body is checked when created unless told otherwise; what it names may come later.
        create = create.sql("SET check_function_bodies = off");
    }
    create = create
        .sql(create_function(f, false))
        .requires(uses(f, desired))
        .provides([resource(f)]);
    if f.definer_without_search_path() {
        create = create.hazard(Hazard::SecurityDefinerWithoutSearchPath);
    }
    let mut out = vec![create];
    if f.comment.is_some() {
        out.push(comment_change(f));
    }
    out
}

fn replace_change(old: &Function, new: &Function, current: &Schema, desired: &Schema) -> Change {
    let mut change = Change::new(
        if new.procedure {
            ChangeKind::ReplaceProcedure
        } else {
            ChangeKind::ReplaceFunction
        },
        Action::Alter,
        Phase::CreateFunction,
        new.label(),
    )
    .group(group(new));
    if new.language == "sql" && !new.sql_standard_body() {
        change = change.sql("SET check_function_bodies = off");
    }
    change = change
        .sql(create_function(new, true))
        .requires(uses(new, desired))
        .requires([resource(new)])
        .releases(uses(old, current));
    if opaque(new) && old.body != new.body {
        change = change.hazard(Hazard::UntrackableDependencies);
    }
    if new.definer_without_search_path() {
        change = change.hazard(Hazard::SecurityDefinerWithoutSearchPath);
    }
    change
}

fn comment_change(f: &Function) -> Change {
    Change::new(
        ChangeKind::SetComment,
        Action::Alter,
        Phase::Comment,
        f.label(),
    )
    .group(group(f))
    .sql(comment_on_function(f, &f.comment))
    .requires([resource(f)])
}

/// The defaults, constraints and indexes that call `old`, which is dropped: the changes of the plan that
/// already drop them release it; the others are dropped before it and made again (as `desired` has them)
/// after it, or after `new`.
fn dependents(
    old: &Function,
    current: &Schema,
    desired: &Schema,
    new: Option<&Function>,
    out: &mut Vec<Change>,
) {
    let released = resource(old);
    let needed: Vec<Res> = new.map(resource).into_iter().collect();
    for user in &old.used_by {
        let (table, handled_by): (&QualifiedName, Vec<Res>) = match user {
            FunctionUser::Default(t, c) => (
                t,
                vec![Res::Table(t.clone()), Res::Column(t.clone(), c.clone())],
            ),
            FunctionUser::Constraint(t, n) | FunctionUser::Index(t, n) => (
                t,
                vec![Res::Table(t.clone()), Res::Named(t.clone(), n.clone())],
            ),
            // Views, triggers and functions follow by their own diffs.
            _ => continue,
        };
        let mut handled = false;
        for c in out.iter_mut() {
            if c.removes.iter().any(|r| handled_by.contains(r)) {
                c.releases.push(released.clone());
                handled = true;
            }
        }
        if handled {
            continue;
        }
        let (Some(cur_t), Some(des_t)) = (current.table(table), desired.table(table)) else {
            continue;
        };
        let group = format!("table {}", table.sql());
        match user {
            FunctionUser::Default(t, c) => {
                let (Some(col), Some(des_col)) = (
                    cur_t.columns.iter().find(|x| &x.name == c),
                    des_t.columns.iter().find(|x| &x.name == c),
                ) else {
                    continue;
                };
                if col.extras().generated.is_some() {
                    continue;
                }
                let alter = format!("ALTER TABLE {} ALTER COLUMN {}", t.sql(), quote_ident(c));
                let object = format!("default of column {}.{}", t.sql(), quote_ident(c));
                out.push(
                    Change::new(
                        ChangeKind::DropDefault,
                        Action::Alter,
                        Phase::DropIndexOrConstraint,
                        object.clone(),
                    )
                    .group(group.clone())
                    .sql(format!("{alter} DROP DEFAULT"))
                    .requires([Res::Column(t.clone(), c.clone())])
                    .releases([released.clone()]),
                );
                if let Some(d) = &des_col.default {
                    out.push(
                        Change::new(
                            ChangeKind::SetDefault,
                            Action::Alter,
                            Phase::AlterColumn,
                            object,
                        )
                        .group(group)
                        .sql(format!(
                            "{alter} SET DEFAULT {}",
                            schemadiff_model::render::inert(d)
                        ))
                        .requires([Res::Column(t.clone(), c.clone())])
                        .requires(needed.clone())
                        .requires(function_resources(desired)),
                    );
                }
            }
            FunctionUser::Constraint(t, n) => {
                let same = |x: &&schemadiff_model::Check| x.name.as_deref() == Some(n.as_str());
                if cur_t.checks.iter().find(same).is_none() {
                    continue;
                }
                let object = format!("constraint {} on {}", quote_ident(n), t.sql());
                out.push(
                    Change::new(
                        ChangeKind::DropConstraint,
                        Action::Drop,
                        Phase::DropIndexOrConstraint,
                        object.clone(),
                    )
                    .group(group.clone())
                    .sql(format!(
                        "ALTER TABLE {} DROP CONSTRAINT {}",
                        t.sql(),
                        quote_ident(n)
                    ))
                    .hazard(Hazard::AccessExclusiveLock)
                    .removes([Res::Named(t.clone(), n.clone())])
                    .releases([released.clone()]),
                );
                if let Some(check) = des_t.checks.iter().find(same) {
                    out.push(
                        Change::new(
                            ChangeKind::AddConstraint,
                            Action::Create,
                            Phase::AddConstraint,
                            object,
                        )
                        .group(group)
                        .sql(format!(
                            "ALTER TABLE {} ADD {}",
                            t.sql(),
                            check_clause(check)
                        ))
                        .hazard(Hazard::AccessExclusiveLock)
                        .hazard(Hazard::MayFailOnExistingData)
                        .requires([Res::Table(t.clone())])
                        .requires(needed.clone())
                        .requires(function_resources(desired))
                        .provides([Res::Named(t.clone(), n.clone())]),
                    );
                }
            }
            FunctionUser::Index(t, n) => {
                let same = |x: &&schemadiff_model::Index| x.name.as_deref() == Some(n.as_str());
                if cur_t.indexes.iter().find(same).is_none() {
                    continue;
                }
                let name = QualifiedName::new(t.schema.clone(), n.clone());
                let object = format!("index {}", name.sql());
                out.push(
                    Change::new(
                        ChangeKind::DropIndex,
                        Action::Drop,
                        Phase::DropIndexOrConstraint,
                        object.clone(),
                    )
                    .group(group.clone())
                    .sql(format!("DROP INDEX {}", name.sql()))
                    .hazard(Hazard::AccessExclusiveLock)
                    .removes([Res::Named(t.clone(), n.clone()), Res::relation_of(&name)])
                    .releases([released.clone()]),
                );
                if let Some(idx) = des_t.indexes.iter().find(same) {
                    out.push(
                        Change::new(
                            ChangeKind::CreateIndex,
                            Action::Create,
                            Phase::CreateIndex,
                            object,
                        )
                        .group(group)
                        .sql(create_index(t, idx))
                        .hazard(Hazard::BuildsIndexBlockingWrites)
                        .requires([Res::Table(t.clone())])
                        .requires(needed.clone())
                        .requires(function_resources(desired))
                        .provides([Res::Named(t.clone(), n.clone()), Res::relation_of(&name)]),
                    );
                }
            }
            _ => {}
        }
    }
}

/// Every function of `schema` by name alone: what a re-created default, check or index calls is among them.
fn function_resources(schema: &Schema) -> Vec<Res> {
    schema
        .functions
        .iter()
        .map(|f| Res::Function(f.name.clone(), String::new()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A drop of a table or column whose name appears in an opaque body of a current function: the server cannot
/// say whether the body still works.
fn opaque_body_warnings(current: &Schema, out: &mut [Change]) {
    let bodies: Vec<String> = current
        .functions
        .iter()
        .filter(|f| opaque(f))
        .map(|f| f.body.to_lowercase())
        .collect();
    if bodies.is_empty() {
        return;
    }
    let named = |name: &str| {
        let n = name.to_lowercase();
        bodies.iter().any(|b| {
            b.match_indices(&n).any(|(i, _)| {
                let before = b[..i].chars().next_back();
                let after = b[i + n.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !word(before) && !word(after)
            })
        })
    };
    for c in out.iter_mut() {
        if c.action != Action::Drop
            && c.kind != ChangeKind::RecreateColumn
            && c.kind != ChangeKind::AlterColumn
        {
            continue;
        }
        let hit = c.removes.iter().chain(&c.invalidates).any(|r| match r {
            Res::Table(q) => named(&q.name),
            Res::Column(_, col) => named(col),
            _ => false,
        });
        if hit
            && matches!(
                c.kind,
                ChangeKind::DropTable
                    | ChangeKind::DropColumn
                    | ChangeKind::AlterColumn
                    | ChangeKind::RecreateColumn
            )
        {
            c.hazards.push(Hazard::UntrackableDependencies);
            c.hazards.sort();
            c.hazards.dedup();
        }
    }
}
