//! Domains, the diff stage: default, NOT NULL, checks and comment altered in place; a new check on an existing
//! domain is added `NOT VALID` and then validated, so the values already stored are checked in a second step.
//! PostgreSQL cannot change a domain's base type or collation: the domain is then made anew, and the columns
//! of it (known from the catalog, `Schema::dependencies`) converted to the new one in the same step. Domains
//! made of the changed one cannot follow: that plan carries `needs_hand_written_step`.

use schemadiff_model::domain::{
    comment_on_domain, create_domain, domain_check_clause, drop_domain,
};
use schemadiff_model::{Domain, ObjectRef};

use super::*;

pub(super) fn domains(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<&QualifiedName, &Domain> =
        current.domains.iter().map(|d| (&d.name, d)).collect();
    for d in &desired.domains {
        let object = format!("domain {}", d.name.sql());
        let res = Res::Type(d.name.clone());
        match cur.get(&d.name) {
            None => {
                out.push(
                    Change::new(
                        ChangeKind::CreateDomain,
                        Action::Create,
                        Phase::CreateType,
                        object.clone(),
                    )
                    .sql(create_domain(d))
                    .requires([in_schema(&d.name)])
                    .requires(d.uses.iter().map(|u| Res::Type(u.clone())))
                    .provides([res.clone()]),
                );
                if d.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("DOMAIN {}", d.name.sql()),
                        &d.comment,
                        vec![res],
                    ));
                }
            }
            Some(c) if c.data_type != d.data_type || c.collation != d.collation => {
                out.push(recreate_domain(c, d, current, desired));
            }
            Some(c) => {
                alter_domain(c, d, &object, out);
                if c.comment != d.comment {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("DOMAIN {}", d.name.sql()),
                        &d.comment,
                        vec![],
                    ));
                }
            }
        }
    }
    let des: BTreeSet<&QualifiedName> = desired.domains.iter().map(|d| &d.name).collect();
    for d in &current.domains {
        if !des.contains(&d.name) {
            out.push(
                Change::new(
                    ChangeKind::DropDomain,
                    Action::Drop,
                    Phase::DropType,
                    format!("domain {}", d.name.sql()),
                )
                .sql(drop_domain(d))
                .removes([Res::Type(d.name.clone())])
                .releases([in_schema(&d.name)])
                .releases(d.uses.iter().map(|u| Res::Type(u.clone())))
                .releases(d.uses.iter().map(|u| Res::MadeOf(u.clone()))),
            );
        }
    }
}

/// Default, NOT NULL and checks, in place.
fn alter_domain(c: &Domain, d: &Domain, object: &str, out: &mut Vec<Change>) {
    let name = d.name.sql();
    let res = Res::Type(d.name.clone());
    let alter = || {
        Change::new(
            ChangeKind::AlterDomain,
            Action::Alter,
            Phase::AlterColumn,
            object.to_string(),
        )
        .requires([res.clone()])
    };
    if c.default != d.default {
        out.push(alter().sql(match &d.default {
            Some(v) => format!("ALTER DOMAIN {name} SET DEFAULT {}", inert(v)),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
        }));
    }
    if c.not_null != d.not_null {
        out.push(if d.not_null {
            alter()
                .sql(format!("ALTER DOMAIN {name} SET NOT NULL"))
                .hazard(Hazard::MayFailOnExistingData)
        } else {
            alter().sql(format!("ALTER DOMAIN {name} DROP NOT NULL"))
        });
    }
    // Checks by name: one whose expression changed is dropped and added again.
    for old in &c.checks {
        if !d.checks.contains(old) {
            let n = old.name.as_deref().unwrap_or_default();
            out.push(
                Change::new(
                    ChangeKind::DropDomainConstraint,
                    Action::Drop,
                    Phase::DropIndexOrConstraint,
                    format!("constraint {} on {object}", quote_ident(n)),
                )
                .group(object.to_string())
                .sql(format!(
                    "ALTER DOMAIN {name} DROP CONSTRAINT {}",
                    quote_ident(n)
                ))
                .removes([Res::Named(d.name.clone(), n.to_string())]),
            );
        }
    }
    for new in &d.checks {
        if !c.checks.contains(new) {
            let n = new.name.as_deref().unwrap_or_default();
            out.push(
                Change::new(
                    ChangeKind::AddDomainConstraint,
                    Action::Create,
                    Phase::AddConstraint,
                    format!("constraint {} on {object}", quote_ident(n)),
                )
                .group(object.to_string())
                .hazard(Hazard::MayFailOnExistingData)
                .sql(format!(
                    "ALTER DOMAIN {name} ADD {} NOT VALID",
                    domain_check_clause(new)
                ))
                .sql(format!(
                    "ALTER DOMAIN {name} VALIDATE CONSTRAINT {}",
                    quote_ident(n)
                ))
                .requires([res.clone()])
                .provides([Res::Named(d.name.clone(), n.to_string())]),
            );
        }
    }
}

/// The columns of `schema` whose type is the domain `name` (or an array of it), by the catalog.
fn columns_of<'a>(schema: &'a Schema, name: &QualifiedName) -> Vec<(&'a Table, &'a Column)> {
    let mut out = Vec::new();
    for dep in &schema.dependencies {
        if let (ObjectRef::Column(t, c), ObjectRef::Type(ty)) = (&dep.dependent, &dep.referenced) {
            if ty == name {
                if let Some(col) = schema.table(t).and_then(|t| t.column(c).map(|c| (t, c))) {
                    out.push(col);
                }
            }
        }
    }
    out
}

/// A new base type or collation: PostgreSQL cannot change either in place, so the old domain is renamed
/// away, the new one created, every column of it converted through the new base type, and the old one
/// dropped. Values that do not fit the new domain make it fail.
fn recreate_domain(old: &Domain, new: &Domain, current: &Schema, desired: &Schema) -> Change {
    let old_name = QualifiedName::new(
        old.name.schema.clone(),
        format!("{}__schemadiff_old", old.name.name),
    );
    let mut change = Change::new(
        ChangeKind::RecreateDomain,
        Action::Alter,
        Phase::AlterColumn,
        format!("domain {}", new.name.sql()),
    )
    .hazard(Hazard::MayFailOnExistingData)
    .sql(format!(
        "ALTER DOMAIN {} RENAME TO {}",
        old.name.sql(),
        quote_ident(&old_name.name)
    ))
    .sql(create_domain(new))
    .requires(new.uses.iter().map(|u| Res::Type(u.clone())))
    .releases(old.uses.iter().map(|u| Res::Type(u.clone())))
    // The old domain goes: a type made of it that goes too goes first.
    .removes([Res::MadeOf(old.name.clone())])
    .provides([Res::Type(new.name.clone())]);
    if new.comment.is_some() {
        change = change.sql(comment_on_domain(new, &new.comment));
    }
    // Domains made of this one that stay keep pointing at the old one, which then cannot be dropped.
    if current
        .domains
        .iter()
        .any(|o| o.uses.contains(&old.name) && desired.domains.iter().any(|n| n.name == o.name))
        || current.composite_types.iter().any(|o| {
            o.uses.contains(&old.name) && desired.composite_types.iter().any(|n| n.name == o.name)
        })
    {
        change = change.hazard(Hazard::NeedsHandWrittenStep);
    }
    let text = type_text(&new.name);
    for (t, c) in columns_of(current, &old.name) {
        change = change
            .hazard(Hazard::RewritesTable)
            .hazard(Hazard::AccessExclusiveLock);
        let col = quote_ident(&c.name);
        let array = c.data_type.strip_prefix(&text).unwrap_or("");
        if c.default.is_some() {
            change = change.sql(format!(
                "ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT",
                t.name.sql()
            ));
        }
        change = change
            .sql(format!(
                "ALTER TABLE {} ALTER COLUMN {col} TYPE {}{array} USING {col}::{}{array}::{}{array}",
                t.name.sql(),
                new.name.sql(),
                inert(&new.data_type),
                new.name.sql()
            ))
            .requires([Res::Column(t.name.clone(), c.name.clone())])
            .invalidates([Res::Column(t.name.clone(), c.name.clone())]);
        // The default comes back when the desired one is the same; a different one is set by the column's
        // own change, which runs after this one.
        let kept = desired
            .table(&t.name)
            .and_then(|dt| dt.column(&c.name))
            .is_some_and(|dc| dc.default == c.default);
        if let (Some(v), true) = (&c.default, kept) {
            change = change.sql(format!(
                "ALTER TABLE {} ALTER COLUMN {col} SET DEFAULT {}",
                t.name.sql(),
                inert(v)
            ));
        }
    }
    change.sql(format!("DROP DOMAIN {}", old_name.sql()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemadiff_model::{Dependency, DomainCheck};

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn domain(name: &str, base: &str) -> Domain {
        Domain::new(q(name), base)
    }

    fn schema(domains: Vec<Domain>) -> Schema {
        Schema {
            domains,
            ..Default::default()
        }
    }

    #[test]
    fn a_new_check_is_added_not_valid_then_validated() {
        let old = domain("amount", "numeric");
        let mut new = old.clone();
        new.checks.push(DomainCheck {
            name: Some("positive".into()),
            expression: "(VALUE > (0)::numeric)".into(),
        });
        let mut out = Vec::new();
        domains(&schema(vec![old]), &schema(vec![new]), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].statements,
            vec![
                "ALTER DOMAIN public.amount ADD CONSTRAINT positive CHECK ((VALUE > (0)::numeric)) NOT VALID",
                "ALTER DOMAIN public.amount VALIDATE CONSTRAINT positive",
            ]
        );
        assert!(out[0].hazards.contains(&Hazard::MayFailOnExistingData));
    }

    #[test]
    fn a_new_base_type_converts_the_columns_and_names_the_hazard_of_domains_built_on_it() {
        let old = domain("code", "text");
        let mut over = domain("short_code", "code");
        over.uses.push(q("code"));
        let mut table = Table::new(q("t"));
        table.columns.push(Column::new("c", "code"));
        let mut current = schema(vec![old, over.clone()]);
        current.tables.push(table.clone().into());
        current.dependencies.push(Dependency {
            dependent: ObjectRef::Column(q("t"), "c".into()),
            referenced: ObjectRef::Type(q("code")),
        });
        let mut desired = schema(vec![domain("code", "varchar(10)"), over]);
        desired.tables.push(table.into());
        let mut out = Vec::new();
        domains(&current, &desired, &mut out);
        assert_eq!(out.len(), 1);
        let c = &out[0];
        assert_eq!(c.kind, ChangeKind::RecreateDomain);
        assert!(c.statements.contains(
            &"ALTER TABLE public.t ALTER COLUMN c TYPE public.code USING c::varchar(10)::public.code"
                .to_string()
        ));
        assert!(c.hazards.contains(&Hazard::NeedsHandWrittenStep));
        assert!(c.hazards.contains(&Hazard::RewritesTable));

        // Without the domain built on it, nothing needs a hand.
        let mut alone = current.clone();
        alone.domains.truncate(1);
        let mut want = desired.clone();
        want.domains.truncate(1);
        let mut out = Vec::new();
        domains(&alone, &want, &mut out);
        assert!(!out[0].hazards.contains(&Hazard::NeedsHandWrittenStep));
    }
}
