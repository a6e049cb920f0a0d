//! Schemas (`CREATE SCHEMA`), the diff stage.

use super::*;

pub(super) fn schemas(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<&str, _> = current
        .schemas
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    let des: BTreeMap<&str, _> = desired
        .schemas
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    for (name, s) in &des {
        let q = quote_ident(name);
        let object = format!("schema {q}");
        match cur.get(name) {
            None => {
                if *name != "public" {
                    out.push(
                        Change::new(
                            ChangeKind::CreateSchema,
                            Action::Create,
                            Phase::CreateNamespace,
                            object.clone(),
                        )
                        .sql(format!("CREATE SCHEMA {q}"))
                        .provides([Res::Schema(name.to_string())]),
                    );
                }
                if s.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        object,
                        &format!("SCHEMA {q}"),
                        &s.comment,
                        vec![Res::Schema(name.to_string())],
                    ));
                }
            }
            Some(c) if c.comment != s.comment => {
                out.push(comment_change(
                    object.clone(),
                    object,
                    &format!("SCHEMA {q}"),
                    &s.comment,
                    vec![],
                ));
            }
            _ => {}
        }
    }
    for name in cur.keys() {
        if !des.contains_key(name) {
            let q = quote_ident(name);
            if *name == "public" {
                // `public` stays; only its comment was listed.
                out.push(comment_change(
                    format!("schema {q}"),
                    format!("schema {q}"),
                    "SCHEMA public",
                    &Some("standard public schema".into()),
                    vec![],
                ));
                continue;
            }
            out.push(
                Change::new(
                    ChangeKind::DropSchema,
                    Action::Drop,
                    Phase::DropNamespace,
                    format!("schema {q}"),
                )
                .sql(format!("DROP SCHEMA {q}"))
                .removes([Res::Schema(name.to_string())]),
            );
        }
    }
}
