//! Property: for random pairs of schemas (A, B), the plan from A to B converges. Every pair goes through the
//! whole pipeline (both sides canonical, plan, rollback, verification on a scratch copy: the plan applies, the
//! result is B, planning again finds nothing, the rollback gives A back).
//!
//! The pairs come from a seeded generator: B is A with random mutations. `SCHEMADIFF_PROPTEST_CASES` (default
//! 24) and `SCHEMADIFF_PROPTEST_SEED` reproduce or widen a run; a failure prints the seed and both schemas.

use std::sync::Arc;

use schemadiff::pipeline;
use schemadiff_catalog::conninfo::with_dbname;
use schemadiff_catalog::normalize::canonicalize;
use schemadiff_catalog::scratch::ScratchServer;
use schemadiff_model::{
    Check, Column, EnumType, EnumValue, FkAction, ForeignKey, Index, IndexKey, PrimaryKey,
    QualifiedName, Schema, Table, Unique,
};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Types, in families whose members convert into each other without a USING clause.
const NUMBERS: &[&str] = &["integer", "bigint", "numeric(12,2)"];
const TEXTS: &[&str] = &["text", "varchar(40)", "varchar(80)"];
const OTHERS: &[&str] = &["boolean", "timestamptz", "date", "jsonb"];
const MOOD: &str = "mood";

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn default_for(rng: &mut Rng, ty: &str) -> Option<String> {
    if !rng.chance(30) {
        return None;
    }
    Some(
        match ty {
            t if NUMBERS.contains(&t) => "0",
            t if TEXTS.contains(&t) => "'none'",
            "boolean" => "false",
            "timestamptz" => "now()",
            "date" => "CURRENT_DATE",
            "jsonb" => "'{}'::jsonb",
            _ => return None,
        }
        .to_string(),
    )
}

fn random_column(rng: &mut Rng, name: String, moods: bool) -> Column {
    let family = rng.below(if moods { 4 } else { 3 });
    let ty = match family {
        0 => *rng.pick(NUMBERS),
        1 => *rng.pick(TEXTS),
        2 => *rng.pick(OTHERS),
        _ => MOOD,
    };
    let mut c = Column::new(name, ty);
    c.not_null = rng.chance(25);
    c.default = default_for(rng, ty);
    if c.not_null && c.default.is_none() && ty == MOOD {
        c.default = Some("'calm'".into());
    }
    if rng.chance(15) {
        c.comment = Some(format!("about {}", c.name));
    }
    c
}

fn random_schema(rng: &mut Rng) -> Schema {
    let mut s = Schema::default();
    let moods = rng.chance(60);
    if moods {
        s.enums.push(EnumType {
            name: q(MOOD),
            values: ["calm", "happy", "sad"]
                .iter()
                .map(|v| EnumValue {
                    name: v.to_string(),
                    renamed_from: None,
                })
                .collect(),
            comment: None,
            renamed_from: None,
        });
    }
    for i in 0..1 + rng.below(4) {
        let mut t = Table::new(q(&format!("t{i}")));
        t.columns.push(Column::new("id", "bigint"));
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
            deferrable: false,
            initially_deferred: false,
            comment: None,
        });
        for j in 0..1 + rng.below(5) {
            t.columns.push(random_column(rng, format!("c{j}"), moods));
        }
        if rng.chance(30) {
            t.comment = Some(format!("table {i}"));
        }
        s.tables.push(Arc::new(t));
    }
    for i in 0..s.tables.len() {
        decorate(rng, &mut s, i);
    }
    s
}

/// Random indexes, uniques, checks and foreign keys on table `i` (foreign keys to earlier tables' keys).
fn decorate(rng: &mut Rng, s: &mut Schema, i: usize) {
    let names: Vec<String> = s.tables[i]
        .columns
        .iter()
        .skip(1)
        .map(|c| c.name.clone())
        .collect();
    let t = Arc::make_mut(&mut s.tables[i]);
    if !names.is_empty() && rng.chance(50) {
        let col = rng.pick(&names).clone();
        let mut key = IndexKey::column(col.clone());
        key.descending = rng.chance(30);
        t.indexes.push(Index {
            name: None,
            unique: false,
            method: None,
            keys: vec![key],
            include: Vec::new(),
            where_clause: rng
                .chance(25)
                .then(|| format!("{} IS NOT NULL", schemadiff_model::quote_ident(&col))),
            nulls_not_distinct: false,
            comment: None,
            renamed_from: None,
            invalid: false,
        });
    }
    let texts: Vec<String> = t
        .columns
        .iter()
        .filter(|c| TEXTS.contains(&c.data_type.as_str()))
        .map(|c| c.name.clone())
        .collect();
    if !texts.is_empty() && rng.chance(40) {
        t.uniques.push(Unique {
            name: None,
            columns: vec![rng.pick(&texts).clone()],
            include: Vec::new(),
            nulls_not_distinct: false,
            deferrable: false,
            initially_deferred: false,
            comment: None,
            renamed_from: None,
        });
    }
    let numbers: Vec<String> = t
        .columns
        .iter()
        .skip(1)
        .filter(|c| NUMBERS.contains(&c.data_type.as_str()))
        .map(|c| c.name.clone())
        .collect();
    if !numbers.is_empty() && rng.chance(40) {
        let col = rng.pick(&numbers).clone();
        t.checks.push(Check {
            name: None,
            expression: format!("{col} >= 0"),
            no_inherit: false,
            not_valid: false,
            comment: None,
            renamed_from: None,
        });
    }
    if i > 0 && rng.chance(50) {
        let target = s.tables[rng.below(i)].name.clone();
        let t = Arc::make_mut(&mut s.tables[i]);
        let col = format!("{}_id", target.name);
        if t.column(&col).is_none() {
            t.columns.push(Column::new(col.clone(), "bigint"));
        }
        t.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec![col],
            references: target,
            referenced_columns: vec!["id".into()],
            on_delete: *rng.pick(&[
                FkAction::NoAction,
                FkAction::Cascade,
                FkAction::SetNull,
                FkAction::Restrict,
            ]),
            on_delete_columns: Vec::new(),
            on_update: FkAction::NoAction,
            match_full: false,
            deferrable: false,
            initially_deferred: false,
            not_valid: false,
            comment: None,
            renamed_from: None,
        });
    }
}

/// B: A with random mutations.
fn mutate(rng: &mut Rng, a: &Schema) -> Schema {
    let mut b = a.clone();
    let moods = !b.enums.is_empty();
    for _ in 0..1 + rng.below(5) {
        match rng.below(10) {
            // A new table, perhaps referencing an existing one.
            0 => {
                let n = b.tables.len();
                let mut t = Table::new(q(&format!("n{}", rng.below(1000))));
                if b.table(&t.name).is_some() {
                    continue;
                }
                t.columns.push(Column::new("id", "bigint"));
                t.primary_key = Some(PrimaryKey {
                    name: None,
                    columns: vec!["id".into()],
                    deferrable: false,
                    initially_deferred: false,
                    comment: None,
                });
                t.columns.push(random_column(rng, "v".into(), moods));
                b.tables.push(Arc::new(t));
                decorate(rng, &mut b, n);
            }
            // Drop a table that nothing references.
            1 if b.tables.len() > 1 => {
                let i = rng.below(b.tables.len());
                let name = b.tables[i].name.clone();
                if b.tables.iter().all(|t| {
                    t.foreign_keys
                        .iter()
                        .all(|f| f.references != name || t.name == name)
                }) {
                    b.tables.remove(i);
                }
            }
            // Add a column.
            2 => {
                let i = rng.below(b.tables.len());
                let name = format!("x{}", rng.below(100));
                if b.tables[i].column(&name).is_none() {
                    let c = random_column(rng, name, moods);
                    Arc::make_mut(&mut b.tables[i]).columns.push(c);
                }
            }
            // Drop a column no constraint or index uses.
            3 => {
                let n = rng.below(b.tables.len());
                let t = Arc::make_mut(&mut b.tables[n]);
                let used = |c: &str, t: &Table| {
                    t.foreign_keys
                        .iter()
                        .any(|f| f.columns.iter().any(|x| x == c))
                        || t.uniques.iter().any(|u| u.columns.iter().any(|x| x == c))
                        || t.indexes.iter().any(|i| {
                            i.keys.iter().any(|k| {
                                k.target == schemadiff_model::IndexTarget::Column(c.into())
                            }) || i.where_clause.as_deref().is_some_and(|w| w.contains(c))
                        })
                        || t.checks.iter().any(|k| k.expression.contains(c))
                };
                let candidates: Vec<String> = t
                    .columns
                    .iter()
                    .skip(1)
                    .map(|c| c.name.clone())
                    .filter(|c| !used(c, t))
                    .collect();
                if !candidates.is_empty() {
                    let c = rng.pick(&candidates).clone();
                    t.columns.retain(|x| x.name != c);
                }
            }
            // Change a column's type within its family, its default, its NOT NULL, its comment.
            4 | 5 => {
                let n = rng.below(b.tables.len());
                let t = Arc::make_mut(&mut b.tables[n]);
                let keyed: Vec<String> = t
                    .foreign_keys
                    .iter()
                    .flat_map(|f| f.columns.clone())
                    .chain(t.checks.iter().flat_map(|k| {
                        t.columns
                            .iter()
                            .filter(|c| k.expression.contains(&c.name))
                            .map(|c| c.name.clone())
                    }))
                    .collect();
                let i = 1 + rng.below(t.columns.len().max(2) - 1);
                let Some(c) = t.columns.get_mut(i) else {
                    continue;
                };
                match rng.below(4) {
                    0 if !keyed.contains(&c.name) => {
                        let family = if NUMBERS.contains(&c.data_type.as_str()) {
                            NUMBERS
                        } else if TEXTS.contains(&c.data_type.as_str()) {
                            TEXTS
                        } else {
                            continue;
                        };
                        c.data_type = rng.pick(family).to_string();
                        c.default = default_for(rng, &c.data_type.clone());
                    }
                    1 => {
                        let ty = c.data_type.clone();
                        c.default = default_for(rng, &ty);
                        if c.data_type == MOOD && c.not_null && c.default.is_none() {
                            c.default = Some("'calm'".into());
                        }
                    }
                    2 if c.data_type != MOOD => c.not_null = !c.not_null,
                    _ => {
                        c.comment = if c.comment.is_some() {
                            None
                        } else {
                            Some(format!("now about {}", c.name))
                        }
                    }
                }
            }
            // Indexes, uniques, checks, foreign keys: add some, drop some.
            6 => {
                let i = rng.below(b.tables.len());
                decorate(rng, &mut b, i);
            }
            7 => {
                let n = rng.below(b.tables.len());
                let t = Arc::make_mut(&mut b.tables[n]);
                match rng.below(4) {
                    0 => {
                        t.indexes.pop();
                    }
                    1 => {
                        t.checks.pop();
                    }
                    2 => {
                        t.foreign_keys.pop();
                    }
                    _ => {
                        t.uniques.pop();
                    }
                }
            }
            // The enum: a value added somewhere, or one removed (the type is made anew).
            8 if moods => {
                let e = &mut b.enums[0];
                if rng.chance(60) {
                    let v = format!("m{}", rng.below(100));
                    if !e.values.iter().any(|x| x.name == v) {
                        let at = rng.below(e.values.len() + 1);
                        e.values.insert(
                            at,
                            EnumValue {
                                name: v,
                                renamed_from: None,
                            },
                        );
                    }
                } else if e.values.len() > 1 {
                    // 'calm' stays: defaults use it.
                    let removable: Vec<usize> = (0..e.values.len())
                        .filter(|&i| e.values[i].name != "calm")
                        .collect();
                    if !removable.is_empty() {
                        let i = *rng.pick(&removable);
                        e.values.remove(i);
                    }
                }
            }
            _ => {
                let n = rng.below(b.tables.len());
                let t = Arc::make_mut(&mut b.tables[n]);
                t.comment = if t.comment.is_some() {
                    None
                } else {
                    Some("changed".into())
                };
            }
        }
    }
    b
}

#[tokio::test]
async fn random_schema_pairs_converge() {
    let cases: usize = std::env::var("SCHEMADIFF_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let seed: u64 = std::env::var("SCHEMADIFF_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5c4e_3a0d);
    let db = schemadiff_testkit::fresh_database().await;
    let scratch =
        ScratchServer::existing(&with_dbname(db.conninfo(), "postgres"), "the test cluster")
            .unwrap();
    let mut changes_seen = 0;
    for case in 0..cases {
        let case_seed = seed.wrapping_add(case as u64);
        let mut rng = Rng(case_seed);
        let a = random_schema(&mut rng);
        let b = mutate(&mut rng, &a);
        let show = |s: &Schema| schemadiff_model::to_toml(s);
        let context = || {
            format!(
                "seed {case_seed} (SCHEMADIFF_PROPTEST_SEED={case_seed} SCHEMADIFF_PROPTEST_CASES=1)\n--- A\n{}\n--- B\n{}",
                show(&a),
                show(&b)
            )
        };
        let ca = canonicalize(a.clone(), &scratch)
            .await
            .unwrap_or_else(|e| panic!("A does not build: {e}\n{}", context()));
        let cb = canonicalize(b.clone(), &scratch)
            .await
            .unwrap_or_else(|e| panic!("B does not build: {e}\n{}", context()));
        let planned = pipeline::plan(&ca, &cb, &Default::default(), &scratch)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", context()));
        changes_seen += planned.plan.changes.len();
    }
    scratch.cleanup().await.unwrap();
    // The generator must actually produce differences for the property to mean something.
    assert!(
        changes_seen >= cases,
        "only {changes_seen} changes over {cases} pairs"
    );
}
