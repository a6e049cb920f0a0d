//! A plan cut into parts, one per table, for teams that want one migration per table (`write --split tables`).
//!
//! Each change belongs to the table it names ([`Change::table`]); changes that belong to no table (schemas,
//! extensions, enums, sequences) form a part of their own, before the tables, or after them when they must
//! wait for a table change (a type dropped once the column using it is gone). The parts are ordered by the same
//! dependency graph that orders the changes ([`crate::order::dependency_graph`]), condensed to one node per
//! part: a table comes before the tables whose foreign keys reference it, and tables whose foreign keys
//! reference each other (a cycle) stay together in one part. Ties go by the caller's rank (schema.toml's
//! declaration order), then by name, so the same plan always gives the same parts.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use petgraph::Direction;
use petgraph::algo::condensation;
use petgraph::graph::DiGraph;
use petgraph::visit::{Bfs, Walker};

use schemadiff_model::QualifiedName;

use crate::Plan;
use crate::change::ChangeKind;
use crate::order::dependency_graph;

/// What a part does to one of its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    Create,
    Alter,
    Drop,
}

impl Verb {
    pub fn word(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Alter => "alter",
            Verb::Drop => "drop",
        }
    }
}

/// One part of a split plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The tables the part changes, with what it does to each, in rank order; empty for a part of changes
    /// that belong to no table.
    pub tables: Vec<(QualifiedName, Verb)>,
    /// The part's changes, in the order of the whole plan.
    pub plan: Plan,
}

impl Part {
    /// Tables whose foreign keys reference each other, so that no one of them can go first.
    pub fn is_cycle(&self) -> bool {
        self.tables.len() > 1
    }

    /// A name for the part's migration: `create users table`, `create a and b tables` (as a file name,
    /// `create_users_table`); `None` for the part of changes that belong to no table (the caller names it
    /// from its changes).
    pub fn name(&self) -> Option<String> {
        let short = |q: &QualifiedName| {
            if q.schema == "public" {
                q.name.clone()
            } else {
                format!("{}.{}", q.schema, q.name)
            }
        };
        match self.tables.as_slice() {
            [] => None,
            [(t, verb)] => Some(format!("{} {} table", verb.word(), short(t))),
            many => {
                let verbs: BTreeSet<Verb> = many.iter().map(|(_, v)| *v).collect();
                let verb = match verbs.iter().next() {
                    Some(v) if verbs.len() == 1 => v.word(),
                    _ => "change",
                };
                let names: Vec<String> = many.iter().map(|(t, _)| short(t)).collect();
                let (last, rest) = names.split_last().expect("two at least");
                Some(format!("{verb} {} and {last} tables", rest.join(", ")))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Before,
    Table(QualifiedName),
    After,
}

/// `plan` cut into parts by table, in dependency order; `rank` orders tables that do not depend on each
/// other (lower first; ties by name).
pub fn by_table(plan: &Plan, rank: impl Fn(&QualifiedName) -> usize) -> Vec<Part> {
    let changes = &plan.changes;
    if changes.is_empty() {
        return Vec::new();
    }
    let graph = dependency_graph(changes);
    // Changes of no table that wait (directly or not) for a change of a table go after the tables.
    let mut after = vec![false; changes.len()];
    for start in graph.node_indices() {
        if changes[graph[start]].table.is_none() {
            continue;
        }
        for n in Bfs::new(&graph, start).iter(&graph) {
            if changes[graph[n]].table.is_none() {
                after[graph[n]] = true;
            }
        }
    }
    let group_of = |i: usize| match &changes[i].table {
        Some(t) => Group::Table(t.clone()),
        None if after[i] => Group::After,
        None => Group::Before,
    };
    let groups: BTreeSet<Group> = (0..changes.len()).map(group_of).collect();
    let mut parts_graph: DiGraph<Group, ()> = DiGraph::new();
    let index: BTreeMap<Group, _> = groups
        .iter()
        .map(|g| (g.clone(), parts_graph.add_node(g.clone())))
        .collect();
    for e in graph.edge_indices() {
        let (a, b) = graph.edge_endpoints(e).expect("an edge has ends");
        let (ga, gb) = (group_of(graph[a]), group_of(graph[b]));
        if ga != gb && parts_graph.find_edge(index[&ga], index[&gb]).is_none() {
            parts_graph.add_edge(index[&ga], index[&gb], ());
        }
    }
    // Groups that depend on each other in a cycle become one node.
    let condensed = condensation(parts_graph, true);
    let key_of = |g: &Group| match g {
        Group::Before => (0, 0, None),
        Group::Table(t) => (1, rank(t), Some(t.clone())),
        Group::After => (2, 0, None),
    };
    let key = |n| {
        let members: &Vec<Group> = &condensed[n];
        let first = members
            .iter()
            .map(key_of)
            .min()
            .expect("a node has members");
        Reverse((first, n))
    };
    let mut indegree: BTreeMap<_, usize> = condensed
        .node_indices()
        .map(|n| {
            (
                n,
                condensed.neighbors_directed(n, Direction::Incoming).count(),
            )
        })
        .collect();
    let mut ready: BinaryHeap<_> = indegree
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(n, _)| key(*n))
        .collect();
    let mut parts = Vec::new();
    while let Some(Reverse((_, n))) = ready.pop() {
        let mut members = condensed[n].clone();
        members.sort_by_key(key_of);
        let mut tables = Vec::new();
        for g in &members {
            if let Group::Table(t) = g {
                let of_table = changes.iter().filter(|c| c.table.as_ref() == Some(t));
                let verb = of_table
                    .map(|c| match c.kind {
                        ChangeKind::CreateTable => Verb::Create,
                        ChangeKind::DropTable => Verb::Drop,
                        _ => Verb::Alter,
                    })
                    .min_by_key(|v| match v {
                        Verb::Alter => 1,
                        _ => 0,
                    })
                    .unwrap_or(Verb::Alter);
                tables.push((t.clone(), verb));
            }
        }
        let part_changes = (0..changes.len())
            .filter(|&i| members.contains(&group_of(i)))
            .map(|i| changes[i].clone())
            .collect();
        parts.push(Part {
            tables,
            plan: Plan {
                changes: part_changes,
            },
        });
        for next in condensed.neighbors_directed(n, Direction::Outgoing) {
            let d = indegree.get_mut(&next).expect("every node");
            *d -= 1;
            if *d == 0 {
                ready.push(key(next));
            }
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{Action, Change, ChangeKind, Phase, Res};

    fn t(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn create(name: &str) -> Change {
        let mut c = Change::new(
            ChangeKind::CreateTable,
            Action::Create,
            Phase::CreateTable,
            format!("table {name}"),
        )
        .provides([Res::Table(t(name)), Res::Key(t(name), vec!["id".into()])]);
        c.table = Some(t(name));
        c
    }

    fn fk(from: &str, to: &str) -> Change {
        let mut c = Change::new(
            ChangeKind::AddForeignKey,
            Action::Create,
            Phase::AddForeignKey,
            format!("foreign key {from}_{to}_fkey"),
        )
        .group(format!("table {from}"))
        .requires([Res::Table(t(from)), Res::Key(t(to), vec!["id".into()])]);
        c.table = Some(t(from));
        c
    }

    fn names(parts: &[Part]) -> Vec<String> {
        parts
            .iter()
            .map(|p| p.name().map_or("objects".into(), |n| n.replace(' ', "_")))
            .collect()
    }

    #[test]
    fn referenced_tables_first_then_the_rank() {
        let ext = Change::new(
            ChangeKind::CreateExtension,
            Action::Create,
            Phase::CreateNamespace,
            "extension x",
        )
        .provides([Res::Extension("x".into())]);
        let plan = Plan {
            changes: vec![ext, create("a"), create("b"), create("c"), fk("a", "c")],
        };
        // Rank says a, b, c; a references c, so c goes before a.
        let rank = |q: &QualifiedName| ["a", "b", "c"].iter().position(|n| *n == q.name).unwrap();
        let parts = by_table(&plan, rank);
        assert_eq!(
            names(&parts),
            [
                "objects",
                "create_b_table",
                "create_c_table",
                "create_a_table"
            ]
        );
        assert_eq!(
            parts[3].plan.changes.len(),
            2,
            "a's foreign key goes with a"
        );
    }

    #[test]
    fn a_cycle_stays_in_one_part() {
        let plan = Plan {
            changes: vec![
                create("a"),
                create("b"),
                create("z"),
                fk("a", "b"),
                fk("b", "a"),
            ],
        };
        let parts = by_table(&plan, |_| 0);
        assert_eq!(names(&parts), ["create_a_and_b_tables", "create_z_table"]);
        assert!(parts[0].is_cycle());
        assert_eq!(parts[0].plan.changes.len(), 4);
    }

    #[test]
    fn changes_of_no_table_that_wait_for_a_table_go_last() {
        let ty = Res::Type(t("mood"));
        let mut drop_col = Change::new(
            ChangeKind::DropColumn,
            Action::Drop,
            Phase::DropColumn,
            "column",
        )
        .group("table a")
        .releases([ty.clone()]);
        drop_col.table = Some(t("a"));
        let drop_type = Change::new(
            ChangeKind::DropType,
            Action::Drop,
            Phase::DropType,
            "type mood",
        )
        .removes([ty]);
        let parts = by_table(
            &Plan {
                changes: vec![drop_col, drop_type],
            },
            |_| 0,
        );
        assert_eq!(names(&parts), ["alter_a_table", "objects"]);
    }
}
