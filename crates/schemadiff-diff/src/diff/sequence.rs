//! Sequences, the diff stage, with the ownership that ties a sequence to a column (serial and identity).

use super::*;

/// A sequence owned by a column goes when the column (or its table) is dropped: that drop frees its name.
pub(super) fn owned_sequences_go_with_owners(
    current: &Schema,
    desired: &Schema,
    out: &mut [Change],
) {
    for s in &current.sequences {
        let Some(o) = &s.owned_by else { continue };
        if desired.sequences.iter().any(|d| d.name == s.name) {
            continue; // kept: disowned before its owner goes
        }
        let column = Res::Column(o.table.clone(), o.column.clone());
        let table = Res::Table(o.table.clone());
        let dropping = out.iter_mut().find(|c| {
            (c.kind == ChangeKind::DropTable && c.removes.contains(&table))
                || (c.kind == ChangeKind::DropColumn && c.removes.contains(&column))
        });
        if let Some(c) = dropping {
            if !c.removes.contains(&Res::Sequence(s.name.clone())) {
                c.removes.push(Res::Sequence(s.name.clone()));
                c.removes.push(Res::relation_of(&s.name));
            }
        }
    }
}

/// A serial column turned identity, or back: the sequence changes hands instead of being dropped and made
/// anew, so the numbering goes on where it was (the next insert gets no duplicate key), and the new sequence
/// takes the old one's name (the old one is renamed out of the way first).
pub(super) fn serial_identity_swaps(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let current_tables = current.tables_by_name();
    for d in &desired.tables {
        let Some(&c) = current_tables.get(&d.name) else {
            continue;
        };
        let q = d.name.sql();
        for dc in &d.columns {
            let Some(cc) = c.column(&dc.name) else {
                continue;
            };
            // Only a column that gains or loses its identity swaps (checked before anything is formatted).
            if cc.identity.is_none() == dc.identity.is_none() {
                continue;
            }
            let object = format!("column {q}.{}", quote_ident(&dc.name));
            let owned_by_column = |s: &&Sequence| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|o| o.table == d.name && o.column == dc.name)
            };
            let lit_table = quote_literal(&q);
            let lit_col = quote_literal(&quote_ident(&dc.name));
            if cc.identity.is_none() && dc.identity.is_some() {
                // Serial to identity: the identity takes over the value of the serial's sequence.
                let Some(seq) = current.default_sequences(&d.name, &dc.name).next().cloned() else {
                    continue;
                };
                let owned = current
                    .sequences
                    .iter()
                    .filter(owned_by_column)
                    .any(|s| s.name == seq);
                if !owned || desired.sequences.iter().any(|s| s.name == seq) {
                    continue;
                }
                let old =
                    QualifiedName::new(seq.schema.clone(), format!("{}__schemadiff_old", seq.name));
                out.retain(|ch| {
                    !(ch.kind == ChangeKind::DropSequence
                        && ch.removes.contains(&Res::Sequence(seq.clone())))
                });
                let Some(ch) = out
                    .iter_mut()
                    .find(|ch| ch.kind == ChangeKind::AlterColumn && ch.object == object)
                else {
                    continue;
                };
                let at = ch
                    .statements
                    .iter()
                    .position(|s| s.ends_with(" DROP DEFAULT"))
                    .map_or(0, |i| i + 1);
                // Out of the way: its name is free for the identity's sequence, and, owned by no column, it
                // is not the one pg_get_serial_sequence finds.
                ch.statements
                    .insert(at, format!("ALTER SEQUENCE {} OWNED BY NONE", old.sql()));
                ch.statements.insert(
                    at,
                    format!(
                        "ALTER SEQUENCE {} RENAME TO {}",
                        seq.sql(),
                        quote_ident(&old.name)
                    ),
                );
                ch.statements.push(format!(
                    "SELECT setval(pg_catalog.pg_get_serial_sequence({lit_table}, {lit_col}), last_value, is_called) FROM {}",
                    old.sql()
                ));
                ch.statements.push(format!("DROP SEQUENCE {}", old.sql()));
                ch.removes.push(Res::Sequence(seq.clone()));
                ch.removes.push(Res::relation_of(&seq));
            } else if cc.identity.is_some() && dc.identity.is_none() {
                // Identity to serial: the serial's new sequence starts where the identity was.
                let Some(seq) = desired.default_sequences(&d.name, &dc.name).next().cloned() else {
                    continue;
                };
                let Some(s) = desired
                    .sequences
                    .iter()
                    .filter(owned_by_column)
                    .find(|s| s.name == seq)
                else {
                    continue;
                };
                if current.sequences.iter().any(|c| c.name == seq) {
                    continue;
                }
                let new =
                    QualifiedName::new(seq.schema.clone(), format!("{}__schemadiff_new", seq.name));
                out.retain(|ch| {
                    !(matches!(
                        ch.kind,
                        ChangeKind::CreateSequence | ChangeKind::SetSequenceOwner
                    ) && ch.object == format!("sequence {}", seq.sql()))
                });
                let Some(ch) = out
                    .iter_mut()
                    .find(|ch| ch.kind == ChangeKind::AlterColumn && ch.object == object)
                else {
                    continue;
                };
                let at = ch
                    .statements
                    .iter()
                    .position(|s| s.ends_with(" DROP IDENTITY"))
                    .map_or(0, |i| i + 1);
                ch.statements.insert(
                    at,
                    format!(
                        "ALTER SEQUENCE {} RENAME TO {}",
                        new.sql(),
                        quote_ident(&seq.name)
                    ),
                );
                ch.statements.insert(
                    0,
                    format!(
                        "SELECT setval({}::regclass, last, true) FROM (SELECT pg_catalog.pg_sequence_last_value(pg_catalog.pg_get_serial_sequence({lit_table}, {lit_col})::regclass) AS last) s WHERE last IS NOT NULL",
                        quote_literal(&new.sql())
                    ),
                );
                ch.statements.insert(
                    0,
                    create_sequence(&Sequence {
                        name: new.clone(),
                        ..s.clone()
                    }),
                );
                ch.statements.push(format!(
                    "ALTER SEQUENCE {} OWNED BY {q}.{}",
                    seq.sql(),
                    quote_ident(&dc.name)
                ));
                ch.requires.retain(|r| *r != Res::Sequence(seq.clone()));
                ch.provides.push(Res::Sequence(seq.clone()));
                ch.provides.push(Res::relation_of(&seq));
            }
        }
    }
}

pub(super) fn sequence_options(s: &Sequence) -> (Option<&String>, [Option<i64>; 5], bool) {
    (
        s.data_type.as_ref(),
        [s.increment, s.min_value, s.max_value, s.start, s.cache],
        s.cycle,
    )
}

/// The bounds a sequence has (written or default).
pub(super) fn bounds(s: &Sequence) -> (i64, i64) {
    let (type_min, type_max) = match s.data_type.as_deref() {
        Some("smallint") => (i16::MIN as i64, i16::MAX as i64),
        Some("integer") => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    let up = s.increment.unwrap_or(1) > 0;
    let min = s.min_value.unwrap_or(if up { 1 } else { type_min });
    let max = s.max_value.unwrap_or(if up { type_max } else { -1 });
    (min, max)
}

pub(super) fn sequences(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let cur: BTreeMap<&QualifiedName, &Sequence> =
        current.sequences.iter().map(|s| (&s.name, s)).collect();
    for s in &desired.sequences {
        let object = format!("sequence {}", s.name.sql());
        let res = Res::Sequence(s.name.clone());
        let owner = |s: &Sequence| {
            s.owned_by
                .as_ref()
                .map(|o| format!("{}.{}", o.table.sql(), quote_ident(&o.column)))
                .unwrap_or_else(|| "NONE".into())
        };
        let owned_change = |s: &Sequence| {
            Change::new(
                ChangeKind::SetSequenceOwner,
                Action::Alter,
                Phase::Ownership,
                object.clone(),
            )
            .sql(format!(
                "ALTER SEQUENCE {} OWNED BY {}",
                s.name.sql(),
                owner(s)
            ))
            .requires(
                s.owned_by
                    .iter()
                    .map(|o| Res::Column(o.table.clone(), o.column.clone())),
            )
            .requires([res.clone()])
        };
        match cur.get(&s.name) {
            None => {
                out.push(
                    Change::new(
                        ChangeKind::CreateSequence,
                        Action::Create,
                        Phase::CreateSequence,
                        object.clone(),
                    )
                    .sql(create_sequence(s))
                    .requires([in_schema(&s.name)])
                    .provides([res.clone(), Res::relation_of(&s.name)]),
                );
                if s.owned_by.is_some() {
                    out.push(owned_change(s));
                }
                if s.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        object.clone(),
                        &format!("SEQUENCE {}", s.name.sql()),
                        &s.comment,
                        vec![res.clone()],
                    ));
                }
            }
            Some(c) => {
                if sequence_options(c) != sequence_options(s) {
                    let mut sql = format!("ALTER SEQUENCE {}", s.name.sql());
                    sql.push_str(&format!(
                        " AS {}",
                        s.data_type.as_deref().unwrap_or("bigint")
                    ));
                    let (inc, min, max) = (s.increment.unwrap_or(1), s.min_value, s.max_value);
                    sql.push_str(&format!(" INCREMENT BY {inc}"));
                    sql.push_str(&min.map_or(" NO MINVALUE".into(), |v| format!(" MINVALUE {v}")));
                    sql.push_str(&max.map_or(" NO MAXVALUE".into(), |v| format!(" MAXVALUE {v}")));
                    if let Some(st) = s.start {
                        sql.push_str(&format!(" START WITH {st}"));
                    } else {
                        // The default start: the minimum going up, the maximum going down.
                        let start = if inc > 0 {
                            min.unwrap_or(1)
                        } else {
                            max.unwrap_or(-1)
                        };
                        sql.push_str(&format!(" START WITH {start}"));
                    }
                    sql.push_str(&format!(" CACHE {}", s.cache.unwrap_or(1)));
                    sql.push_str(if s.cycle { " CYCLE" } else { " NO CYCLE" });
                    let mut change = Change::new(
                        ChangeKind::AlterSequence,
                        Action::Alter,
                        Phase::CreateSequence,
                        object.clone(),
                    )
                    .hazard(Hazard::MayFailOnExistingData);
                    // PostgreSQL refuses bounds that leave out the current value: bring it inside first.
                    let (old_min, old_max) = bounds(c);
                    let (new_min, new_max) = bounds(s);
                    let seq = s.name.sql();
                    let reg = quote_literal(&seq);
                    if new_min > old_min {
                        change = change.sql(format!(
                            "SELECT setval({reg}::regclass, greatest(last_value, {new_min}), last_value >= {new_min} AND is_called) FROM {seq}"
                        ));
                    }
                    if new_max < old_max {
                        change = change.sql(format!(
                            "SELECT setval({reg}::regclass, least(last_value, {new_max}), last_value <= {new_max} AND is_called) FROM {seq}"
                        ));
                    }
                    out.push(change.sql(sql));
                }
                if c.owned_by != s.owned_by {
                    out.push(
                        owned_change(s).releases(
                            c.owned_by
                                .iter()
                                .map(|o| Res::Column(o.table.clone(), o.column.clone())),
                        ),
                    );
                }
                if c.comment != s.comment {
                    out.push(comment_change(
                        object.clone(),
                        object.clone(),
                        &format!("SEQUENCE {}", s.name.sql()),
                        &s.comment,
                        vec![],
                    ));
                }
            }
        }
    }
    let des: BTreeSet<&QualifiedName> = desired.sequences.iter().map(|s| &s.name).collect();
    for s in &current.sequences {
        // A sequence owned by a column that goes is dropped by PostgreSQL along with it.
        let goes_with_owner = s.owned_by.as_ref().is_some_and(|o| {
            desired
                .table(&o.table)
                .is_none_or(|t| t.column(&o.column).is_none())
        });
        if !des.contains(&s.name) && !goes_with_owner {
            out.push(
                Change::new(
                    ChangeKind::DropSequence,
                    Action::Drop,
                    Phase::DropSequence,
                    format!("sequence {}", s.name.sql()),
                )
                .sql(format!("DROP SEQUENCE {}", s.name.sql()))
                .hazard(Hazard::DeletesData)
                .removes([Res::Sequence(s.name.clone()), Res::relation_of(&s.name)])
                .releases([in_schema(&s.name)]),
            );
        }
    }
}
