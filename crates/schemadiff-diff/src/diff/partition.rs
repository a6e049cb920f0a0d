//! Partitioned tables and partitions, the diff stage. A partition is created, dropped and altered as a table
//! (`table.rs`); this module adds what being a partition changes: it waits for its parent, it is detached
//! before it is dropped, and new bounds are a DETACH and an ATTACH (which keeps its rows). A table whose
//! partitioning changes (its partition key, or whether it is partitioned at all) is rebuilt ([`rebuilt`],
//! [`rebuilds`]): its rows are copied aside, it is dropped and created with its partitions, and the rows are
//! copied back, under the guarded hazard `rebuilds_table`. A partition that changes parent, or a table that
//! becomes a partition (or the reverse), cannot be planned: [`refuse_repartitioning`] says so first.

use schemadiff_model::partition::{attach_partition, detach_partition};
use std::collections::BTreeSet;

use schemadiff_model::naming::NameAllocator;
use schemadiff_model::{QualifiedName, Schema, Table, quote_ident, quote_literal};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

/// The CREATE TABLE of `t` (already in `out`) waits for its parent. Creating a partition locks its parent,
/// and a parent with a default partition has that partition scanned for rows that belong to the new one.
pub(super) fn created(current: &Schema, t: &Table, out: &mut [Change]) {
    let Some(p) = &t.partition_of else { return };
    let group = format!("table {}", t.name.sql());
    let parent_exists = current.table(&p.parent).is_some();
    let default_exists = current.tables.iter().any(|o| {
        o.partition_of
            .as_ref()
            .is_some_and(|op| op.parent == p.parent && op.bounds == "DEFAULT")
    });
    for c in out
        .iter_mut()
        .filter(|c| c.kind == ChangeKind::CreateTable && c.group == group)
    {
        c.requires.push(Res::Table(p.parent.clone()));
        c.removes.push(Res::PartitionBounds(p.parent.clone()));
        if parent_exists {
            add_hazard(c, Hazard::AccessExclusiveLock);
        }
        if default_exists {
            add_hazard(c, Hazard::MayFailOnExistingData);
        }
    }
}

/// The DROP TABLE of partition `t` (already in `out`) detaches it first, and goes before its parent's drop.
pub(super) fn dropped(t: &Table, out: &mut [Change]) {
    let Some(p) = &t.partition_of else { return };
    for c in out.iter_mut().filter(|c| {
        c.kind == ChangeKind::DropTable && c.object == format!("table {}", t.name.sql())
    }) {
        c.statements.insert(0, detach_partition(&t.name, p));
        c.releases.push(Res::Table(p.parent.clone()));
        c.releases.push(Res::PartitionBounds(p.parent.clone()));
        add_hazard(c, Hazard::AccessExclusiveLock);
    }
}

/// New bounds for a partition: DETACH, then ATTACH with the new bounds, which checks every row against them.
/// Two changes, so that every partition of the parent that frees bounds (detached, dropped) goes before every
/// one that takes bounds (attached, created): bounds that move from one partition to another never overlap.
pub(super) fn altered(c: &Table, d: &Table, out: &mut Vec<Change>) {
    let (Some(cp), Some(dp)) = (&c.partition_of, &d.partition_of) else {
        return;
    };
    if cp.parent != dp.parent || cp.bounds == dp.bounds {
        return;
    }
    let q = d.name.sql();
    let group = format!("table {q}");
    let bounds = Res::PartitionBounds(dp.parent.clone());
    out.push(
        Change::new(
            ChangeKind::DetachPartition,
            Action::Alter,
            Phase::AlterColumn,
            format!("partition {q}"),
        )
        .group(group.clone())
        .sql(detach_partition(&d.name, cp))
        .hazard(Hazard::AccessExclusiveLock)
        .requires([Res::Table(d.name.clone())])
        .releases([bounds.clone()]),
    );
    out.push(
        Change::new(
            ChangeKind::AttachPartition,
            Action::Alter,
            Phase::AlterColumn,
            format!("partition {q}"),
        )
        .group(group)
        .sql(attach_partition(&d.name, dp))
        .hazard(Hazard::AccessExclusiveLock)
        .hazard(Hazard::MayFailOnExistingData)
        .requires([Res::Table(d.name.clone()), Res::Table(dp.parent.clone())])
        .removes([bounds]),
    );
}

fn add_hazard(c: &mut Change, h: Hazard) {
    if !c.hazards.contains(&h) {
        c.hazards.push(h);
    }
}

/// The tables rebuilt to change their partitioning: those on both sides whose partition key changes (or
/// that become partitioned, or stop being), and, with them, the partitions (on either side) under them.
pub(super) fn rebuilt(current: &Schema, desired: &Schema) -> BTreeSet<QualifiedName> {
    let current_tables = current.tables_by_name();
    let mut set: BTreeSet<QualifiedName> = desired
        .tables
        .iter()
        .filter(|d| {
            current_tables.get(&d.name).is_some_and(|c| {
                c.partition_by != d.partition_by
                    && c.partition_of.as_ref().map(|p| &p.parent)
                        == d.partition_of.as_ref().map(|p| &p.parent)
            })
        })
        .map(|d| d.name.clone())
        .collect();
    loop {
        let under: Vec<QualifiedName> = current
            .tables
            .iter()
            .chain(&desired.tables)
            .filter(|t| !set.contains(&t.name))
            .filter(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|p| set.contains(&p.parent))
            })
            .map(|t| t.name.clone())
            .collect();
        if under.is_empty() {
            return set;
        }
        set.extend(under);
    }
}

/// `current` without the tables of `rebuilt` and what hangs on them (triggers, policies, owners, grants): what
/// those are compared against, so that the rebuilt table gets them as a new one does.
pub(super) fn without<'a>(
    current: &'a Schema,
    rebuilt: &BTreeSet<QualifiedName>,
) -> std::borrow::Cow<'a, Schema> {
    use schemadiff_model::grant::GrantTarget;
    if rebuilt.is_empty() {
        return std::borrow::Cow::Borrowed(current);
    }
    let mut s = current.clone();
    let on_rebuilt = |t: &GrantTarget| match t {
        GrantTarget::Table(q) | GrantTarget::Column(q, _) => rebuilt.contains(q),
        _ => false,
    };
    s.tables.retain(|t| !rebuilt.contains(&t.name));
    s.triggers.retain(|t| !rebuilt.contains(&t.relation));
    s.policies.retain(|p| !rebuilt.contains(&p.table));
    s.grants.retain(|g| !on_rebuilt(&g.target));
    s.owners.retain(|o| !on_rebuilt(&o.target));
    std::borrow::Cow::Owned(s)
}

/// The table a rebuilt table's rows wait in, beside it: `<table>__schemadiff_rows`, numbered (`..._rows1`) when
/// a relation of either side already has the name, and cut to 63 bytes as the server cuts names.
fn holding(t: &QualifiedName, taken: &mut NameAllocator) -> QualifiedName {
    let name = taken.choose_relation(&t.schema, &t.name, None, "_schemadiff_rows", false);
    QualifiedName::new(t.schema.clone(), name)
}

/// The names of the relations of `schemas` (tables, views, sequences, indexes and the indexes of keys), as
/// a holding table must not take them.
fn relation_names(schemas: [&Schema; 2]) -> NameAllocator {
    use schemadiff_model::ObjectPath;
    let mut taken = NameAllocator::default();
    for s in schemas {
        let relations = s
            .tables
            .iter()
            .map(|t| &t.name)
            .chain(s.views.iter().map(|v| &v.name))
            .chain(s.sequences.iter().map(|q| &q.name));
        for q in relations {
            taken.add_relation(&q.schema, &q.name);
        }
        for (path, name) in schemadiff_model::naming::effective_names(s) {
            if let ObjectPath::PrimaryKey(t)
            | ObjectPath::Unique(t, _)
            | ObjectPath::Exclusion(t, _)
            | ObjectPath::Index(t, _) = &path
            {
                taken.add_relation(&t.schema, &name);
            }
        }
    }
    taken
}

/// The tables of `schema` under `root` (its partitions, theirs, ...), `root` included.
fn tree(schema: &Schema, root: &QualifiedName) -> Vec<QualifiedName> {
    let mut names = vec![root.clone()];
    let mut i = 0;
    while i < names.len() {
        let parent = names[i].clone();
        names.extend(
            schema
                .tables
                .iter()
                .filter(|t| t.partition_of.as_ref().is_some_and(|p| p.parent == parent))
                .map(|t| t.name.clone()),
        );
        i += 1;
    }
    names
}

/// The steps that keep the rows of each rebuilt table (the drops and creates are `table.rs`'s): before the
/// old table or any of its partitions is dropped, its rows are copied into a holding table (and the
/// sequences its columns own are freed, so the drop keeps them); once the new table and all its partitions
/// exist, the rows of the columns both sides have are inserted back (a row that fits no partition fails the
/// migration), identity columns continue after the largest value, the sequences go back to their columns,
/// and the holding table is dropped. The drops keep the data, so they carry `rebuilds_table` instead of
/// `deletes_data` (which the restore carries when the new table lacks a column); the foreign keys onto a rebuilt table, its triggers and its row-level security wait for its
/// rows.
pub(super) fn rebuilds(
    current: &Schema,
    desired: &Schema,
    rebuilt: &BTreeSet<QualifiedName>,
    out: &mut Vec<Change>,
) {
    for c in out.iter_mut() {
        if c.kind == ChangeKind::DropTable && c.table.as_ref().is_some_and(|t| rebuilt.contains(t))
        {
            c.hazards.retain(|h| *h != Hazard::DeletesData);
            add_hazard(c, Hazard::RebuildsTable);
            add_hazard(c, Hazard::AccessExclusiveLock);
        }
    }
    // The roots: rebuilt tables whose parent (if any) is not rebuilt.
    let roots = desired.tables.iter().filter(|d| {
        rebuilt.contains(&d.name)
            && current.table(&d.name).is_some()
            && !d
                .partition_of
                .as_ref()
                .is_some_and(|p| rebuilt.contains(&p.parent))
    });
    let mut taken = None;
    for d in roots {
        let c = current.table(&d.name).expect("a root is on both sides");
        let q = d.name.sql();
        let group = format!("table {q}");
        let taken = taken.get_or_insert_with(|| relation_names([current, desired]));
        let hold = holding(&d.name, taken).sql();
        let aside = Res::Named(d.name.clone(), "__schemadiff_rows".into());
        let restored = Res::Named(d.name.clone(), "__schemadiff_rows_restored".into());
        // Sequences owned by its columns and kept: freed before the drop, owned again after.
        let kept_sequences: Vec<(
            &schemadiff_model::Sequence,
            Option<&schemadiff_model::Sequence>,
        )> = current
            .sequences
            .iter()
            .filter(|s| s.owned_by.as_ref().is_some_and(|o| o.table == d.name))
            .filter_map(|s| {
                let ds = desired.sequences.iter().find(|x| x.name == s.name)?;
                Some((s, Some(ds)))
            })
            .collect();
        let mut copy = Change::new(
            ChangeKind::CopyRowsAside,
            Action::Alter,
            Phase::CreateTable,
            format!("rows of table {q}"),
        )
        .group(group.clone())
        .sql(format!("CREATE TABLE {hold} AS SELECT * FROM {q}"))
        .hazard(Hazard::RebuildsTable)
        .provides([aside.clone()])
        .releases(tree(current, &d.name).into_iter().map(Res::Table));
        for (s, _) in &kept_sequences {
            copy = copy.sql(format!("ALTER SEQUENCE {} OWNED BY NONE", s.name.sql()));
        }
        copy.table = Some(d.name.clone());
        out.push(copy);

        let columns: Vec<String> = d
            .columns
            .iter()
            .filter(|dc| dc.extras().generated.is_none())
            .filter(|dc| c.column(&dc.name).is_some())
            .map(|dc| quote_ident(&dc.name))
            .collect();
        let list = columns.join(", ");
        let overriding = if d.columns.iter().any(|dc| dc.identity.is_some()) {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        let mut restore = Change::new(
            ChangeKind::RestoreRows,
            Action::Alter,
            Phase::AddConstraint,
            format!("rows of table {q}"),
        )
        .group(group)
        .sql(format!(
            "INSERT INTO {q} ({list}){overriding} SELECT {list} FROM {hold}"
        ));
        for dc in d.columns.iter().filter(|dc| dc.identity.is_some()) {
            if c.column(&dc.name).is_none() {
                continue;
            }
            let col = quote_ident(&dc.name);
            restore = restore.sql(format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), max({col})) FROM {q} HAVING max({col}) IS NOT NULL",
                quote_literal(&q),
                quote_literal(&col)
            ));
        }
        for (s, ds) in &kept_sequences {
            if let Some(o) = ds.and_then(|ds| ds.owned_by.as_ref()) {
                restore = restore.sql(format!(
                    "ALTER SEQUENCE {} OWNED BY {}.{}",
                    s.name.sql(),
                    o.table.sql(),
                    quote_ident(&o.column)
                ));
            }
        }
        restore = restore
            .sql(format!("DROP TABLE {hold}"))
            .hazard(Hazard::RebuildsTable)
            .hazard(Hazard::RewritesTable)
            .hazard(Hazard::MayFailOnExistingData)
            .requires(
                tree(desired, &d.name)
                    .into_iter()
                    .map(Res::Table)
                    .chain([aside]),
            )
            .provides([restored.clone()]);
        // A column the new table lacks keeps none of its values.
        if c.columns
            .iter()
            .any(|cc| cc.extras().generated.is_none() && d.column(&cc.name).is_none())
        {
            restore = restore.hazard(Hazard::DeletesData);
        }
        restore.table = Some(d.name.clone());
        // What would check or act on the rows goes after them: foreign keys onto the table (or its own),
        // its triggers, its row-level security.
        let table_res = Res::Table(d.name.clone());
        for other in out.iter_mut() {
            let own = other.table.as_ref() == Some(&d.name);
            let waits = match other.kind {
                ChangeKind::AddForeignKey => {
                    own || other.requires.iter().any(|r| match r {
                        Res::Key(t, _) => *t == d.name,
                        r => *r == table_res,
                    })
                }
                ChangeKind::CreateTrigger
                | ChangeKind::SetRowLevelSecurity
                | ChangeKind::CreatePolicy => own,
                _ => false,
            };
            if waits {
                other.requires.push(restored.clone());
            }
        }
        out.push(restore);
    }
}

/// What no plan does, said before planning: a partition that moves to another parent or becomes a table of
/// its own, or a table that becomes a partition. (A changed partition key, or a table that becomes
/// partitioned or stops being, is a rebuild that keeps the rows: [`rebuilds`], refused unless
/// `rebuilds_table` is allowed.)
pub fn refuse_repartitioning(current: &Schema, desired: &Schema) -> Result<(), String> {
    let mut problems = Vec::new();
    let current_tables = current.tables_by_name();
    for d in &desired.tables {
        let Some(&c) = current_tables.get(&d.name) else {
            continue;
        };
        let name = |q: &QualifiedName| q.sql();
        match (&c.partition_of, &d.partition_of) {
            (None, Some(p)) => problems.push(format!(
                "  - table {} would become a partition of {}: attaching an existing table is not planned",
                name(&d.name),
                name(&p.parent)
            )),
            (Some(p), None) => problems.push(format!(
                "  - partition {} would stop being a partition of {}: detaching it into a table of its own is not planned",
                name(&d.name),
                name(&p.parent)
            )),
            (Some(a), Some(b)) if a.parent != b.parent => problems.push(format!(
                "  - partition {} would move from {} to {}: moving a partition is not planned",
                name(&d.name),
                name(&a.parent),
                name(&b.parent)
            )),
            _ => {}
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the plan would have to move tables into or out of partitioned tables, which it does not plan, so it is refused:\n{}\nDo it by hand with a migration that keeps the rows (create the new table beside the old one, copy the rows, swap the names), then bring schema.toml in line; or, to start the table empty, remove it from schema.toml, apply that, and declare it anew.",
        problems.join("\n")
    ))
}
