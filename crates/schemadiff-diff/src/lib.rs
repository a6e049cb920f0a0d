//! schemadiff-diff: two canonical schemas in, an ordered plan out.
//!
//! [`renames`] turns the `renamed_from` directives into renames; [`diff`] compares the renamed current schema
//! with the desired one, change by change, each with its hazards; [`Plan::new`] orders them with a dependency
//! graph. Nothing here talks to a server: applying renames and verifying plans is the caller's job.

pub mod change;
pub mod diff;
pub mod order;
pub mod renames;
pub mod split;

pub use change::{Action, Change, Hazard, Phase, Res};
pub use diff::diff;
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
        Ok(Plan { changes: ordered })
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

    /// How many changes create, alter and drop. A comment on something the plan creates is part of creating it.
    pub fn summary(&self) -> (usize, usize, usize) {
        let created: Vec<&str> = self
            .changes
            .iter()
            .filter(|c| c.action == Action::Create && c.object == c.group)
            .map(|c| c.group.as_str())
            .collect();
        let counted =
            |c: &&Change| !(c.kind == "set_comment" && created.contains(&c.group.as_str()));
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
