//! Renames, from the `renamed_from` directives of the desired schema: never guessed. A rename whose old name
//! is gone (or whose new name already exists) was done before, and is left out.

use std::collections::BTreeMap;

use schemadiff_model::{Directives, QualifiedName, Schema, Table, quote_ident, quote_literal};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

fn rename_change(kind: ChangeKind, object: String, group: String) -> Change {
    Change::new(kind, Action::Alter, Phase::Rename, object)
        .group(group)
        .hazard(Hazard::AccessExclusiveLock)
}

/// `ALTER <kind> ... SET SCHEMA` and `... RENAME TO`, as far as `old` and `new` differ.
fn move_and_rename(kind: &str, old: &QualifiedName, new: &QualifiedName) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = old.clone();
    if old.schema != new.schema {
        out.push(format!(
            "ALTER {kind} {} SET SCHEMA {}",
            old.sql(),
            quote_ident(&new.schema)
        ));
        at.schema = new.schema.clone();
    }
    if old.name != new.name {
        out.push(format!(
            "ALTER {kind} {} RENAME TO {}",
            at.sql(),
            quote_ident(&new.name)
        ));
    }
    out
}

/// The rename changes that bring `current` to the names of `desired`.
pub fn renames(current: &Schema, desired: &Schema, directives: &Directives) -> Vec<Change> {
    let mut out = Vec::new();
    // Every rename comes from a directive: without any, there is nothing to look at.
    if directives.renames().next().is_none() {
        return out;
    }
    let cur_tables: BTreeMap<&QualifiedName, &Table> =
        current.tables.iter().map(|t| (&t.name, &**t)).collect();

    for t in &desired.tables {
        // The table as it is now: under its old name when it is renamed in this plan.
        let mut now = cur_tables.get(&t.name).copied();
        if let (None, Some(old)) = (now, directives.old_table(&t.name)) {
            if let Some(o) = cur_tables.get(old) {
                now = Some(o);
                let group = format!("table {}", t.name.sql());
                let mut change = rename_change(ChangeKind::RenameTable, group.clone(), group)
                    .provides([Res::Table(t.name.clone())]);
                for sql in move_and_rename("TABLE", old, &t.name) {
                    change = change.sql(sql);
                }
                out.push(change);
            }
        }
        let Some(now) = now else { continue };
        let q = t.name.sql();
        let group = format!("table {q}");
        let needs = [Res::Table(t.name.clone())];
        for c in &t.columns {
            if let Some(old) = directives.old_column(&t.name, &c.name) {
                if now.column(old).is_some() && now.column(&c.name).is_none() {
                    out.push(
                        rename_change(
                            ChangeKind::RenameColumn,
                            format!("column {q}.{}", quote_ident(&c.name)),
                            group.clone(),
                        )
                        .sql(format!(
                            "ALTER TABLE {q} RENAME COLUMN {} TO {}",
                            quote_ident(old),
                            quote_ident(&c.name)
                        ))
                        .requires(needs.clone()),
                    );
                }
            }
        }
        let has_constraint = |t: &Table, name: &str| {
            t.primary_key
                .iter()
                .any(|p| p.name.as_deref() == Some(name))
                || t.uniques.iter().any(|u| u.name.as_deref() == Some(name))
                || t.checks.iter().any(|c| c.name.as_deref() == Some(name))
                || t.foreign_keys
                    .iter()
                    .any(|f| f.name.as_deref() == Some(name))
                || t.exclusions.iter().any(|x| x.name.as_deref() == Some(name))
        };
        let constraint_names = t
            .uniques
            .iter()
            .map(|u| &u.name)
            .chain(t.checks.iter().map(|c| &c.name))
            .chain(t.foreign_keys.iter().map(|f| &f.name));
        for name in constraint_names {
            let Some(name) = name else { continue };
            if let Some(old) = directives.old_constraint(&t.name, name) {
                if has_constraint(now, old) && !has_constraint(now, name) {
                    out.push(
                        rename_change(
                            ChangeKind::RenameConstraint,
                            format!("constraint {} on {q}", quote_ident(name)),
                            group.clone(),
                        )
                        .sql(format!(
                            "ALTER TABLE {q} RENAME CONSTRAINT {} TO {}",
                            quote_ident(old),
                            quote_ident(name)
                        ))
                        .requires(needs.clone()),
                    );
                }
            }
        }
        for i in &t.indexes {
            let Some(name) = &i.name else { continue };
            if let Some(old) = directives.old_index(&t.name, name) {
                let exists = |n: &str| now.indexes.iter().any(|x| x.name.as_deref() == Some(n));
                if exists(old) && !exists(name) {
                    let from = QualifiedName::new(t.name.schema.clone(), old.to_string());
                    out.push(
                        rename_change(
                            ChangeKind::RenameIndex,
                            format!(
                                "index {}",
                                QualifiedName::new(t.name.schema.clone(), name.clone()).sql()
                            ),
                            group.clone(),
                        )
                        .sql(format!(
                            "ALTER INDEX {} RENAME TO {}",
                            from.sql(),
                            quote_ident(name)
                        ))
                        .requires(needs.clone()),
                    );
                }
            }
        }
    }

    for e in &desired.enums {
        let mut now = current.enums.iter().find(|c| c.name == e.name);
        if let (None, Some(old)) = (now, directives.old_enum(&e.name)) {
            if let Some(o) = current.enums.iter().find(|c| &c.name == old) {
                now = Some(o);
                let object = format!("type {}", e.name.sql());
                let mut change = rename_change(ChangeKind::RenameEnum, object.clone(), object)
                    .provides([Res::Type(e.name.clone())]);
                for sql in move_and_rename("TYPE", old, &e.name) {
                    change = change.sql(sql);
                }
                out.push(change);
            }
        }
        let Some(now) = now else { continue };
        for v in &e.values {
            if let Some(old) = directives.old_value(&e.name, &v.name) {
                let has = |n: &str| now.values.iter().any(|x| x.name == n);
                if has(old) && !has(&v.name) {
                    let object = format!("type {}", e.name.sql());
                    out.push(
                        rename_change(ChangeKind::RenameEnumValue, object.clone(), object)
                            .sql(format!(
                                "ALTER TYPE {} RENAME VALUE {} TO {}",
                                e.name.sql(),
                                quote_literal(old),
                                quote_literal(&v.name)
                            ))
                            .requires([Res::Type(e.name.clone())]),
                    );
                }
            }
        }
    }

    for s in &desired.sequences {
        if let Some(old) = directives.old_sequence(&s.name) {
            let exists = |n: &QualifiedName| current.sequences.iter().any(|c| &c.name == n);
            if exists(old) && !exists(&s.name) {
                let object = format!("sequence {}", s.name.sql());
                let mut change = rename_change(ChangeKind::RenameSequence, object.clone(), object)
                    .provides([Res::Sequence(s.name.clone())]);
                for sql in move_and_rename("SEQUENCE", old, &s.name) {
                    change = change.sql(sql);
                }
                out.push(change);
            }
        }
    }
    crate::change::assign_tables(&[current, desired], &mut out);
    out
}
