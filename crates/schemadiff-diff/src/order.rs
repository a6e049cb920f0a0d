//! Ordering changes with a dependency graph: an edge from each change that provides a resource to each that
//! requires it, from each that releases a resource to the one that removes it, and from the removal of a
//! resource to its re-creation. Among changes free to go, the lower phase goes first, then by name, so the
//! same changes always come out in the same order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::change::{Change, Res};

#[derive(Debug, thiserror::Error)]
#[error("the changes depend on each other in a cycle, so no order exists: {}", .0.join(", "))]
pub struct CycleError(pub Vec<String>);

/// The dependency graph of `changes`: node `i` is `changes[i]`, an edge runs from each change to one that must
/// come after it. `order` walks it; `split` condenses it by table.
pub fn dependency_graph(changes: &[Change]) -> DiGraph<usize, ()> {
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..changes.len()).map(|i| graph.add_node(i)).collect();
    let mut providers: BTreeMap<&Res, Vec<usize>> = BTreeMap::new();
    let mut removers: BTreeMap<&Res, Vec<usize>> = BTreeMap::new();
    for (i, c) in changes.iter().enumerate() {
        for r in &c.provides {
            providers.entry(r).or_default().push(i);
        }
        for r in &c.removes {
            removers.entry(r).or_default().push(i);
        }
        // Made anew in place: gone for what depends on it before, there for what needs it after.
        for r in &c.invalidates {
            providers.entry(r).or_default().push(i);
            removers.entry(r).or_default().push(i);
        }
    }
    let mut add = |from: usize, to: usize| {
        if from != to && graph.find_edge(nodes[from], nodes[to]).is_none() {
            graph.add_edge(nodes[from], nodes[to], ());
        }
    };
    for (i, c) in changes.iter().enumerate() {
        for r in &c.requires {
            for &p in providers.get(r).into_iter().flatten() {
                add(p, i);
            }
        }
        for r in &c.releases {
            for &d in removers.get(r).into_iter().flatten() {
                add(i, d);
            }
        }
        for r in &c.provides {
            for &d in removers.get(r).into_iter().flatten() {
                add(d, i);
            }
        }
    }
    graph
}

pub fn order(changes: Vec<Change>) -> Result<Vec<Change>, CycleError> {
    let graph = dependency_graph(&changes);
    let nodes: Vec<NodeIndex> = graph.node_indices().collect();

    let key = |i: usize| {
        let c = &changes[i];
        Reverse((c.phase, c.group.clone(), c.object.clone(), c.kind, i))
    };
    let mut indegree: Vec<usize> = nodes
        .iter()
        .map(|&n| graph.neighbors_directed(n, Direction::Incoming).count())
        .collect();
    let mut ready: BinaryHeap<_> = (0..changes.len())
        .filter(|&i| indegree[i] == 0)
        .map(key)
        .collect();
    let mut sequence = Vec::with_capacity(changes.len());
    while let Some(Reverse((.., i))) = ready.pop() {
        sequence.push(i);
        for next in graph.neighbors_directed(nodes[i], Direction::Outgoing) {
            let j = graph[next];
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push(key(j));
            }
        }
    }
    if sequence.len() < changes.len() {
        let stuck = (0..changes.len())
            .filter(|i| !sequence.contains(i))
            .map(|i| changes[i].to_string())
            .collect();
        return Err(CycleError(stuck));
    }
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    Ok(sequence
        .into_iter()
        .map(|i| slots[i].take().expect("each once"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{Action, ChangeKind, Phase};
    use schemadiff_model::QualifiedName;

    fn t(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    #[test]
    fn requirements_beat_phases_and_names_break_ties() {
        let fk = Change::new(
            ChangeKind::AddForeignKey,
            Action::Create,
            Phase::AddForeignKey,
            "fk a->b",
        )
        .requires([Res::Table(t("b"))]);
        let b = Change::new(
            ChangeKind::CreateTable,
            Action::Create,
            Phase::CreateTable,
            "table b",
        )
        .provides([Res::Table(t("b"))]);
        let a = Change::new(
            ChangeKind::CreateTable,
            Action::Create,
            Phase::CreateTable,
            "table a",
        )
        .provides([Res::Table(t("a"))]);
        let drop = Change::new(
            ChangeKind::DropTable,
            Action::Drop,
            Phase::DropTable,
            "table z",
        )
        .removes([Res::Table(t("z"))]);
        let release = Change::new(
            ChangeKind::DropForeignKey,
            Action::Drop,
            Phase::DropForeignKey,
            "fk y->z",
        )
        .releases([Res::Table(t("z"))]);
        let out = order(vec![fk, drop, b, a, release]).unwrap();
        let names: Vec<&str> = out.iter().map(|c| c.object.as_str()).collect();
        assert_eq!(
            names,
            ["fk y->z", "table a", "table b", "fk a->b", "table z"]
        );
    }

    #[test]
    fn a_drop_goes_before_the_re_creation() {
        let r = Res::Named(t("a"), "a_idx".into());
        let create = Change::new(
            ChangeKind::CreateIndex,
            Action::Create,
            Phase::DropIndexOrConstraint,
            "create",
        )
        .provides([r.clone()]);
        let drop = Change::new(
            ChangeKind::DropIndex,
            Action::Drop,
            Phase::CreateIndex,
            "drop",
        )
        .removes([r]);
        let out = order(vec![create, drop]).unwrap();
        assert_eq!(out[0].object, "drop");
    }

    #[test]
    fn cycles_are_reported() {
        let x = Change::new(
            ChangeKind::AlterColumn,
            Action::Alter,
            Phase::AlterColumn,
            "x",
        )
        .requires([Res::Schema("y".into())])
        .provides([Res::Schema("x".into())]);
        let y = Change::new(
            ChangeKind::AlterColumn,
            Action::Alter,
            Phase::AlterColumn,
            "y",
        )
        .requires([Res::Schema("x".into())])
        .provides([Res::Schema("y".into())]);
        let err = order(vec![x, y]).unwrap_err();
        assert_eq!(err.0.len(), 2);
    }
}
