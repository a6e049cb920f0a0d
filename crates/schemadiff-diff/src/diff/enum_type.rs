//! Enum types, the diff stage: values added in place where PostgreSQL allows it, the type made anew (and
//! its columns converted through text) where it does not.

use super::*;

pub(super) fn enums(current: &Schema, desired: &Schema, types: &TypeNames, out: &mut Vec<Change>) {
    let cur: BTreeMap<&QualifiedName, &EnumType> =
        current.enums.iter().map(|e| (&e.name, e)).collect();
    for e in &desired.enums {
        let object = format!("type {}", e.name.sql());
        let res = Res::Type(e.name.clone());
        match cur.get(&e.name) {
            None => {
                out.push(
                    Change::new(
                        ChangeKind::CreateEnum,
                        Action::Create,
                        Phase::CreateType,
                        object.clone(),
                    )
                    .sql(create_enum(e))
                    .requires([in_schema(&e.name)])
                    .provides([res.clone()]),
                );
                if e.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("TYPE {}", e.name.sql()),
                        &e.comment,
                        vec![res],
                    ));
                }
            }
            Some(c) => {
                let old: Vec<&str> = c.values.iter().map(|v| v.name.as_str()).collect();
                let new: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
                if old != new {
                    if is_subsequence(&old, &new) {
                        // Only additions: each new value goes in its place, after the one before it.
                        let mut change = Change::new(
                            ChangeKind::AddEnumValues,
                            Action::Alter,
                            Phase::CreateType,
                            object.clone(),
                        )
                        .hazard(Hazard::NotTransactional)
                        .provides([res.clone()]);
                        for (i, v) in new.iter().enumerate() {
                            if old.contains(v) {
                                continue;
                            }
                            // After the value before it (which exists by now), or before the first old one.
                            let position = if i > 0 {
                                format!(" AFTER {}", quote_literal(new[i - 1]))
                            } else if let Some(next) = new.iter().find(|n| old.contains(n)) {
                                format!(" BEFORE {}", quote_literal(next))
                            } else {
                                String::new()
                            };
                            change = change.sql(format!(
                                "ALTER TYPE {} ADD VALUE {}{position}",
                                e.name.sql(),
                                quote_literal(v)
                            ));
                        }
                        out.push(change);
                    } else {
                        out.push(recreate_enum(c, e, current, desired, types));
                    }
                }
                if c.comment != e.comment {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("TYPE {}", e.name.sql()),
                        &e.comment,
                        vec![],
                    ));
                }
            }
        }
    }
    let des: BTreeSet<&QualifiedName> = desired.enums.iter().map(|e| &e.name).collect();
    for e in &current.enums {
        if !des.contains(&e.name) {
            out.push(
                Change::new(
                    ChangeKind::DropEnum,
                    Action::Drop,
                    Phase::DropType,
                    format!("type {}", e.name.sql()),
                )
                .sql(format!("DROP TYPE {}", e.name.sql()))
                .removes([Res::Type(e.name.clone())])
                .releases([in_schema(&e.name)]),
            );
        }
    }
}

pub(super) fn is_subsequence(short: &[&str], long: &[&str]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}

/// Values removed or reordered: PostgreSQL cannot do that in place, so the type is made anew and every column
/// of it converted through text (rows holding a removed value make this fail).
pub(super) fn recreate_enum(
    old: &EnumType,
    new: &EnumType,
    current: &Schema,
    desired: &Schema,
    types: &TypeNames,
) -> Change {
    let old_name = QualifiedName::new(
        old.name.schema.clone(),
        format!("{}__schemadiff_old", old.name.name),
    );
    let mut change = Change::new(
        ChangeKind::RecreateEnum,
        Action::Alter,
        Phase::AlterColumn,
        format!("type {}", new.name.sql()),
    )
    .hazard(Hazard::MayFailOnExistingData)
    .hazard(Hazard::RewritesTable)
    .hazard(Hazard::AccessExclusiveLock)
    .sql(format!(
        "ALTER TYPE {} RENAME TO {}",
        old.name.sql(),
        quote_ident(&old_name.name)
    ))
    .sql(create_enum(new))
    .provides([Res::Type(new.name.clone())]);
    // Domains, composite and range types made of the enum keep pointing at the old one, which then cannot
    // be dropped: a person must take them through.
    if current.domains.iter().any(|d| d.uses.contains(&old.name))
        || current
            .composite_types
            .iter()
            .any(|t| t.uses.contains(&old.name))
        || current
            .range_types
            .iter()
            .any(|r| r.uses.contains(&old.name))
    {
        change = change.hazard(Hazard::NeedsHandWrittenStep);
    }
    let text = type_text(&new.name);
    for t in &current.tables {
        for c in &t.columns {
            if types.enum_of(&c.data_type) != Some(Res::Type(new.name.clone())) {
                continue;
            }
            let col = quote_ident(&c.name);
            let array = &c.data_type[text.len()..];
            if c.default.is_some() {
                change = change.sql(format!(
                    "ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT",
                    t.name.sql()
                ));
            }
            change = change
                .sql(format!(
                    "ALTER TABLE {} ALTER COLUMN {col} TYPE {}{array} USING {col}::text{array}::{}{array}",
                    t.name.sql(),
                    new.name.sql(),
                    new.name.sql()
                ))
                .requires([Res::Column(t.name.clone(), c.name.clone())])
                .invalidates([Res::Column(t.name.clone(), c.name.clone())]);
            // The default comes back when the desired one is the same; a different one is set by the
            // column's own change, which runs after this one.
            let kept = desired
                .table(&t.name)
                .and_then(|dt| dt.column(&c.name))
                .is_some_and(|dc| dc.default == c.default);
            if let (Some(d), true) = (&c.default, kept) {
                // The old default names the old type; as text it casts to the new one.
                let value = d.replace(&format!("::{text}"), &format!("::{}", new.name.sql()));
                change = change.sql(format!(
                    "ALTER TABLE {} ALTER COLUMN {col} SET DEFAULT {}",
                    t.name.sql(),
                    inert(&value)
                ));
            }
        }
    }
    change.sql(format!("DROP TYPE {}", old_name.sql()))
}
