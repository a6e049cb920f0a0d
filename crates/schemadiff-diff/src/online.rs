//! Online mode: a rewrite pass over an ordered plan so that it takes no long lock on a table that exists
//! (docs/online.md), and the hazards that the kinds of changes imply (docs/hazards.md).
//!
//! The pass works on the ordered `Vec<Change>` and on the desired schema (for the keys it builds by hand). A
//! table that a `create_table` of the same plan makes is left alone: it has no rows and nobody uses it yet.
//!
//! - `CREATE INDEX` and `DROP INDEX` become `... CONCURRENTLY` (which cannot run in a transaction block:
//!   [`Hazard::NotTransactional`]); an index whose definition changes is built under a temporary name, the old
//!   one dropped, the new one renamed;
//! - a UNIQUE or PRIMARY KEY constraint is added `USING INDEX`, after a concurrent build of its index;
//! - a foreign key or CHECK constraint is added `NOT VALID`, then validated as a step of its own (which takes
//!   a SHARE UPDATE EXCLUSIVE lock: reads and writes go on);
//! - `SET NOT NULL` goes through a `CHECK (col IS NOT NULL) NOT VALID`, its validation, `SET NOT NULL` (which
//!   PostgreSQL 12+ takes from the valid check without a scan) and the check dropped.
//!
//! The migrations written from it set `lock_timeout` and `statement_timeout` first ([`preamble`]), and give
//! the long steps ([`is_long_running`]) their own `statement_timeout` ([`script`]).

use std::collections::BTreeSet;

use schemadiff_model::{QualifiedName, Schema, quote_ident};

use crate::change::{Action, Change, ChangeKind, Hazard};

/// The timeouts of an online migration (PostgreSQL durations: `5s`, `1min`, `0` for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    pub lock_timeout: String,
    pub statement_timeout: String,
    pub long_statement_timeout: String,
}

impl Timeouts {
    pub fn of(config: &schemadiff_model::MigrationsConfig) -> Timeouts {
        Timeouts {
            lock_timeout: config.lock_timeout().to_string(),
            statement_timeout: config.statement_timeout().to_string(),
            long_statement_timeout: config.long_statement_timeout().to_string(),
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts::of(&Default::default())
    }
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The statements that start an online migration.
pub fn preamble(t: &Timeouts) -> Vec<String> {
    vec![
        format!("SET lock_timeout = {}", literal(&t.lock_timeout)),
        format!("SET statement_timeout = {}", literal(&t.statement_timeout)),
    ]
}

/// The statements that end one: the session as it was (a runner may run the next migration on the same
/// connection, and one that can hold only its statement cannot set its own timeouts).
pub fn postamble() -> Vec<String> {
    vec![
        "RESET statement_timeout".to_string(),
        "RESET lock_timeout".to_string(),
    ]
}

/// Whether a change cannot run in a transaction block at all (a concurrent build or drop), as opposed to an
/// enum value that only must not be used in the transaction that adds it.
pub fn outside_transaction(c: &Change) -> bool {
    c.hazards.contains(&Hazard::NotTransactional) && c.kind != ChangeKind::AddEnumValues
}

/// A step that may take long without blocking: a concurrent build or drop, a validation.
pub fn is_long_running(c: &Change) -> bool {
    c.kind == ChangeKind::ValidateConstraint
        || c.statements
            .iter()
            .any(|s| s.starts_with("CREATE ") && s.contains(" INDEX CONCURRENTLY "))
        || c.statements
            .iter()
            .any(|s| s.starts_with("DROP INDEX CONCURRENTLY "))
}

/// The statements of `changes` as an online migration runs them: the preamble, each long step under the long
/// statement timeout, the postamble. `framed = false` leaves out every `SET`/`RESET` (for a file that must
/// hold one statement alone).
pub fn statements(changes: &[Change], t: &Timeouts, framed: bool) -> Vec<String> {
    let mut out = Vec::new();
    if framed {
        out.extend(preamble(t));
    }
    // The statement timeout in force: switched only where a long step starts or ends.
    let mut current = &t.statement_timeout;
    for c in changes {
        let want = if is_long_running(c) {
            &t.long_statement_timeout
        } else {
            &t.statement_timeout
        };
        if framed && want != current {
            out.push(format!("SET statement_timeout = {}", literal(want)));
            current = want;
        }
        out.extend(c.statements.iter().cloned());
    }
    if framed {
        out.extend(postamble());
    }
    out
}

/// [`statements`] as a script.
pub fn script(changes: &[Change], t: &Timeouts, framed: bool) -> String {
    statements(changes, t, framed)
        .iter()
        .map(|s| format!("{s};\n"))
        .collect()
}

/// The hazards that a kind of change implies beyond those [`crate::diff`] gives it: the lock a plain index
/// build or a validating foreign key takes, a dropped index, an upgraded extension, and what schemadiff
/// cannot see using what is dropped or retyped.
pub fn refine_hazards(changes: &mut [Change]) {
    for c in changes.iter_mut() {
        let mut add = Vec::new();
        let has = |h: Hazard| c.hazards.contains(&h);
        match c.kind {
            ChangeKind::CreateIndex if has(Hazard::BuildsIndexBlockingWrites) => {
                add.push(Hazard::ShareLock)
            }
            ChangeKind::AddForeignKey if has(Hazard::MayFailOnExistingData) => {
                add.push(Hazard::ShareRowExclusiveLock)
            }
            ChangeKind::DropIndex => add.push(Hazard::DropsIndex),
            ChangeKind::DropConstraint
                if c.removes
                    .iter()
                    .any(|r| matches!(r, crate::Res::Relation(..))) =>
            {
                add.push(Hazard::DropsIndex)
            }
            ChangeKind::UpdateExtension => add.push(Hazard::UpgradesExtension),
            ChangeKind::DropTable
            | ChangeKind::DropColumn
            | ChangeKind::DropEnum
            | ChangeKind::RecreateEnum
            | ChangeKind::DropSequence => add.push(Hazard::UntrackableDependencies),
            ChangeKind::AlterColumn | ChangeKind::RecreateColumn if has(Hazard::RewritesTable) => {
                add.push(Hazard::UntrackableDependencies)
            }
            _ => {}
        }
        for h in add {
            *c = c.clone().hazard(h);
        }
    }
}

/// The tables that a `create_table` of `changes` makes.
fn created_tables(changes: &[Change]) -> BTreeSet<QualifiedName> {
    changes
        .iter()
        .filter(|c| c.kind == ChangeKind::CreateTable)
        .filter_map(|c| c.table.clone())
        .collect()
}

/// The quoted name in an object text `{what} {name} on {table}` (`foreign key "fk" on public.t`).
fn constraint_name<'a>(c: &'a Change, what: &str, table: &QualifiedName) -> Option<&'a str> {
    c.object
        .strip_prefix(what)?
        .strip_prefix(' ')?
        .strip_suffix(&format!(" on {}", table.sql()))
}

/// A name of at most 63 bytes (PostgreSQL's limit): `base` cut short enough for `suffix` to fit.
fn temp_name(base: &str, suffix: &str) -> String {
    let mut cut = 63usize.saturating_sub(suffix.len()).min(base.len());
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}", &base[..cut])
}

fn without(mut c: Change, drop: &[Hazard]) -> Change {
    c.hazards.retain(|h| !drop.contains(h));
    c
}

fn validate(table: &QualifiedName, name_sql: &str, group: &str, object: &str) -> Change {
    let mut v = Change::new(
        ChangeKind::ValidateConstraint,
        Action::Alter,
        crate::Phase::AddForeignKey,
        object.to_string(),
    )
    .group(group.to_string())
    .sql(format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {name_sql}",
        table.sql()
    ))
    .hazard(Hazard::MayFailOnExistingData);
    v.table = Some(table.clone());
    v
}

/// A step of the rewrite, made from the change it stands for (same object, group and table, no
/// dependencies: the plan is ordered already).
fn step(
    from: &Change,
    kind: ChangeKind,
    action: Action,
    object: String,
    statements: Vec<String>,
) -> Change {
    let mut c = Change::new(kind, action, from.phase, object).group(from.group.clone());
    c.table = from.table.clone();
    c.statements = statements;
    c
}

/// `CREATE [UNIQUE] INDEX name ON` -> `CREATE [UNIQUE] INDEX CONCURRENTLY name ON`.
fn concurrently(create: &str) -> String {
    create.replacen(" INDEX ", " INDEX CONCURRENTLY ", 1)
}

/// Rewrite the ordered `changes` (from `current` to `desired`) for online mode. See the module's text.
pub fn rewrite(changes: Vec<Change>, desired: &Schema) -> Vec<Change> {
    let created = created_tables(&changes);
    // PostgreSQL builds no index concurrently on a partitioned table, and (before 18) adds no NOT VALID
    // foreign key to one: its changes stay as they are, and online mode refuses their hazards unless allowed.
    let partitioned =
        |t: &QualifiedName| desired.table(t).is_some_and(|d| d.partition_by.is_some());
    let existing = |c: &Change| {
        c.table
            .as_ref()
            .is_some_and(|t| !created.contains(t) && !partitioned(t))
    };
    // Indexes whose definition changes: dropped, then created again under the same name. They are swapped
    // (built under a temporary name first) when nothing between the two changes the table's columns.
    let mut swapped: BTreeSet<usize> = BTreeSet::new();
    for (i, d) in changes.iter().enumerate() {
        if d.kind != ChangeKind::DropIndex || !existing(d) {
            continue;
        }
        let Some(j) = changes
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, c)| c.kind == ChangeKind::CreateIndex && c.object == d.object)
            .map(|(j, _)| j)
        else {
            continue;
        };
        let columns_change = changes[i + 1..j].iter().any(|c| {
            c.table == d.table
                && matches!(
                    c.kind,
                    ChangeKind::AlterColumn
                        | ChangeKind::DropColumn
                        | ChangeKind::RecreateColumn
                        | ChangeKind::AddColumn
                )
        });
        if !columns_change {
            swapped.insert(i);
        }
    }
    let mut out = Vec::with_capacity(changes.len());
    for (i, c) in changes.iter().enumerate() {
        if swapped.contains(&i) {
            continue;
        }
        if !existing(c) {
            out.push(c.clone());
            continue;
        }
        let table = c.table.clone().expect("existing() checked it");
        match c.kind {
            ChangeKind::CreateIndex => {
                let replaced = swapped
                    .iter()
                    .find(|&&k| changes[k].object == c.object && k < i);
                let created = without(
                    c.clone(),
                    &[Hazard::BuildsIndexBlockingWrites, Hazard::ShareLock],
                )
                .hazard(Hazard::BuildsIndex)
                .hazard(Hazard::NotTransactional);
                let Some(&k) = replaced else {
                    let mut created = created;
                    created.statements = c.statements.iter().map(|s| concurrently(s)).collect();
                    out.push(created);
                    continue;
                };
                // Built under a temporary name, the old one dropped, the new one renamed.
                let old = &changes[k];
                let name = c
                    .object
                    .strip_prefix("index ")
                    .and_then(|q| QualifiedName::parse_reference(q).ok())
                    .map(|(_, n)| n);
                let Some(name) = name else {
                    out.push(old.clone());
                    out.push(c.clone());
                    continue;
                };
                let tmp = temp_name(&name, "_new");
                let (qn, qt) = (quote_ident(&name), quote_ident(&tmp));
                let mut build = created;
                build.statements = c
                    .statements
                    .iter()
                    .map(|s| {
                        concurrently(&s.replacen(&format!(" {qn} ON "), &format!(" {qt} ON "), 1))
                    })
                    .collect();
                out.push(build);
                let mut drop = without(old.clone(), &[Hazard::AccessExclusiveLock])
                    .hazard(Hazard::NotTransactional);
                drop.statements = old
                    .statements
                    .iter()
                    .map(|s| s.replacen("DROP INDEX ", "DROP INDEX CONCURRENTLY ", 1))
                    .collect();
                out.push(drop);
                out.push(
                    step(
                        c,
                        ChangeKind::RenameIndex,
                        Action::Alter,
                        c.object.clone(),
                        vec![format!(
                            "ALTER INDEX {}.{qt} RENAME TO {qn}",
                            quote_ident(&table.schema)
                        )],
                    )
                    .hazard(Hazard::AccessExclusiveLock),
                );
            }
            ChangeKind::DropIndex => {
                let mut drop = without(c.clone(), &[Hazard::AccessExclusiveLock])
                    .hazard(Hazard::NotTransactional);
                drop.statements = c
                    .statements
                    .iter()
                    .map(|s| s.replacen("DROP INDEX ", "DROP INDEX CONCURRENTLY ", 1))
                    .collect();
                out.push(drop);
            }
            ChangeKind::AddForeignKey => {
                let name = constraint_name(c, "foreign key", &table);
                let stmt = c.statements.first().cloned().unwrap_or_default();
                match name {
                    Some(n) if c.statements.len() == 1 && !stmt.ends_with(" NOT VALID") => {
                        let n = n.to_string();
                        let mut add = without(
                            c.clone(),
                            &[Hazard::MayFailOnExistingData, Hazard::ShareRowExclusiveLock],
                        );
                        add.statements = vec![format!("{stmt} NOT VALID")];
                        out.push(add);
                        out.push(validate(&table, &n, &c.group, &c.object));
                    }
                    _ => out.push(c.clone()),
                }
            }
            ChangeKind::AddConstraint => out.extend(add_constraint(c, &table, desired)),
            ChangeKind::AlterColumn => out.extend(set_not_null(c, &table)),
            _ => out.push(c.clone()),
        }
    }
    out
}

/// A UNIQUE or PRIMARY KEY constraint after a concurrent build of its index; a CHECK added NOT VALID, then
/// validated; anything else as it is.
fn add_constraint(c: &Change, table: &QualifiedName, desired: &Schema) -> Vec<Change> {
    let Some(name_sql) = constraint_name(c, "constraint", table) else {
        return vec![c.clone()];
    };
    let Some(t) = desired.table(table) else {
        return vec![c.clone()];
    };
    let named = |n: &Option<String>| n.as_deref().map(quote_ident).as_deref() == Some(name_sql);
    let q = table.sql();
    let cols = |v: &[String]| {
        v.iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let deferral = |d: bool, i: bool| match (d, i) {
        (true, true) => " DEFERRABLE INITIALLY DEFERRED",
        (true, false) => " DEFERRABLE",
        _ => "",
    };
    let keyed = if let Some(u) = t.uniques.iter().find(|u| named(&u.name)) {
        let mut build = format!(
            "CREATE UNIQUE INDEX CONCURRENTLY {name_sql} ON {q} ({})",
            cols(&u.columns)
        );
        if !u.include.is_empty() {
            build.push_str(&format!(" INCLUDE ({})", cols(&u.include)));
        }
        if u.nulls_not_distinct {
            build.push_str(" NULLS NOT DISTINCT");
        }
        Some((
            build,
            format!(
                "ALTER TABLE {q} ADD CONSTRAINT {name_sql} UNIQUE USING INDEX {name_sql}{}",
                deferral(u.deferrable, u.initially_deferred)
            ),
        ))
    } else {
        t.primary_key.as_ref().filter(|p| named(&p.name)).map(|pk| {
            (
                format!(
                    "CREATE UNIQUE INDEX CONCURRENTLY {name_sql} ON {q} ({})",
                    cols(&pk.columns)
                ),
                format!(
                    "ALTER TABLE {q} ADD CONSTRAINT {name_sql} PRIMARY KEY USING INDEX {name_sql}{}",
                    deferral(pk.deferrable, pk.initially_deferred)
                ),
            )
        })
    };
    if let Some((build, attach)) = keyed {
        let b = step(
            c,
            ChangeKind::CreateIndex,
            Action::Alter,
            format!("index {}.{name_sql}", quote_ident(&table.schema)),
            vec![build],
        )
        .hazard(Hazard::BuildsIndex)
        .hazard(Hazard::MayFailOnExistingData)
        .hazard(Hazard::NotTransactional);
        let mut a = without(
            c.clone(),
            &[
                Hazard::BuildsIndexBlockingWrites,
                Hazard::MayFailOnExistingData,
            ],
        );
        a.statements = vec![attach];
        return vec![b, a];
    }
    let is_check = t.checks.iter().any(|k| named(&k.name) && !k.not_valid);
    let stmt = c.statements.first().cloned().unwrap_or_default();
    if is_check && c.statements.len() == 1 && !stmt.ends_with(" NOT VALID") {
        let mut add = without(c.clone(), &[Hazard::MayFailOnExistingData]);
        add.statements = vec![format!("{stmt} NOT VALID")];
        let name_sql = name_sql.to_string();
        return vec![add, validate(table, &name_sql, &c.group, &c.object)];
    }
    vec![c.clone()]
}

/// An `alter_column` that sets NOT NULL: the statements before it and a `CHECK (col IS NOT NULL) NOT VALID`;
/// its validation; `SET NOT NULL`, the check dropped and the statements after it.
fn set_not_null(c: &Change, table: &QualifiedName) -> Vec<Change> {
    let Some(at) = c
        .statements
        .iter()
        .position(|s| s.ends_with(" SET NOT NULL"))
    else {
        return vec![c.clone()];
    };
    let stmt = &c.statements[at];
    let prefix = format!("ALTER TABLE {} ALTER COLUMN ", table.sql());
    let Some(col_sql) = stmt
        .strip_prefix(&prefix)
        .and_then(|r| r.strip_suffix(" SET NOT NULL"))
    else {
        return vec![c.clone()];
    };
    let col = c
        .object
        .rsplit_once('.')
        .map(|(_, col)| col.trim_matches('"').replace("\"\"", "\""))
        .unwrap_or_default();
    let check = quote_ident(&temp_name(
        &format!("{}_{col}", table.name),
        "_not_null_check",
    ));
    let q = table.sql();
    let retyped = c.statements[..at].iter().any(|s| s.contains(" TYPE "));
    let mut before = c.clone();
    before.statements = c.statements[..at].to_vec();
    before.statements.push(format!(
        "ALTER TABLE {q} ADD CONSTRAINT {check} CHECK ({col_sql} IS NOT NULL) NOT VALID"
    ));
    if !retyped {
        before = without(before, &[Hazard::MayFailOnExistingData]);
    }
    let v = validate(
        table,
        &check,
        &c.group,
        &format!("constraint {check} on {q}"),
    );
    let mut after = step(
        c,
        ChangeKind::AlterColumn,
        Action::Alter,
        c.object.clone(),
        vec![
            stmt.clone(),
            format!("ALTER TABLE {q} DROP CONSTRAINT {check}"),
        ],
    )
    .hazard(Hazard::AccessExclusiveLock);
    after
        .statements
        .extend(c.statements[at + 1..].iter().cloned());
    vec![before, v, after]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hazard_code_is_known_to_the_loader() {
        let codes: Vec<&str> = Hazard::ALL.iter().map(|h| h.code()).collect();
        assert_eq!(codes, schemadiff_model::MigrationsConfig::HAZARDS);
        for h in Hazard::ALL {
            assert_eq!(Hazard::from_code(h.code()), Some(h));
        }
        assert_eq!(Hazard::from_code("deletes-data"), None);
    }

    #[test]
    fn changes_on_partitioned_tables_stay_plain() {
        let name = QualifiedName::new("public", "events");
        let mut partitioned = schemadiff_model::Table::new(name.clone());
        partitioned.partition_by = Some("RANGE (at)".into());
        let mut c = Change::new(
            ChangeKind::CreateIndex,
            Action::Create,
            crate::change::Phase::CreateIndex,
            "index public.events_at_idx",
        )
        .sql("CREATE INDEX events_at_idx ON public.events (at)")
        .hazard(Hazard::ShareLock)
        .hazard(Hazard::BuildsIndexBlockingWrites);
        c.table = Some(name.clone());
        let desired = Schema {
            tables: vec![partitioned.into()],
            ..Default::default()
        };
        assert_eq!(rewrite(vec![c.clone()], &desired), vec![c.clone()]);
        // The same index on a plain table is built concurrently.
        let plain = Schema {
            tables: vec![schemadiff_model::Table::new(name).into()],
            ..Default::default()
        };
        let out = rewrite(vec![c], &plain);
        assert!(
            out[0].statements[0].contains("INDEX CONCURRENTLY"),
            "{out:?}"
        );
    }

    #[test]
    fn temporary_names_fit_in_63_bytes() {
        assert_eq!(temp_name("idx", "_new"), "idx_new");
        let long = "é".repeat(40);
        let t = temp_name(&long, "_new");
        assert!(t.len() <= 63, "{t}");
        assert!(t.ends_with("_new"));
    }

    #[test]
    fn durations() {
        use schemadiff_model::MigrationsConfig as M;
        for ok in ["5s", "0", "500ms", "2min", "1h", "1 d"] {
            assert!(M::is_duration(ok), "{ok}");
        }
        for bad in ["", "s", "5 sec", "-1s", "1.5s", "5s;"] {
            assert!(!M::is_duration(bad), "{bad}");
        }
    }
}
