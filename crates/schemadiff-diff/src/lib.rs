//! schemadiff-diff: two canonical schemas in, an ordered plan out.
//!
//! [`renames`] turns the `renamed_from` directives into renames; [`diff`] compares the renamed current schema
//! with the desired one, change by change, each with its hazards; [`Plan::new`] orders them with a dependency
//! graph. Nothing here talks to a server: applying renames and verifying plans is the caller's job.

pub mod change;
pub mod diff;
pub mod online;
pub mod order;
pub mod renames;
pub mod rewrites;
pub mod split;

pub use change::{Action, Change, ChangeKind, Hazard, Phase, Res};
pub use diff::{diff, refuse_repartitioning};
pub use order::CycleError;
pub use renames::renames;

/// An ordered list of changes: the renames first, then everything else in dependency order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn new(renames: Vec<Change>, changes: Vec<Change>) -> Result<Plan, CycleError> {
        let mut ordered = order::order(renames)?;
        ordered.extend(order::order(changes)?);
        online::refine_hazards(&mut ordered);
        Ok(Plan { changes: ordered })
    }

    /// The plan rewritten for online mode ([`online::rewrite`]): no long lock on a table that exists.
    pub fn online(self, desired: &schemadiff_model::Schema) -> Plan {
        Plan {
            changes: online::rewrite(self.changes, desired),
        }
    }

    /// Whether a step cannot run in a transaction block (`CREATE INDEX CONCURRENTLY`), as opposed to an enum
    /// value that only must not be used in the transaction that adds it.
    pub fn outside_transactions(&self) -> bool {
        self.changes.iter().any(online::outside_transaction)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Every statement, in order.
    pub fn statements(&self) -> impl Iterator<Item = &str> {
        self.changes
            .iter()
            .flat_map(|c| c.statements.iter().map(String::as_str))
    }

    /// The plan as an SQL script.
    pub fn script(&self) -> String {
        self.statements().map(|s| format!("{s};\n")).collect()
    }

    /// The script for piping into psql: wrapped in one transaction (BEGIN ... COMMIT), so that a failing
    /// statement leaves the database as it was. Statements that cannot share a transaction with what uses
    /// them (an enum value added and then used) run before it, each committing on its own, and a comment says
    /// so. An empty plan is an empty script.
    pub fn transactional_script(&self) -> String {
        let (apart, inside): (Vec<&Change>, Vec<&Change>) = self
            .changes
            .iter()
            .partition(|c| c.hazards.contains(&Hazard::NotTransactional));
        let mut out = String::new();
        if !apart.is_empty() {
            out.push_str("-- These statements cannot run in the transaction that uses what they add, so they run first, each on its own:\n");
            for c in &apart {
                for s in &c.statements {
                    out.push_str(&format!("{s};\n"));
                }
            }
        }
        if !inside.is_empty() {
            if !apart.is_empty() {
                out.push('\n');
            }
            out.push_str("BEGIN;\n");
            for c in &inside {
                for s in &c.statements {
                    out.push_str(&format!("{s};\n"));
                }
            }
            out.push_str("COMMIT;\n");
        }
        out
    }

    /// How many changes create, alter and drop. A comment on something the plan creates is part of creating it.
    pub fn summary(&self) -> (usize, usize, usize) {
        let created: Vec<&str> = self
            .changes
            .iter()
            .filter(|c| c.action == Action::Create && c.object == c.group)
            .map(|c| c.group.as_str())
            .collect();
        let counted = |c: &&Change| {
            !(c.kind == ChangeKind::SetComment && created.contains(&c.group.as_str()))
        };
        let count = |a: Action| {
            self.changes
                .iter()
                .filter(counted)
                .filter(|c| c.action == a)
                .count()
        };
        (
            count(Action::Create),
            count(Action::Alter),
            count(Action::Drop),
        )
    }

    /// The changes that delete data.
    pub fn destructive(&self) -> Vec<&Change> {
        self.changes.iter().filter(|c| c.deletes_data()).collect()
    }
}
