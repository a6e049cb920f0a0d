//! Extensions, the diff stage: created, dropped, updated to a pinned version, moved to another schema.

use super::*;

pub(super) fn extensions(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<&str, _> = current
        .extensions
        .iter()
        .map(|e| (e.name.as_str(), e))
        .collect();
    for e in &desired.extensions {
        let object = format!("extension {}", quote_ident(&e.name));
        let in_schema: Vec<Res> = e.schema.iter().map(|s| Res::Schema(s.clone())).collect();
        match cur.get(e.name.as_str()) {
            None => out.push(
                Change::new(
                    ChangeKind::CreateExtension,
                    Action::Create,
                    Phase::CreateNamespace,
                    object,
                )
                .sql(create_extension(e))
                .requires(in_schema)
                .provides([Res::Extension(e.name.clone())]),
            ),
            Some(c) => {
                if c.schema != e.schema {
                    let target = e.schema.as_deref().unwrap_or("public");
                    out.push(
                        Change::new(
                            ChangeKind::AlterExtension,
                            Action::Alter,
                            Phase::CreateNamespace,
                            object.clone(),
                        )
                        .sql(format!(
                            "ALTER EXTENSION {} SET SCHEMA {}",
                            quote_ident(&e.name),
                            quote_ident(target)
                        ))
                        .requires(in_schema),
                    );
                }
                // A version is compared only when the desired schema names one.
                if let Some(v) = &e.version {
                    if c.version.as_ref() != Some(v) {
                        out.push(
                            Change::new(
                                ChangeKind::UpdateExtension,
                                Action::Alter,
                                Phase::CreateNamespace,
                                object,
                            )
                            .sql(format!(
                                "ALTER EXTENSION {} UPDATE TO {}",
                                quote_ident(&e.name),
                                quote_literal(v)
                            )),
                        );
                    }
                }
            }
        }
    }
    let des: BTreeSet<&str> = desired.extensions.iter().map(|e| e.name.as_str()).collect();
    for e in &current.extensions {
        if !des.contains(e.name.as_str()) {
            out.push(
                Change::new(
                    ChangeKind::DropExtension,
                    Action::Drop,
                    Phase::DropNamespace,
                    format!("extension {}", quote_ident(&e.name)),
                )
                .sql(format!("DROP EXTENSION {}", quote_ident(&e.name)))
                .hazard(Hazard::DeletesData)
                .removes([Res::Extension(e.name.clone())])
                .releases(e.schema.iter().map(|s| Res::Schema(s.clone()))),
            );
        }
    }
}
