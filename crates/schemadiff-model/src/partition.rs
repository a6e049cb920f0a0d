//! Partitioned tables and partitions, the model stage. They are tables with two more attributes:
//! `partition_by` (the partition key of a partitioned table, as `pg_get_partkeydef` prints it: `RANGE (at)`)
//! and `partition_of` with `bounds` (a partition: its parent and its bounds, as `pg_get_expr(relpartbound)`
//! prints them: `FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')`, `DEFAULT`). A partition's columns are
//! its parent's: schema.toml does not list them, and neither does a dump. What is declared on a partitioned
//! table (keys, foreign keys, indexes, checks) is declared once, on it; PostgreSQL makes the partitions'
//! copies, which the catalog stage leaves out.

use crate::fragment::FragmentKind;
use crate::ident::QualifiedName;
use crate::load::{Decoder, Obj, ObjectPath};
use crate::source::{Diagnostic, did_you_mean};
use crate::types::{Schema, Table};
use crate::validate::Checker;

/// What makes a table a partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOf {
    /// The partitioned table it belongs to.
    pub parent: QualifiedName,
    /// `FOR VALUES ...` or `DEFAULT`.
    pub bounds: String,
}

impl Decoder {
    /// `partition_by`, `partition_of` and `bounds` of a table.
    pub(crate) fn partition_keys(&mut self, obj: &Obj, table: &mut Table) {
        table.partition_by = self.opt_string(obj, "partition_by");
        let parent = self.qualified(obj, "partition_of");
        let bounds = self.string(obj, "bounds");
        match (parent, bounds) {
            (Some(parent), Some(bounds)) => {
                table.partition_of = Some(PartitionOf {
                    parent,
                    bounds: bounds.into_inner(),
                })
            }
            (Some(_), None) => {
                let span = obj.get("partition_of").map(|v| v.span()).unwrap_or(0..0);
                self.error(
                    Diagnostic::new(
                        span,
                        format!("{} has `partition_of` but no `bounds`", obj.what),
                    )
                    .help("add `bounds = \"FOR VALUES ...\"` (or `bounds = \"DEFAULT\"`)"),
                );
            }
            (None, Some(b)) if obj.get("partition_of").is_none() => {
                self.error(
                    Diagnostic::new(
                        b.span(),
                        format!("{} has `bounds` but no `partition_of`", obj.what),
                    )
                    .help("add `partition_of = \"parent_table\"`, or remove `bounds`"),
                );
            }
            _ => {}
        }
    }
}

/// The trailing clauses of `CREATE TABLE` for a partitioned table: ` PARTITION BY ...`.
pub fn partition_by_clause(t: &Table) -> String {
    match &t.partition_by {
        Some(key) => format!(" PARTITION BY {}", crate::render::inert(key)),
        None => String::new(),
    }
}

/// `CREATE TABLE ... PARTITION OF parent [(constraints)] bounds [PARTITION BY ...]`; `lines` are the
/// table's own constraints (its columns are its parent's).
pub fn create_partition(t: &Table, p: &PartitionOf, lines: &[String]) -> String {
    let constraints = if lines.is_empty() {
        String::new()
    } else {
        format!(" (\n    {}\n)", lines.join(",\n    "))
    };
    format!(
        "{} {} PARTITION OF {}{constraints} {}{}{}",
        crate::table_options::create_keyword(t),
        t.name.sql(),
        p.parent.sql(),
        crate::render::inert(&p.bounds),
        partition_by_clause(t),
        crate::table_options::with_clause(t)
    )
}

/// `ALTER TABLE parent ATTACH PARTITION t bounds`.
pub fn attach_partition(t: &QualifiedName, p: &PartitionOf) -> String {
    format!(
        "ALTER TABLE {} ATTACH PARTITION {} {}",
        p.parent.sql(),
        t.sql(),
        crate::render::inert(&p.bounds)
    )
}

/// `ALTER TABLE parent DETACH PARTITION t`.
pub fn detach_partition(t: &QualifiedName, p: &PartitionOf) -> String {
    format!(
        "ALTER TABLE {} DETACH PARTITION {}",
        p.parent.sql(),
        t.sql()
    )
}

/// The partition lines of a table's section (`partition_of` and `bounds`, `partition_by`).
pub(crate) fn dump_lines(out: &mut String, t: &Table) {
    use crate::dump::toml_string;
    use std::fmt::Write;
    if let Some(p) = &t.partition_of {
        let _ = writeln!(out, "partition_of = {}", toml_string(&p.parent.to_string()));
        let _ = writeln!(out, "bounds = {}", toml_string(&p.bounds));
    }
    if let Some(k) = &t.partition_by {
        let _ = writeln!(out, "partition_by = {}", toml_string(k));
    }
}

/// The tables in an order where each partition comes after its parent, and a table with a column of another
/// table's row type after that table (otherwise as given). A column's type names a table as the catalog
/// prints it (`shape`, `other.shape`, quoted where needed) or as written, `[]` after it for an array.
pub fn creation_order<T: std::borrow::Borrow<Table>>(tables: &[T]) -> Vec<&Table> {
    let tables: Vec<&Table> = tables.iter().map(|t| t.borrow()).collect();
    let mut out: Vec<&Table> = Vec::with_capacity(tables.len());
    let mut placed: std::collections::HashSet<&QualifiedName> = std::collections::HashSet::new();
    let names: std::collections::HashSet<&QualifiedName> = tables.iter().map(|t| &t.name).collect();
    // The tables a type name may be the row type of (an unqualified name: of any schema, to be safe).
    let mut by_type: std::collections::HashMap<String, Vec<&QualifiedName>> =
        std::collections::HashMap::new();
    for t in &tables {
        let mut keys = vec![
            t.name.to_string(),
            t.name.sql(),
            t.name.name.clone(),
            crate::ident::quote_ident(&t.name.name),
        ];
        keys.sort();
        keys.dedup();
        for k in keys {
            by_type.entry(k).or_default().push(&t.name);
        }
    }
    let row_types = |t: &Table| -> Vec<&QualifiedName> {
        t.columns
            .iter()
            .filter_map(|c| by_type.get(c.data_type.trim_end_matches("[]")))
            .flatten()
            .copied()
            .filter(|q| **q != t.name)
            .collect()
    };
    let mut left: Vec<&Table> = tables.clone();
    while !left.is_empty() {
        let before = left.len();
        left.retain(|t| {
            let ready = match &t.partition_of {
                None => true,
                Some(p) => placed.contains(&p.parent) || !names.contains(&p.parent),
            } && row_types(t).iter().all(|q| placed.contains(q));
            if ready {
                placed.insert(&t.name);
                out.push(*t);
            }
            !ready
        });
        if left.len() == before {
            // A cycle of parents (refused by validation): keep the rest as written.
            out.append(&mut left);
        }
    }
    out
}

/// The root of `t`'s partition tree (`t` itself when it is no partition).
pub fn root<'s>(schema: &'s Schema, t: &'s Table) -> &'s Table {
    let mut at = t;
    for _ in 0..schema.tables.len() {
        match at
            .partition_of
            .as_ref()
            .and_then(|p| schema.table(&p.parent))
        {
            Some(parent) => at = parent,
            None => break,
        }
    }
    at
}

/// `t` with the columns of its partition tree's root, for the checks that its keys and indexes name
/// columns it has.
pub(crate) fn with_inherited_columns(schema: &Schema, t: &Table) -> Table {
    let mut out = t.clone();
    out.columns = root(schema, t).columns.clone();
    out
}

/// The checks of a table's partition attributes.
pub(crate) fn check(c: &mut Checker, schema: &Schema, t: &Table) {
    let p = ObjectPath::Table(t.name.clone());
    let what = format!("table `{}`", t.name);
    c.fragment(
        &p,
        "partition_by",
        &format!("the `partition_by` of {what}"),
        t.partition_by.as_deref(),
        FragmentKind::PartitionKey,
    );
    let Some(of) = &t.partition_of else { return };
    c.fragment(
        &p,
        "bounds",
        &format!("the `bounds` of {what}"),
        Some(&of.bounds),
        FragmentKind::PartitionBound,
    );
    if !t.columns.is_empty() {
        c.err(
            &p,
            "partition_of",
            format!("{what} is a partition of `{}` and lists columns", of.parent),
        )
        .help = Some(format!(
            "a partition has the columns of its parent: remove [tables.{}.columns] (declare columns on `{}`)",
            t.name, of.parent
        ));
    }
    match schema.table(&of.parent) {
        None => {
            let help = match did_you_mean(
                &of.parent.to_string(),
                schema.tables.iter().map(|t| t.name.name.as_str()),
            ) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "declare the partitioned table in this file, or fix the name".into(),
            };
            let d = c.err(
                &p,
                "partition_of",
                format!(
                    "{what} is a partition of `{}`, which is not declared",
                    of.parent
                ),
            );
            d.label = Some("no such table".into());
            d.help = Some(help);
        }
        Some(parent) if parent.partition_by.is_none() => {
            c.err(
                &p,
                "partition_of",
                format!(
                    "{what} is a partition of `{}`, which is not partitioned",
                    of.parent
                ),
            )
            .help = Some(format!(
                "give `{}` a partition key: `partition_by = \"RANGE (column)\"` (or LIST, HASH)",
                of.parent
            ));
        }
        Some(_) => {
            if root(schema, t).partition_of.is_some() {
                c.err(
                    &p,
                    "partition_of",
                    format!("{what} is a partition of itself, through its parents"),
                )
                .help = Some(
                    "a chain of `partition_of` must end at a table that is no partition".into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::creation_order;
    use crate::{Column, QualifiedName, Table};

    fn table(name: &str, columns: &[(&str, &str)]) -> Table {
        let mut t = Table::new(QualifiedName::new("public", name));
        for (c, ty) in columns {
            t.columns.push(Column::new(*c, *ty));
        }
        t
    }

    fn order(tables: &[Table]) -> Vec<&str> {
        creation_order(tables)
            .into_iter()
            .map(|t| t.name.name.as_str())
            .collect()
    }

    #[test]
    fn a_table_comes_after_the_tables_whose_row_types_its_columns_have() {
        let tables = [
            table(
                "drawing",
                &[("outline", "shape"), ("history", "public.shape[]")],
            ),
            table("note", &[("text", "text")]),
            table("shape", &[("label", "text")]),
        ];
        assert_eq!(order(&tables), ["note", "shape", "drawing"]);
        // Its own row type (a recursive array is refused by the server, but not looped on here), and a cycle,
        // keep the order as given.
        let own = [table("tree", &[("children", "tree[]")])];
        assert_eq!(order(&own), ["tree"]);
        let cycle = [table("a", &[("b", "b")]), table("b", &[("a", "a")])];
        assert_eq!(order(&cycle), ["a", "b"]);
    }
}
