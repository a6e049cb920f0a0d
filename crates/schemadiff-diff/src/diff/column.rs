//! Columns of an existing table, the diff stage: type, collation, default, NOT NULL, identity, generation.

use super::*;

/// The statements that change a column in place, in the order PostgreSQL needs them.
pub(super) fn alter_column(
    t: &QualifiedName,
    old: &Column,
    new: &Column,
    using: Option<&str>,
    types: &TypeNames,
) -> Option<Change> {
    let q = t.sql();
    let col = quote_ident(&new.name);
    let alter = |what: String| format!("ALTER TABLE {q} ALTER COLUMN {col} {what}");
    let type_changed =
        old.data_type != new.data_type || old.extras().collation != new.extras().collation;
    let generated_changed = old.extras().generated != new.extras().generated
        || old.extras().generated_virtual != new.extras().generated_virtual;
    if generated_changed {
        // A generated column is computed from others: made anew (its values are recomputed).
        let mut change = Change::new(
            ChangeKind::RecreateColumn,
            Action::Alter,
            Phase::AlterColumn,
            format!("column {q}.{col}"),
        )
        .hazard(Hazard::RewritesTable)
        .hazard(Hazard::AccessExclusiveLock)
        .requires(column_needs(t, new, types))
        .releases(column_uses(t, old, types))
        .invalidates([Res::Column(t.clone(), new.name.clone())]);
        if old.extras().generated.is_some() && new.extras().generated.is_none() && !type_changed {
            change = change.sql(alter("DROP EXPRESSION".into()));
            return Some(finish_column(change, old, new, &alter, false));
        }
        if old.extras().generated.is_none() {
            change = change.hazard(Hazard::DeletesData);
        }
        return Some(
            change
                .sql(format!("ALTER TABLE {q} DROP COLUMN {col}"))
                .sql(format!(
                    "ALTER TABLE {q} ADD COLUMN {}",
                    column_definition_in(t, new)
                )),
        );
    }
    let mut change = Change::new(
        ChangeKind::AlterColumn,
        Action::Alter,
        Phase::AlterColumn,
        format!("column {q}.{col}"),
    )
    .requires(column_needs(t, new, types))
    .releases(column_uses(t, old, types));
    let default_changed = old.default != new.default;
    if old.default.is_some() && (default_changed || type_changed) {
        change = change.sql(alter("DROP DEFAULT".into()));
    }
    if old.identity.is_some() && new.identity.is_none() {
        change = change.sql(alter("DROP IDENTITY".into()));
    }
    if type_changed {
        let mut sql = format!("TYPE {}", inert(&new.data_type));
        if let Some(coll) = &new.extras().collation {
            sql.push_str(&format!(" COLLATE {}", collation_sql(coll)));
        }
        if let Some(u) = using {
            sql.push_str(&format!(" USING {}", inert(u)));
        }
        change = change
            .sql(alter(sql))
            .invalidates([Res::Column(t.clone(), new.name.clone())])
            .hazard(Hazard::AccessExclusiveLock);
        // A varchar made longer, a numeric given more digits: PostgreSQL keeps the stored values as they are.
        if using.is_some()
            || old.extras().collation != new.extras().collation
            || crate::rewrites::type_change_rewrites(&old.data_type, &new.data_type)
        {
            change = change
                .hazard(Hazard::RewritesTable)
                .hazard(Hazard::MayFailOnExistingData);
        }
    }
    Some(finish_column(
        change,
        old,
        new,
        &alter,
        default_changed || type_changed,
    ))
    .filter(|c| !c.statements.is_empty())
}

/// NOT NULL, identity and default, after the type.
pub(super) fn finish_column(
    mut change: Change,
    old: &Column,
    new: &Column,
    alter: &dyn Fn(String) -> String,
    set_default: bool,
) -> Change {
    if new.not_null && !old.not_null {
        change = change
            .sql(alter("SET NOT NULL".into()))
            .hazard(Hazard::MayFailOnExistingData)
            .hazard(Hazard::AccessExclusiveLock);
    }
    match (old.identity, new.identity) {
        (None, Some(i)) => {
            let options = identity_options(&new.extras().identity_options);
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(" ({})", options.join(" "))
            };
            change = change
                .sql(alter(format!("ADD {}{options}", i.sql())))
                .hazard(Hazard::AccessExclusiveLock)
        }
        (Some(a), Some(b)) => {
            if a != b {
                let kind = if b == Identity::Always {
                    "ALWAYS"
                } else {
                    "BY DEFAULT"
                };
                change = change.sql(alter(format!("SET GENERATED {kind}")));
            }
            if old.extras().identity_options != new.extras().identity_options {
                change = change.sql(alter(set_identity_options(&new.extras().identity_options)));
                // New bounds must hold the value the sequence is at; the other options cannot fail.
                let (o, n) = (
                    &old.extras().identity_options,
                    &new.extras().identity_options,
                );
                if (o.min_value, o.max_value, o.increment.unwrap_or(1) > 0)
                    != (n.min_value, n.max_value, n.increment.unwrap_or(1) > 0)
                {
                    change = change.hazard(Hazard::MayFailOnExistingData);
                }
            }
        }
        _ => {}
    }
    if !new.not_null && old.not_null {
        change = change.sql(alter("DROP NOT NULL".into()));
    }
    if set_default {
        if let Some(d) = &new.default {
            change = change.sql(alter(format!("SET DEFAULT {}", inert(d))));
        }
    }
    if change.hazards.is_empty() && !change.statements.is_empty() {
        change = change.hazard(Hazard::AccessExclusiveLock);
    }
    change
}

/// `SET INCREMENT BY 10 SET NO MINVALUE ...`: every option of an identity's sequence, those left out back to
/// their defaults (`ALTER COLUMN ... SET` takes them one `SET` each).
pub(super) fn set_identity_options(o: &schemadiff_model::IdentityOptions) -> String {
    let inc = o.increment.unwrap_or(1);
    let mut parts = vec![format!("SET INCREMENT BY {inc}")];
    parts.push(
        o.min_value
            .map_or("SET NO MINVALUE".into(), |v| format!("SET MINVALUE {v}")),
    );
    parts.push(
        o.max_value
            .map_or("SET NO MAXVALUE".into(), |v| format!("SET MAXVALUE {v}")),
    );
    // The default start: the minimum going up, the maximum going down.
    let start = o.start.unwrap_or(if inc > 0 {
        o.min_value.unwrap_or(1)
    } else {
        o.max_value.unwrap_or(-1)
    });
    parts.push(format!("SET START WITH {start}"));
    parts.push(format!("SET CACHE {}", o.cache.unwrap_or(1)));
    parts.push(if o.cycle { "SET CYCLE" } else { "SET NO CYCLE" }.into());
    parts.join(" ")
}

pub(super) fn collation_sql(text: &str) -> String {
    match QualifiedName::parse_reference(text) {
        Ok((Some(s), n)) => format!("{}.{}", quote_ident(&s), quote_ident(&n)),
        Ok((None, n)) => quote_ident(&n),
        Err(_) => quote_ident(text),
    }
}
