//! Composite types, the diff stage: attributes added, dropped and retyped in place (`ALTER TYPE ... ADD |
//! DROP | ALTER ATTRIBUTE`), the type made anew when its attributes change order (which no ALTER can do).
//! PostgreSQL refuses to retype an attribute, or to remake the type, while a column (or another type) is of
//! it: such a change carries `needs_hand_written_step`, and the server's refusal is what verification shows.

use schemadiff_model::composite::{attribute_definition, comment_on_composite, create_composite};
use schemadiff_model::{CompositeType, ObjectRef};

use super::*;

pub(super) fn composite_types(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<&QualifiedName, &CompositeType> = current
        .composite_types
        .iter()
        .map(|t| (&t.name, t))
        .collect();
    for t in &desired.composite_types {
        let object = format!("type {}", t.name.sql());
        let res = Res::Type(t.name.clone());
        match cur.get(&t.name) {
            None => {
                out.push(
                    Change::new(
                        ChangeKind::CreateCompositeType,
                        Action::Create,
                        Phase::CreateType,
                        object.clone(),
                    )
                    .sql(create_composite(t))
                    .requires([in_schema(&t.name)])
                    .requires(t.uses.iter().map(|u| Res::Type(u.clone())))
                    .provides([res.clone()]),
                );
                if t.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("TYPE {}", t.name.sql()),
                        &t.comment,
                        vec![res],
                    ));
                }
            }
            Some(c) => {
                if c.attributes != t.attributes {
                    out.push(alter_composite(c, t, current, desired));
                }
                if c.comment != t.comment {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("TYPE {}", t.name.sql()),
                        &t.comment,
                        vec![],
                    ));
                }
            }
        }
    }
    let des: BTreeSet<&QualifiedName> = desired.composite_types.iter().map(|t| &t.name).collect();
    for t in &current.composite_types {
        if !des.contains(&t.name) {
            out.push(
                Change::new(
                    ChangeKind::DropCompositeType,
                    Action::Drop,
                    Phase::DropType,
                    format!("type {}", t.name.sql()),
                )
                .sql(format!("DROP TYPE {}", t.name.sql()))
                .removes([Res::Type(t.name.clone())])
                .releases([in_schema(&t.name)])
                .releases(t.uses.iter().map(|u| Res::Type(u.clone())))
                .releases(t.uses.iter().map(|u| Res::MadeOf(u.clone()))),
            );
        }
    }
}

/// Whether a column of a table or an attribute of another type is of `name` in `schema` (by the catalog),
/// or a domain is made of it.
pub(super) fn type_in_use(schema: &Schema, name: &QualifiedName) -> bool {
    schema.dependencies.iter().any(|d| {
        matches!((&d.dependent, &d.referenced), (ObjectRef::Column(_, _), ObjectRef::Type(ty)) if ty == name)
    }) || schema.domains.iter().any(|d| d.uses.contains(name))
}

fn alter_composite(
    old: &CompositeType,
    new: &CompositeType,
    current: &Schema,
    desired: &Schema,
) -> Change {
    let name = new.name.sql();
    let mut change = Change::new(
        ChangeKind::AlterCompositeType,
        Action::Alter,
        Phase::AlterColumn,
        format!("type {name}"),
    )
    .requires(new.uses.iter().map(|u| Res::Type(u.clone())))
    .releases(old.uses.iter().map(|u| Res::Type(u.clone())))
    .provides([Res::Type(new.name.clone())]);
    let in_use = type_in_use(current, &old.name);
    // The attributes kept must stay in their order, and new ones come after them: else no ALTER can do it.
    let kept_old: Vec<&str> = old
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .filter(|n| new.attributes.iter().any(|a| a.name == *n))
        .collect();
    let kept_new: Vec<&str> = new
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .filter(|n| old.attributes.iter().any(|a| a.name == *n))
        .collect();
    let first_added = new
        .attributes
        .iter()
        .position(|a| !old.attributes.iter().any(|o| o.name == a.name));
    let last_kept = new
        .attributes
        .iter()
        .rposition(|a| old.attributes.iter().any(|o| o.name == a.name));
    let in_order = kept_old == kept_new
        && match (first_added, last_kept) {
            (Some(f), Some(l)) => f > l,
            _ => true,
        };
    if !in_order {
        change.kind = ChangeKind::RecreateCompositeType;
        change = change
            .sql(format!("DROP TYPE {name}"))
            .sql(create_composite(new))
            .hazard(Hazard::DeletesData);
        if new.comment.is_some() {
            change = change.sql(comment_on_composite(new, &new.comment));
        }
        if in_use {
            change = change.hazard(Hazard::NeedsHandWrittenStep);
        }
        return change;
    }
    let _ = desired;
    let mut actions = Vec::new();
    for a in &old.attributes {
        if !new.attributes.iter().any(|n| n.name == a.name) {
            actions.push(format!("DROP ATTRIBUTE {}", quote_ident(&a.name)));
            if in_use {
                change = change.hazard(Hazard::DeletesData);
            }
        }
    }
    for a in &new.attributes {
        match old.attributes.iter().find(|o| o.name == a.name) {
            None => actions.push(format!("ADD ATTRIBUTE {}", attribute_definition(a))),
            Some(o) if o != a => {
                let mut sql = format!(
                    "ALTER ATTRIBUTE {} TYPE {}",
                    quote_ident(&a.name),
                    inert(&a.data_type)
                );
                if let Some(c) = &a.collation {
                    sql.push_str(&format!(" COLLATE {}", quote_collation(c)));
                }
                actions.push(sql);
                if in_use {
                    change = change.hazard(Hazard::NeedsHandWrittenStep);
                }
            }
            Some(_) => {}
        }
    }
    if in_use {
        change = change.hazard(Hazard::AccessExclusiveLock);
    }
    change.sql(format!("ALTER TYPE {name} {}", actions.join(", ")))
}

/// A collation as schema.toml writes it (`C`, `ext."x y"`), in SQL.
fn quote_collation(text: &str) -> String {
    match QualifiedName::parse_reference(text) {
        Ok((Some(schema), name)) => format!("{}.{}", quote_ident(&schema), quote_ident(&name)),
        Ok((None, name)) => quote_ident(&name),
        Err(_) => quote_ident(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemadiff_model::{Attribute, Dependency};

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn composite(attrs: &[(&str, &str)]) -> CompositeType {
        let mut t = CompositeType::new(q("pair"));
        t.attributes = attrs
            .iter()
            .map(|(n, ty)| Attribute {
                name: n.to_string(),
                data_type: ty.to_string(),
                collation: None,
            })
            .collect();
        t
    }

    fn plan(current: Schema, new: CompositeType) -> Vec<Change> {
        let desired = Schema {
            composite_types: vec![new],
            ..Default::default()
        };
        let mut out = Vec::new();
        composite_types(&current, &desired, &mut out);
        out
    }

    #[test]
    fn attributes_change_in_place_and_a_new_order_remakes_the_type() {
        let current = Schema {
            composite_types: vec![composite(&[("a", "integer"), ("b", "text")])],
            ..Default::default()
        };
        let out = plan(
            current.clone(),
            composite(&[("a", "bigint"), ("c", "text")]),
        );
        assert_eq!(
            out[0].statements,
            vec![
                "ALTER TYPE public.pair DROP ATTRIBUTE b, ALTER ATTRIBUTE a TYPE bigint, ADD ATTRIBUTE c text"
            ]
        );
        assert!(out[0].hazards.is_empty());
        let out = plan(current, composite(&[("b", "text"), ("a", "integer")]));
        assert_eq!(out[0].kind, ChangeKind::RecreateCompositeType);
        assert_eq!(out[0].statements[0], "DROP TYPE public.pair");
    }

    #[test]
    fn retyping_an_attribute_of_a_type_in_use_needs_a_hand() {
        let mut current = Schema {
            composite_types: vec![composite(&[("a", "integer")])],
            ..Default::default()
        };
        current.dependencies.push(Dependency {
            dependent: ObjectRef::Column(q("t"), "p".into()),
            referenced: ObjectRef::Type(q("pair")),
        });
        let out = plan(current, composite(&[("a", "bigint")]));
        assert!(out[0].hazards.contains(&Hazard::NeedsHandWrittenStep));
    }
}
