//! The difference of two canonical schemas as changes. Both sides must be in canonical form (read back from a
//! server, see `schemadiff_catalog::normalize`), so that equal definitions are equal text, and renames must
//! already be applied to `current` (see [`crate::renames`]). Column order is not compared: PostgreSQL cannot
//! reorder the columns of an existing table, and new tables are created in the declared order.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::render::{
    check_clause, column_definition, create_enum, create_extension, create_index, create_sequence,
    create_table, exclusion_clause, foreign_key_clause, identity_options, inert,
    primary_key_clause, table_additions, unique_clause,
};
use schemadiff_model::{
    Column, EnumType, ForeignKey, Identity, Index, IndexTarget, QualifiedName, Schema, Sequence,
    Table, quote_ident, quote_literal,
};

use crate::change::{Action, Change, Hazard, Phase, Res};

/// The changes that turn `current` into `desired`, unordered.
pub fn diff(current: &Schema, desired: &Schema) -> Vec<Change> {
    let types = TypeNames::new(current, desired);
    let mut out = Vec::new();
    schemas(current, desired, &mut out);
    extensions(current, desired, &mut out);
    enums(current, desired, &types, &mut out);
    sequences(current, desired, &mut out);
    tables(current, desired, &types, &mut out);
    serial_identity_swaps(current, desired, &mut out);
    owned_sequences_go_with_owners(current, desired, &mut out);
    crate::function::functions(current, desired, &mut out);
    crate::view::views(current, desired, &mut out);
    crate::trigger::triggers(current, desired, &mut out);
    crate::change::assign_tables(&[current, desired], &mut out);
    out
}

/// A sequence owned by a column goes when the column (or its table) is dropped: that drop frees its name.
fn owned_sequences_go_with_owners(current: &Schema, desired: &Schema, out: &mut [Change]) {
    for s in &current.sequences {
        let Some(o) = &s.owned_by else { continue };
        if desired.sequences.iter().any(|d| d.name == s.name) {
            continue; // kept: disowned before its owner goes
        }
        let column = Res::Column(o.table.clone(), o.column.clone());
        let table = Res::Table(o.table.clone());
        let dropping = out.iter_mut().find(|c| {
            (c.kind == "drop_table" && c.removes.contains(&table))
                || (c.kind == "drop_column" && c.removes.contains(&column))
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
fn serial_identity_swaps(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    for d in &desired.tables {
        let Some(c) = current.table(&d.name) else {
            continue;
        };
        let q = d.name.sql();
        for dc in &d.columns {
            let Some(cc) = c.column(&dc.name) else {
                continue;
            };
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
                let Some(Res::Sequence(seq)) = sequence_of(cc.default.as_deref()) else {
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
                    !(ch.kind == "drop_sequence"
                        && ch.removes.contains(&Res::Sequence(seq.clone())))
                });
                let Some(ch) = out
                    .iter_mut()
                    .find(|ch| ch.kind == "alter_column" && ch.object == object)
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
                let Some(Res::Sequence(seq)) = sequence_of(dc.default.as_deref()) else {
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
                    !(matches!(ch.kind, "create_sequence" | "set_sequence_owner")
                        && ch.object == format!("sequence {}", seq.sql()))
                });
                let Some(ch) = out
                    .iter_mut()
                    .find(|ch| ch.kind == "alter_column" && ch.object == object)
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

/// Enums by the text `format_type` prints for them (as columns name their type).
struct TypeNames(BTreeMap<String, QualifiedName>);

impl TypeNames {
    fn new(a: &Schema, b: &Schema) -> Self {
        let mut map = BTreeMap::new();
        for e in a.enums.iter().chain(&b.enums) {
            map.insert(type_text(&e.name), e.name.clone());
        }
        TypeNames(map)
    }

    /// The enum a column type names (`mood`, `billing.status[]`), if any.
    fn enum_of(&self, data_type: &str) -> Option<Res> {
        let base = data_type.trim_end_matches("[]");
        self.0.get(base).map(|q| Res::Type(q.clone()))
    }
}

/// How `format_type` writes a type: bare when in `public` (on the search path), else qualified.
pub fn type_text(q: &QualifiedName) -> String {
    if q.schema == schemadiff_model::ident::DEFAULT_SCHEMA {
        quote_ident(&q.name)
    } else {
        format!("{}.{}", quote_ident(&q.schema), quote_ident(&q.name))
    }
}

/// The sequence a default takes its values from (`nextval('orders_id_seq'::regclass)`).
fn sequence_of(default: Option<&str>) -> Option<Res> {
    let d = default?;
    let start = d.find("nextval('")? + "nextval('".len();
    let end = start + d[start..].find("'::regclass")?;
    let text = d[start..end].replace("''", "'");
    let parts = sql_name_parts(&text)?;
    let q = match parts.as_slice() {
        [n] => QualifiedName::new(schemadiff_model::ident::DEFAULT_SCHEMA, n.clone()),
        [s, n] => QualifiedName::new(s.clone(), n.clone()),
        _ => return None,
    };
    Some(Res::Sequence(q))
}

/// The parts of an SQL name as the server prints it (`a`, `"A b"`, `s."t"`).
fn sql_name_parts(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.push(c);
                chars.next();
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => continue,
            Some(_) => return None,
        }
    }
}

fn comment_sql(target: &str, comment: &Option<String>) -> String {
    match comment {
        Some(c) => format!("COMMENT ON {target} IS {}", quote_literal(c)),
        None => format!("COMMENT ON {target} IS NULL"),
    }
}

fn comment_change(
    object: String,
    group: String,
    target: &str,
    comment: &Option<String>,
    requires: Vec<Res>,
) -> Change {
    Change::new("set_comment", Action::Alter, Phase::Comment, object)
        .group(group)
        .sql(comment_sql(target, comment))
        .requires(requires)
}

fn schemas(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
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
                            "create_schema",
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
                    "drop_schema",
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

fn extensions(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
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
                    "create_extension",
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
                            "alter_extension",
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
                                "update_extension",
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
                    "drop_extension",
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

fn in_schema(q: &QualifiedName) -> Res {
    Res::Schema(q.schema.clone())
}

fn enums(current: &Schema, desired: &Schema, types: &TypeNames, out: &mut Vec<Change>) {
    let cur: BTreeMap<&QualifiedName, &EnumType> =
        current.enums.iter().map(|e| (&e.name, e)).collect();
    for e in &desired.enums {
        let object = format!("type {}", e.name.sql());
        let res = Res::Type(e.name.clone());
        match cur.get(&e.name) {
            None => {
                out.push(
                    Change::new(
                        "create_enum",
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
                            "add_enum_values",
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
                    "drop_enum",
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

fn is_subsequence(short: &[&str], long: &[&str]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}

/// Values removed or reordered: PostgreSQL cannot do that in place, so the type is made anew and every column
/// of it converted through text (rows holding a removed value make this fail).
fn recreate_enum(
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
        "recreate_enum",
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

fn sequence_options(s: &Sequence) -> (Option<&String>, [Option<i64>; 5], bool) {
    (
        s.data_type.as_ref(),
        [s.increment, s.min_value, s.max_value, s.start, s.cache],
        s.cycle,
    )
}

/// The bounds a sequence has (written or default).
fn bounds(s: &Sequence) -> (i64, i64) {
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

fn sequences(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
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
                "set_sequence_owner",
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
                        "create_sequence",
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
                        "alter_sequence",
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
                    "drop_sequence",
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

/// What a column needs to exist: its table, its enum type, the sequence of its default.
fn column_needs(t: &QualifiedName, c: &Column, types: &TypeNames) -> Vec<Res> {
    let mut r = vec![Res::Table(t.clone())];
    r.extend(types.enum_of(&c.data_type));
    r.extend(sequence_of(c.default.as_deref()));
    r
}

fn column_uses(c: &Column, types: &TypeNames) -> Vec<Res> {
    let mut r = Vec::new();
    r.extend(types.enum_of(&c.data_type));
    r.extend(sequence_of(c.default.as_deref()));
    r
}

fn sorted(cols: &[String]) -> Vec<String> {
    let mut v = cols.to_vec();
    v.sort();
    v
}

fn key_columns(idx: &Index) -> Vec<String> {
    idx.keys
        .iter()
        .filter_map(|k| match &k.target {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expression(_) => None,
        })
        .chain(idx.include.iter().cloned())
        .collect()
}

/// The keys (for foreign keys to stand on) a table offers: primary key, unique constraints, plain unique indexes.
fn table_keys(t: &Table) -> Vec<Res> {
    let mut keys = Vec::new();
    if let Some(pk) = &t.primary_key {
        keys.push(Res::Key(t.name.clone(), sorted(&pk.columns)));
    }
    for u in &t.uniques {
        keys.push(Res::Key(t.name.clone(), sorted(&u.columns)));
    }
    keys.dedup();
    for i in &t.indexes {
        if i.unique
            && i.where_clause.is_none()
            && i.keys
                .iter()
                .all(|k| matches!(k.target, IndexTarget::Column(_)))
        {
            keys.push(Res::Key(t.name.clone(), sorted(&key_columns(i))));
        }
    }
    keys
}

fn tables(current: &Schema, desired: &Schema, types: &TypeNames, out: &mut Vec<Change>) {
    let des: BTreeMap<&QualifiedName, &Table> =
        desired.tables.iter().map(|t| (&t.name, t)).collect();
    // Constraints and indexes that only changed name are renamed, not rebuilt.
    let renamed: Vec<Table> = current
        .tables
        .iter()
        .map(|t| match des.get(&t.name) {
            Some(d) => rename_same_definitions(t, d, out),
            None => t.clone(),
        })
        .collect();
    let cur: BTreeMap<&QualifiedName, &Table> = renamed.iter().map(|t| (&t.name, t)).collect();
    // Keys that go away (or are made anew): foreign keys standing on them must be made anew too.
    let mut dropped_keys: BTreeSet<Res> = BTreeSet::new();
    for (name, t) in &cur {
        match des.get(name) {
            None => dropped_keys.extend(table_keys(t)),
            Some(d) => {
                let kept: BTreeSet<Res> = table_keys(d).into_iter().collect();
                // A key whose definition changes is dropped and made again.
                let unchanged = unchanged_key_sources(t, d);
                for k in table_keys(t) {
                    if !kept.contains(&k) || !unchanged.contains(&k) {
                        dropped_keys.insert(k);
                    }
                }
            }
        }
    }
    for t in &desired.tables {
        match cur.get(&t.name) {
            None => create_table_changes(t, types, out),
            Some(c) => alter_table_changes(c, t, types, &dropped_keys, out),
        }
    }
    for t in &renamed {
        if !des.contains_key(&t.name) {
            drop_table_changes(t, types, out);
        }
    }
}

/// `c` with the constraints and indexes that `d` has under another name (and the very same definition)
/// renamed, emitting those renames: cheaper than rebuilding, and what follows sees the new names.
fn rename_same_definitions(c: &Table, d: &Table, out: &mut Vec<Change>) -> Table {
    let mut t = c.clone();
    let q = t.name.sql();
    let rename = |out: &mut Vec<Change>,
                  kind: &'static str,
                  object: String,
                  sql: String,
                  old: &str,
                  new: &str,
                  relation: bool| {
        let mut change = Change::new(kind, Action::Alter, Phase::Rename, object)
            .group(format!("table {q}"))
            .sql(sql)
            .hazard(Hazard::AccessExclusiveLock)
            .requires([Res::Table(c.name.clone())])
            .removes([Res::Named(c.name.clone(), old.to_string())])
            .provides([Res::Named(c.name.clone(), new.to_string())]);
        // An index's name (its own, or its key's) is a relation's: it is freed and taken.
        if relation {
            change = change
                .removes([Res::relation(&c.name.schema, old)])
                .provides([Res::relation(&c.name.schema, new)]);
        }
        out.push(change);
    };
    let constraint = |out: &mut Vec<Change>, old: &str, new: &str, relation: bool| {
        rename(
            out,
            "rename_constraint",
            format!("constraint {} on {q}", quote_ident(new)),
            format!(
                "ALTER TABLE {q} RENAME CONSTRAINT {} TO {}",
                quote_ident(old),
                quote_ident(new)
            ),
            old,
            new,
            relation,
        );
    };
    if let (Some(a), Some(b)) = (&mut t.primary_key, &d.primary_key) {
        if a.name != b.name
            && (&a.columns, a.deferrable, a.initially_deferred)
                == (&b.columns, b.deferrable, b.initially_deferred)
        {
            constraint(out, &name_of(&a.name), &name_of(&b.name), true);
            a.name = b.name.clone();
        }
    }
    for (i, new) in pairs(&c.uniques, &d.uniques, |u| &u.name, same_unique) {
        constraint(out, &name_of(&t.uniques[i].name), &name_of(&new), true);
        t.uniques[i].name = new;
    }
    for (i, new) in pairs(
        &c.checks,
        &d.checks,
        |x| &x.name,
        |a, b| {
            (&a.expression, a.no_inherit, a.not_valid) == (&b.expression, b.no_inherit, b.not_valid)
        },
    ) {
        constraint(out, &name_of(&t.checks[i].name), &name_of(&new), false);
        t.checks[i].name = new;
    }
    let exclusion = |x: &schemadiff_model::Exclusion| {
        exclusion_clause(&schemadiff_model::Exclusion {
            name: None,
            comment: None,
            ..x.clone()
        })
    };
    for (i, new) in pairs(
        &c.exclusions,
        &d.exclusions,
        |x| &x.name,
        |a, b| exclusion(a) == exclusion(b),
    ) {
        constraint(out, &name_of(&t.exclusions[i].name), &name_of(&new), true);
        t.exclusions[i].name = new;
    }
    for (i, new) in pairs(&c.foreign_keys, &d.foreign_keys, |f| &f.name, same_fk) {
        constraint(
            out,
            &name_of(&t.foreign_keys[i].name),
            &name_of(&new),
            false,
        );
        t.foreign_keys[i].name = new;
    }
    for (i, new) in pairs(&c.indexes, &d.indexes, |x| &x.name, same_index) {
        let (old, to) = (name_of(&t.indexes[i].name), name_of(&new));
        let from = QualifiedName::new(t.name.schema.clone(), old.clone()).sql();
        let object = format!(
            "index {}",
            QualifiedName::new(t.name.schema.clone(), to.clone()).sql()
        );
        rename(
            out,
            "rename_index",
            object,
            format!("ALTER INDEX {from} RENAME TO {}", quote_ident(&to)),
            &old,
            &to,
            true,
        );
        t.indexes[i].name = new;
    }
    t
}

/// (position in `old`, new name) for each element of `new` whose name is not in `old` but whose definition
/// equals that of an element of `old` whose name is not in `new`.
fn pairs<T>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &Option<String>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<(usize, Option<String>)> {
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for n in new {
        if old.iter().any(|o| name(o) == name(n)) {
            continue;
        }
        let found = old.iter().enumerate().find(|(i, o)| {
            !used.contains(i) && !new.iter().any(|x| name(x) == name(o)) && same(o, n)
        });
        if let Some((i, _)) = found {
            used.insert(i);
            out.push((i, name(n).clone()));
        }
    }
    out
}

/// Keys of `c` whose defining constraint or index is the same in `d` (so they are not dropped).
fn unchanged_key_sources(c: &Table, d: &Table) -> BTreeSet<Res> {
    let mut out = BTreeSet::new();
    if let (Some(a), Some(b)) = (&c.primary_key, &d.primary_key) {
        if a.name == b.name && primary_key_clause(a) == primary_key_clause(b) {
            out.insert(Res::Key(c.name.clone(), sorted(&a.columns)));
        }
    }
    for u in &c.uniques {
        if d.uniques.iter().any(|v| same_unique(u, v)) {
            out.insert(Res::Key(c.name.clone(), sorted(&u.columns)));
        }
    }
    for i in &c.indexes {
        if d.indexes.iter().any(|j| same_index(i, j)) {
            out.insert(Res::Key(c.name.clone(), sorted(&key_columns(i))));
        }
    }
    out
}

fn same_unique(a: &schemadiff_model::Unique, b: &schemadiff_model::Unique) -> bool {
    (
        &a.columns,
        &a.include,
        a.nulls_not_distinct,
        a.deferrable,
        a.initially_deferred,
    ) == (
        &b.columns,
        &b.include,
        b.nulls_not_distinct,
        b.deferrable,
        b.initially_deferred,
    )
}

fn same_index(a: &Index, b: &Index) -> bool {
    (
        a.unique,
        &a.method,
        &a.keys,
        &a.include,
        &a.where_clause,
        a.nulls_not_distinct,
    ) == (
        b.unique,
        &b.method,
        &b.keys,
        &b.include,
        &b.where_clause,
        b.nulls_not_distinct,
    )
}

fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    let key = |f: &ForeignKey| {
        (
            f.columns.clone(),
            f.references.clone(),
            f.referenced_columns.clone(),
            f.on_delete,
            f.on_delete_columns.clone(),
            f.on_update,
            f.match_full,
            f.deferrable,
            f.initially_deferred,
            f.not_valid,
        )
    };
    key(a) == key(b)
}

fn name_of(n: &Option<String>) -> String {
    n.clone().unwrap_or_default()
}

fn create_table_changes(t: &Table, types: &TypeNames, out: &mut Vec<Change>) {
    let q = t.name.sql();
    let group = format!("table {q}");
    let mut requires = vec![in_schema(&t.name)];
    for c in &t.columns {
        requires.extend(column_uses(c, types));
    }
    // A table is also a type (its row type), in the namespace of enums.
    let mut provides = vec![Res::Table(t.name.clone()), Res::Type(t.name.clone())];
    provides.extend(index_backed_relations(t, false));
    provides.extend(
        t.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.name.clone())),
    );
    provides.extend(
        t.primary_key
            .iter()
            .filter(|pk| !pk.deferrable)
            .map(|pk| Res::Key(t.name.clone(), sorted(&pk.columns))),
    );
    provides.extend(
        t.uniques
            .iter()
            .filter(|u| !u.deferrable)
            .map(|u| Res::Key(t.name.clone(), sorted(&u.columns))),
    );
    for n in t
        .primary_key
        .iter()
        .map(|p| &p.name)
        .chain(t.uniques.iter().map(|u| &u.name))
        .chain(t.checks.iter().map(|c| &c.name))
        .chain(t.exclusions.iter().map(|x| &x.name))
    {
        provides.push(Res::Named(t.name.clone(), name_of(n)));
    }
    let mut create = Change::new(
        "create_table",
        Action::Create,
        Phase::CreateTable,
        group.clone(),
    )
    .sql(create_table(t));
    for (_, sql) in table_additions(t) {
        create = create.sql(sql);
    }
    out.push(create.requires(requires).provides(provides));
    // The table is empty and nobody uses it yet: its indexes block no one, and its rows fail no key.
    for idx in &t.indexes {
        out.push(create_index_change(t, idx, true));
    }
    for fk in &t.foreign_keys {
        out.push(add_fk_change(t, fk, true));
    }
    comments_of_new_table(t, out);
}

fn comments_of_new_table(t: &Table, out: &mut Vec<Change>) {
    let q = t.name.sql();
    let group = format!("table {q}");
    if t.comment.is_some() {
        out.push(comment_change(
            group.clone(),
            group.clone(),
            &format!("TABLE {q}"),
            &t.comment,
            vec![Res::Table(t.name.clone())],
        ));
    }
    for c in &t.columns {
        if c.comment.is_some() {
            out.push(comment_change(
                format!("column {q}.{}", quote_ident(&c.name)),
                group.clone(),
                &format!("COLUMN {q}.{}", quote_ident(&c.name)),
                &c.comment,
                vec![Res::Column(t.name.clone(), c.name.clone())],
            ));
        }
    }
    for (name, comment) in constraint_comments(t) {
        if comment.is_some() {
            out.push(comment_change(
                format!("constraint {} on {q}", quote_ident(&name)),
                group.clone(),
                &format!("CONSTRAINT {} ON {q}", quote_ident(&name)),
                &comment,
                vec![Res::Named(t.name.clone(), name.clone())],
            ));
        }
    }
    for i in &t.indexes {
        if i.comment.is_some() {
            let iq = QualifiedName::new(t.name.schema.clone(), name_of(&i.name)).sql();
            out.push(comment_change(
                format!("index {iq}"),
                group.clone(),
                &format!("INDEX {iq}"),
                &i.comment,
                vec![Res::Named(t.name.clone(), name_of(&i.name))],
            ));
        }
    }
}

/// Every constraint of a table by name, with its comment.
fn constraint_comments(t: &Table) -> Vec<(String, Option<String>)> {
    let mut v = Vec::new();
    if let Some(pk) = &t.primary_key {
        v.push((name_of(&pk.name), pk.comment.clone()));
    }
    v.extend(
        t.uniques
            .iter()
            .map(|u| (name_of(&u.name), u.comment.clone())),
    );
    v.extend(
        t.checks
            .iter()
            .map(|c| (name_of(&c.name), c.comment.clone())),
    );
    v.extend(
        t.exclusions
            .iter()
            .map(|x| (name_of(&x.name), x.comment.clone())),
    );
    v.extend(
        t.foreign_keys
            .iter()
            .map(|f| (name_of(&f.name), f.comment.clone())),
    );
    v
}

/// A new index on `t`; `new_table` when the plan creates `t` (empty, unused: no hazard).
fn create_index_change(t: &Table, idx: &Index, new_table: bool) -> Change {
    let iq = QualifiedName::new(t.name.schema.clone(), name_of(&idx.name)).sql();
    let mut provides = vec![
        Res::Named(t.name.clone(), name_of(&idx.name)),
        Res::relation(&t.name.schema, &name_of(&idx.name)),
    ];
    let cols = key_columns(idx);
    if idx.unique && idx.where_clause.is_none() && cols.len() == idx.keys.len() + idx.include.len()
    {
        provides.push(Res::Key(t.name.clone(), sorted(&cols)));
    }
    let change = Change::new(
        "create_index",
        Action::Create,
        Phase::CreateIndex,
        format!("index {iq}"),
    )
    .group(format!("table {}", t.name.sql()))
    .sql(create_index(&t.name, idx));
    let change = match (new_table, idx.unique) {
        (true, _) => change,
        (false, false) => change.hazard(Hazard::BuildsIndexBlockingWrites),
        (false, true) => change
            .hazard(Hazard::BuildsIndexBlockingWrites)
            .hazard(Hazard::MayFailOnExistingData),
    };
    change
        .requires([Res::Table(t.name.clone())])
        .requires(cols.into_iter().map(|c| Res::Column(t.name.clone(), c)))
        .provides(provides)
}

fn drop_index_change(t: &Table, idx: &Index) -> Change {
    let iq = QualifiedName::new(t.name.schema.clone(), name_of(&idx.name)).sql();
    let mut removes = vec![
        Res::Named(t.name.clone(), name_of(&idx.name)),
        Res::relation(&t.name.schema, &name_of(&idx.name)),
    ];
    if idx.unique {
        removes.push(Res::Key(t.name.clone(), sorted(&key_columns(idx))));
    }
    Change::new(
        "drop_index",
        Action::Drop,
        Phase::DropIndexOrConstraint,
        format!("index {iq}"),
    )
    .group(format!("table {}", t.name.sql()))
    .sql(format!("DROP INDEX {iq}"))
    .hazard(Hazard::AccessExclusiveLock)
    .removes(removes)
    .releases(
        key_columns(idx)
            .into_iter()
            .map(|c| Res::Column(t.name.clone(), c)),
    )
}

/// A new foreign key on `t`; `new_table` when the plan creates `t` (no rows to check).
fn add_fk_change(t: &Table, fk: &ForeignKey, new_table: bool) -> Change {
    let q = t.name.sql();
    let change = Change::new(
        "add_foreign_key",
        Action::Create,
        Phase::AddForeignKey,
        format!("foreign key {} on {q}", quote_ident(&name_of(&fk.name))),
    )
    .group(format!("table {q}"))
    .sql(format!("ALTER TABLE {q} ADD {}", foreign_key_clause(fk)));
    // A NOT VALID foreign key leaves the existing rows alone.
    let change = if fk.not_valid || new_table {
        change
    } else {
        change.hazard(Hazard::MayFailOnExistingData)
    };
    change
        .requires([
            Res::Table(t.name.clone()),
            Res::Table(fk.references.clone()),
        ])
        .requires(
            fk.columns
                .iter()
                .map(|c| Res::Column(t.name.clone(), c.clone())),
        )
        .requires([Res::Key(
            fk.references.clone(),
            sorted(&fk.referenced_columns),
        )])
        .provides([Res::Named(t.name.clone(), name_of(&fk.name))])
}

fn drop_fk_change(t: &Table, fk: &ForeignKey) -> Change {
    let q = t.name.sql();
    Change::new(
        "drop_foreign_key",
        Action::Drop,
        Phase::DropForeignKey,
        format!("foreign key {} on {q}", quote_ident(&name_of(&fk.name))),
    )
    .group(format!("table {q}"))
    .sql(format!(
        "ALTER TABLE {q} DROP CONSTRAINT {}",
        quote_ident(&name_of(&fk.name))
    ))
    .removes([Res::Named(t.name.clone(), name_of(&fk.name))])
    .releases([
        Res::Table(fk.references.clone()),
        Res::Key(fk.references.clone(), sorted(&fk.referenced_columns)),
    ])
    .releases(
        fk.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.clone())),
    )
    .releases(
        fk.referenced_columns
            .iter()
            .map(|c| Res::Column(fk.references.clone(), c.clone())),
    )
}

fn drop_table_changes(t: &Table, types: &TypeNames, out: &mut Vec<Change>) {
    let q = t.name.sql();
    // Its foreign keys first, so that tables referencing each other can all go.
    for fk in &t.foreign_keys {
        out.push(drop_fk_change(t, fk));
    }
    let mut removes = vec![Res::Table(t.name.clone()), Res::Type(t.name.clone())];
    removes.extend(index_backed_relations(t, true));
    removes.extend(
        t.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.name.clone())),
    );
    removes.extend(table_keys(t));
    let mut releases = vec![in_schema(&t.name)];
    for c in &t.columns {
        releases.extend(column_uses(c, types));
    }
    out.push(
        Change::new(
            "drop_table",
            Action::Drop,
            Phase::DropTable,
            format!("table {q}"),
        )
        .sql(format!("DROP TABLE {q}"))
        .hazard(Hazard::DeletesData)
        .removes(removes)
        .releases(releases),
    );
}

/// The names `t` takes in its schema's namespace of relations: its own, those of its keys' and exclusion
/// constraints' indexes, and (`with_indexes`) those of its indexes.
fn index_backed_relations(t: &Table, with_indexes: bool) -> Vec<Res> {
    let s = &t.name.schema;
    let mut out = vec![Res::relation_of(&t.name)];
    let names = t
        .primary_key
        .iter()
        .map(|p| &p.name)
        .chain(t.uniques.iter().map(|u| &u.name))
        .chain(t.exclusions.iter().map(|x| &x.name))
        .chain(t.indexes.iter().map(|i| &i.name).filter(|_| with_indexes));
    out.extend(names.map(|n| Res::relation(s, &name_of(n))));
    out
}

/// A table-level constraint other than a foreign key, as (name, clause, columns, is_key, definition key).
struct Constraint {
    name: String,
    clause: String,
    columns: Vec<String>,
    key: Option<Vec<String>>,
    definition: String,
    /// A NOT VALID check: its definition once validated (what `VALIDATE CONSTRAINT` turns it into).
    validated: Option<String>,
    /// Whether it has an index (primary key, unique, exclusion), whose name is a relation's.
    index_backed: bool,
    comment: Option<String>,
    hazards: Vec<Hazard>,
}

fn constraints(t: &Table) -> Vec<Constraint> {
    let mut v = Vec::new();
    if let Some(pk) = &t.primary_key {
        v.push(Constraint {
            name: name_of(&pk.name),
            clause: primary_key_clause(pk),
            columns: pk.columns.clone(),
            key: (!pk.deferrable).then(|| sorted(&pk.columns)),
            definition: primary_key_clause(pk),
            validated: None,
            index_backed: true,
            comment: pk.comment.clone(),
            hazards: vec![
                Hazard::MayFailOnExistingData,
                Hazard::BuildsIndexBlockingWrites,
                Hazard::AccessExclusiveLock,
            ],
        });
    }
    for u in &t.uniques {
        v.push(Constraint {
            name: name_of(&u.name),
            clause: unique_clause(u),
            columns: u.columns.iter().chain(&u.include).cloned().collect(),
            key: (!u.deferrable).then(|| sorted(&u.columns)),
            definition: unique_clause(u),
            validated: None,
            index_backed: true,
            comment: u.comment.clone(),
            hazards: vec![
                Hazard::MayFailOnExistingData,
                Hazard::BuildsIndexBlockingWrites,
                Hazard::AccessExclusiveLock,
            ],
        });
    }
    for c in &t.checks {
        v.push(Constraint {
            name: name_of(&c.name),
            clause: check_clause(c),
            columns: t
                .columns
                .iter()
                .filter(|col| c.expression.contains(&col.name))
                .map(|col| col.name.clone())
                .collect(),
            key: None,
            definition: check_clause(c),
            validated: c.not_valid.then(|| {
                check_clause(&schemadiff_model::Check {
                    not_valid: false,
                    ..c.clone()
                })
            }),
            index_backed: false,
            comment: c.comment.clone(),
            // A NOT VALID check leaves the existing rows alone.
            hazards: if c.not_valid {
                vec![Hazard::AccessExclusiveLock]
            } else {
                vec![Hazard::MayFailOnExistingData, Hazard::AccessExclusiveLock]
            },
        });
    }
    for x in &t.exclusions {
        v.push(Constraint {
            name: name_of(&x.name),
            clause: exclusion_clause(x),
            columns: x
                .elements
                .iter()
                .filter_map(|e| match &e.key.target {
                    IndexTarget::Column(c) => Some(c.clone()),
                    IndexTarget::Expression(_) => None,
                })
                .collect(),
            key: None,
            definition: exclusion_clause(x),
            validated: None,
            index_backed: true,
            comment: x.comment.clone(),
            hazards: vec![
                Hazard::MayFailOnExistingData,
                Hazard::BuildsIndexBlockingWrites,
                Hazard::AccessExclusiveLock,
            ],
        });
    }
    v
}

fn alter_table_changes(
    c: &Table,
    d: &Table,
    types: &TypeNames,
    dropped_keys: &BTreeSet<Res>,
    out: &mut Vec<Change>,
) {
    let q = d.name.sql();
    let group = format!("table {q}");
    let tres = Res::Table(d.name.clone());

    // Columns. New ones are added in declaration order (each after the new one declared before it), so the
    // table ends as a table created from the model would.
    let mut previous_new: Option<Res> = None;
    for col in &d.columns {
        let cres = Res::Column(d.name.clone(), col.name.clone());
        let object = format!("column {q}.{}", quote_ident(&col.name));
        match c.column(&col.name) {
            None => {
                let mut change = Change::new(
                    "add_column",
                    Action::Create,
                    Phase::AlterColumn,
                    object.clone(),
                )
                .group(group.clone())
                .sql(format!(
                    "ALTER TABLE {q} ADD COLUMN {}",
                    column_definition(col)
                ))
                .hazard(Hazard::AccessExclusiveLock)
                .requires(column_needs(&d.name, col, types))
                .requires(previous_new.replace(cres.clone()))
                .provides([cres.clone()]);
                if col.not_null
                    && col.default.is_none()
                    && col.identity.is_none()
                    && col.generated.is_none()
                {
                    change = change.hazard(Hazard::MayFailOnExistingData);
                }
                if col.generated.is_some() || col.identity.is_some() {
                    change = change.hazard(Hazard::RewritesTable);
                }
                out.push(change);
                if col.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        group.clone(),
                        &format!("COLUMN {q}.{}", quote_ident(&col.name)),
                        &col.comment,
                        vec![cres],
                    ));
                }
            }
            Some(old) => {
                if let Some(mut change) = alter_column(&d.name, old, col, types) {
                    // A column made anew goes to the end too, in its place among the new ones.
                    if change.kind == "recreate_column" && change.statements.len() > 1 {
                        change = change
                            .requires(previous_new.replace(cres.clone()))
                            .provides([cres.clone()]);
                    }
                    out.push(change.group(group.clone()));
                }
                if old.comment != col.comment {
                    out.push(comment_change(
                        object,
                        group.clone(),
                        &format!("COLUMN {q}.{}", quote_ident(&col.name)),
                        &col.comment,
                        vec![],
                    ));
                }
            }
        }
    }
    for old in &c.columns {
        if d.column(&old.name).is_none() {
            let mut releases = column_uses(old, types);
            releases.push(tres.clone());
            out.push(
                Change::new(
                    "drop_column",
                    Action::Drop,
                    Phase::DropColumn,
                    format!("column {q}.{}", quote_ident(&old.name)),
                )
                .group(group.clone())
                .sql(format!(
                    "ALTER TABLE {q} DROP COLUMN {}",
                    quote_ident(&old.name)
                ))
                .hazard(Hazard::DeletesData)
                .hazard(Hazard::AccessExclusiveLock)
                .removes([Res::Column(d.name.clone(), old.name.clone())])
                .releases(releases),
            );
        }
    }

    // Constraints other than foreign keys: by name; a changed definition is dropped and added again.
    let old_cons = constraints(c);
    let new_cons = constraints(d);
    for n in &new_cons {
        let old = old_cons.iter().find(|o| o.name == n.name);
        // A NOT VALID check that is to be valid is validated in place (it checks the rows, without a rebuild).
        if let Some(o) = old.filter(|o| o.validated.as_ref() == Some(&n.definition)) {
            out.push(validate_change(d, &o.name));
            if o.comment != n.comment {
                out.push(comment_change(
                    format!("constraint {} on {q}", quote_ident(&n.name)),
                    group.clone(),
                    &format!("CONSTRAINT {} ON {q}", quote_ident(&n.name)),
                    &n.comment,
                    vec![],
                ));
            }
            continue;
        }
        let changed = old.is_some_and(|o| o.definition != n.definition);
        if let Some(o) = old.filter(|_| changed) {
            out.push(drop_constraint(d, o));
        }
        if old.is_none() || changed {
            let mut provides = vec![Res::Named(d.name.clone(), n.name.clone())];
            provides.extend(n.key.iter().map(|k| Res::Key(d.name.clone(), k.clone())));
            if n.index_backed {
                provides.push(Res::relation(&d.name.schema, &n.name));
            }
            let mut change = Change::new(
                "add_constraint",
                Action::Create,
                Phase::AddConstraint,
                format!("constraint {} on {q}", quote_ident(&n.name)),
            )
            .group(group.clone())
            .sql(format!("ALTER TABLE {q} ADD {}", n.clause))
            .requires([tres.clone()])
            .requires(
                n.columns
                    .iter()
                    .map(|col| Res::Column(d.name.clone(), col.clone())),
            )
            .provides(provides);
            for h in &n.hazards {
                change = change.hazard(*h);
            }
            out.push(change);
        }
        if (old.is_none() && n.comment.is_some())
            || old.is_some_and(|o| o.comment != n.comment)
            || (changed && n.comment.is_some())
        {
            out.push(comment_change(
                format!("constraint {} on {q}", quote_ident(&n.name)),
                group.clone(),
                &format!("CONSTRAINT {} ON {q}", quote_ident(&n.name)),
                &n.comment,
                vec![Res::Named(d.name.clone(), n.name.clone())],
            ));
        }
    }
    for o in &old_cons {
        if !new_cons.iter().any(|n| n.name == o.name) {
            out.push(drop_constraint(d, o));
        }
    }

    // Indexes: by name; a changed definition is dropped and built again.
    for idx in &d.indexes {
        let old = c.indexes.iter().find(|o| o.name == idx.name);
        let changed = old.is_some_and(|o| !same_index(o, idx));
        if let Some(o) = old.filter(|_| changed) {
            out.push(drop_index_change(d, o));
        }
        if old.is_none() || changed {
            out.push(create_index_change(d, idx, false));
        }
        let comment_differs = match old {
            None => idx.comment.is_some(),
            Some(o) => o.comment != idx.comment || (changed && idx.comment.is_some()),
        };
        if comment_differs {
            let iq = QualifiedName::new(d.name.schema.clone(), name_of(&idx.name)).sql();
            out.push(comment_change(
                format!("index {iq}"),
                group.clone(),
                &format!("INDEX {iq}"),
                &idx.comment,
                vec![Res::Named(d.name.clone(), name_of(&idx.name))],
            ));
        }
    }
    for o in &c.indexes {
        if !d.indexes.iter().any(|i| i.name == o.name) {
            out.push(drop_index_change(d, o));
        }
    }

    // Foreign keys: by name; changed, or standing on a key that is dropped, means dropped and added again.
    for fk in &d.foreign_keys {
        let old = c.foreign_keys.iter().find(|o| o.name == fk.name);
        let validated_only = old.is_some_and(|o| {
            o.not_valid
                && !fk.not_valid
                && same_fk(
                    &ForeignKey {
                        not_valid: false,
                        ..o.clone()
                    },
                    fk,
                )
                && !dropped_keys.contains(&Res::Key(
                    o.references.clone(),
                    sorted(&o.referenced_columns),
                ))
        });
        if validated_only {
            out.push(validate_change(d, &name_of(&fk.name)));
            if old.is_some_and(|o| o.comment != fk.comment) {
                out.push(comment_change(
                    format!("constraint {} on {q}", quote_ident(&name_of(&fk.name))),
                    group.clone(),
                    &format!("CONSTRAINT {} ON {q}", quote_ident(&name_of(&fk.name))),
                    &fk.comment,
                    vec![],
                ));
            }
            continue;
        }
        let rebuilt = old.is_some_and(|o| {
            !same_fk(o, fk)
                || dropped_keys.contains(&Res::Key(
                    o.references.clone(),
                    sorted(&o.referenced_columns),
                ))
        });
        if let Some(o) = old.filter(|_| rebuilt) {
            out.push(drop_fk_change(c, o));
        }
        if old.is_none() || rebuilt {
            out.push(add_fk_change(d, fk, false));
        }
        let comment_differs = match old {
            None => fk.comment.is_some(),
            Some(o) => o.comment != fk.comment || (rebuilt && fk.comment.is_some()),
        };
        if comment_differs {
            out.push(comment_change(
                format!("constraint {} on {q}", quote_ident(&name_of(&fk.name))),
                group.clone(),
                &format!("CONSTRAINT {} ON {q}", quote_ident(&name_of(&fk.name))),
                &fk.comment,
                vec![Res::Named(d.name.clone(), name_of(&fk.name))],
            ));
        }
    }
    for o in &c.foreign_keys {
        if !d.foreign_keys.iter().any(|f| f.name == o.name) {
            out.push(drop_fk_change(c, o));
        }
    }

    if c.comment != d.comment {
        out.push(comment_change(
            group.clone(),
            group.clone(),
            &format!("TABLE {q}"),
            &d.comment,
            vec![],
        ));
    }
}

/// `VALIDATE CONSTRAINT`: a NOT VALID check or foreign key made valid, checking the existing rows (with a
/// SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on).
fn validate_change(t: &Table, name: &str) -> Change {
    let q = t.name.sql();
    Change::new(
        "validate_constraint",
        Action::Alter,
        Phase::AddForeignKey,
        format!("constraint {} on {q}", quote_ident(name)),
    )
    .group(format!("table {q}"))
    .sql(format!(
        "ALTER TABLE {q} VALIDATE CONSTRAINT {}",
        quote_ident(name)
    ))
    .hazard(Hazard::MayFailOnExistingData)
    .requires([Res::Named(t.name.clone(), name.to_string())])
}

fn drop_constraint(t: &Table, o: &Constraint) -> Change {
    let q = t.name.sql();
    let mut removes = vec![Res::Named(t.name.clone(), o.name.clone())];
    removes.extend(o.key.iter().map(|k| Res::Key(t.name.clone(), k.clone())));
    if o.index_backed {
        removes.push(Res::relation(&t.name.schema, &o.name));
    }
    Change::new(
        "drop_constraint",
        Action::Drop,
        Phase::DropIndexOrConstraint,
        format!("constraint {} on {q}", quote_ident(&o.name)),
    )
    .group(format!("table {q}"))
    .sql(format!(
        "ALTER TABLE {q} DROP CONSTRAINT {}",
        quote_ident(&o.name)
    ))
    .hazard(Hazard::AccessExclusiveLock)
    .removes(removes)
    .releases(
        o.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.clone())),
    )
}

/// The statements that change a column in place, in the order PostgreSQL needs them.
fn alter_column(
    t: &QualifiedName,
    old: &Column,
    new: &Column,
    types: &TypeNames,
) -> Option<Change> {
    let q = t.sql();
    let col = quote_ident(&new.name);
    let alter = |what: String| format!("ALTER TABLE {q} ALTER COLUMN {col} {what}");
    let type_changed = old.data_type != new.data_type || old.collation != new.collation;
    let generated_changed = old.generated != new.generated;
    if generated_changed {
        // A generated column is computed from others: made anew (its values are recomputed).
        let mut change = Change::new(
            "recreate_column",
            Action::Alter,
            Phase::AlterColumn,
            format!("column {q}.{col}"),
        )
        .hazard(Hazard::RewritesTable)
        .hazard(Hazard::AccessExclusiveLock)
        .requires(column_needs(t, new, types))
        .releases(column_uses(old, types))
        .invalidates([Res::Column(t.clone(), new.name.clone())]);
        if old.generated.is_some() && new.generated.is_none() && !type_changed {
            change = change.sql(alter("DROP EXPRESSION".into()));
            return Some(finish_column(change, old, new, &alter, false));
        }
        if old.generated.is_none() {
            change = change.hazard(Hazard::DeletesData);
        }
        return Some(
            change
                .sql(format!("ALTER TABLE {q} DROP COLUMN {col}"))
                .sql(format!(
                    "ALTER TABLE {q} ADD COLUMN {}",
                    column_definition(new)
                )),
        );
    }
    let mut change = Change::new(
        "alter_column",
        Action::Alter,
        Phase::AlterColumn,
        format!("column {q}.{col}"),
    )
    .requires(column_needs(t, new, types))
    .releases(column_uses(old, types));
    let default_changed = old.default != new.default;
    if old.default.is_some() && (default_changed || type_changed) {
        change = change.sql(alter("DROP DEFAULT".into()));
    }
    if old.identity.is_some() && new.identity.is_none() {
        change = change.sql(alter("DROP IDENTITY".into()));
    }
    if type_changed {
        let mut sql = format!("TYPE {}", inert(&new.data_type));
        if let Some(coll) = &new.collation {
            sql.push_str(&format!(" COLLATE {}", collation_sql(coll)));
        }
        if let Some(u) = &new.using {
            sql.push_str(&format!(" USING {}", inert(u)));
        }
        change = change
            .sql(alter(sql))
            .invalidates([Res::Column(t.clone(), new.name.clone())])
            .hazard(Hazard::RewritesTable)
            .hazard(Hazard::AccessExclusiveLock)
            .hazard(Hazard::MayFailOnExistingData);
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
fn finish_column(
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
            let options = identity_options(&new.identity_options);
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
            if old.identity_options != new.identity_options {
                change = change.sql(alter(set_identity_options(&new.identity_options)));
                // New bounds must hold the value the sequence is at; the other options cannot fail.
                let (o, n) = (&old.identity_options, &new.identity_options);
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
fn set_identity_options(o: &schemadiff_model::IdentityOptions) -> String {
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

fn collation_sql(text: &str) -> String {
    match QualifiedName::parse_reference(text) {
        Ok((Some(s), n)) => format!("{}.{}", quote_ident(&s), quote_ident(&n)),
        Ok((None, n)) => quote_ident(&n),
        Err(_) => quote_ident(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_named_by_defaults() {
        assert_eq!(
            sequence_of(Some("nextval('orders_id_seq'::regclass)")),
            Some(Res::Sequence(QualifiedName::new("public", "orders_id_seq")))
        );
        assert_eq!(
            sequence_of(Some("nextval('billing.\"Inv Seq\"'::regclass)")),
            Some(Res::Sequence(QualifiedName::new("billing", "Inv Seq")))
        );
        assert_eq!(sequence_of(Some("now()")), None);
    }

    #[test]
    fn enum_values_added_in_place() {
        assert!(is_subsequence(&["a", "c"], &["a", "b", "c", "d"]));
        assert!(!is_subsequence(&["c", "a"], &["a", "b", "c"]));
    }
}
