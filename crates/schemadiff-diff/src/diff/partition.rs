//! Partitioned tables and partitions, the diff stage. A partition is created, dropped and altered as a table
//! (`table.rs`); this module adds what being a partition changes: it waits for its parent, it is detached
//! before it is dropped, and new bounds are a DETACH and an ATTACH (which keeps its rows). A partition key or
//! parent that changes cannot be planned without losing rows: [`refuse_repartitioning`] says so first.

use schemadiff_model::partition::{attach_partition, detach_partition};
use schemadiff_model::{QualifiedName, Schema, Table};

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

/// What no plan can do without losing rows, said before planning: a table that becomes partitioned (or stops
/// being), a partition key that changes, a partition that moves to another parent or becomes a table of its
/// own (or a table that becomes a partition). PostgreSQL cannot change any of these in place; dropping and
/// creating the table would empty it.
pub fn refuse_repartitioning(current: &Schema, desired: &Schema) -> Result<(), String> {
    let mut problems = Vec::new();
    let current_tables = current.tables_by_name();
    for d in &desired.tables {
        let Some(&c) = current_tables.get(&d.name) else {
            continue;
        };
        let name = |q: &QualifiedName| q.sql();
        match (&c.partition_by, &d.partition_by) {
            (None, Some(k)) => problems.push(format!(
                "  - table {} would become partitioned ({k}): PostgreSQL cannot partition an existing table",
                name(&d.name)
            )),
            (Some(k), None) => problems.push(format!(
                "  - table {} would stop being partitioned ({k}): PostgreSQL cannot turn a partitioned table into a plain one",
                name(&d.name)
            )),
            (Some(a), Some(b)) if a != b => problems.push(format!(
                "  - the partition key of table {} would change from {a} to {b}: PostgreSQL cannot change a partition key",
                name(&d.name)
            )),
            _ => {}
        }
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
        "the plan would have to drop and create tables to change how they are partitioned, which loses their rows, so it is refused:\n{}\nDo it by hand with a migration that keeps the rows (create the new table beside the old one, copy the rows, swap the names), then bring schema.toml in line; or, to start the table empty, remove it from schema.toml, apply that, and declare it anew.",
        problems.join("\n")
    ))
}
