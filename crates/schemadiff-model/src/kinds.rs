//! The registry of object kinds: every kind schema.toml can declare, once. Generic code and tests walk
//! [`Kind::ALL`]; each `match` on a kind is exhaustive, so a new kind that is not described everywhere does
//! not compile, and the round-trip test (`crates/schemadiff/tests/kinds.rs`) fails for a kind that misses a
//! stage (decoding, CREATE DDL, introspection, diff or dump). docs/architecture.md says how to add one.

use crate::types::Schema;

/// A kind of object of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Extension,
    Schema,
    Enum,
    Domain,
    CompositeType,
    RangeType,
    Sequence,
    Table,
    View,
    MaterializedView,
    Function,
    Procedure,
    Trigger,
    Policy,
}

impl Kind {
    /// Every kind, in the order schema.toml and dump list them.
    pub const ALL: [Kind; 14] = [
        Kind::Extension,
        Kind::Schema,
        Kind::Enum,
        Kind::Domain,
        Kind::CompositeType,
        Kind::RangeType,
        Kind::Sequence,
        Kind::Table,
        Kind::View,
        Kind::MaterializedView,
        Kind::Function,
        Kind::Procedure,
        Kind::Trigger,
        Kind::Policy,
    ];

    /// Its section in schema.toml.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Extension => "extensions",
            Kind::Schema => "schemas",
            Kind::Enum => "enums",
            Kind::Domain => "domains",
            Kind::CompositeType => "composite_types",
            Kind::RangeType => "range_types",
            Kind::Sequence => "sequences",
            Kind::Table => "tables",
            Kind::View => "views",
            Kind::MaterializedView => "materialized_views",
            Kind::Function => "functions",
            Kind::Procedure => "procedures",
            // Triggers are written under their table or view: `[[tables.t.triggers]]`.
            Kind::Trigger => "tables",
            // Policies too: `[[tables.t.policies]]`.
            Kind::Policy => "tables",
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Extension => "extension",
            Kind::Schema => "schema",
            Kind::Enum => "enum",
            Kind::Domain => "domain",
            Kind::CompositeType => "composite type",
            Kind::RangeType => "range type",
            Kind::Sequence => "sequence",
            Kind::Table => "table",
            Kind::View => "view",
            Kind::MaterializedView => "materialized view",
            Kind::Function => "function",
            Kind::Procedure => "procedure",
            Kind::Trigger => "trigger",
            Kind::Policy => "policy",
        }
    }

    /// The names of the objects of this kind in `schema` (`schema.name`, or the name alone for kinds that
    /// have no schema).
    pub fn names(self, schema: &Schema) -> Vec<String> {
        match self {
            Kind::Extension => schema.extensions.iter().map(|o| o.name.clone()).collect(),
            Kind::Schema => schema.schemas.iter().map(|o| o.name.clone()).collect(),
            Kind::Enum => schema.enums.iter().map(|o| o.name.to_string()).collect(),
            Kind::Domain => schema.domains.iter().map(|o| o.name.to_string()).collect(),
            Kind::CompositeType => schema
                .composite_types
                .iter()
                .map(|o| o.name.to_string())
                .collect(),
            Kind::RangeType => schema
                .range_types
                .iter()
                .map(|o| o.name.to_string())
                .collect(),
            Kind::Sequence => schema
                .sequences
                .iter()
                .map(|o| o.name.to_string())
                .collect(),
            Kind::Table => schema.tables.iter().map(|o| o.name.to_string()).collect(),
            Kind::View | Kind::MaterializedView => schema
                .views
                .iter()
                .filter(|v| v.materialized == (self == Kind::MaterializedView))
                .map(|o| o.name.to_string())
                .collect(),
            Kind::Function | Kind::Procedure => schema
                .functions
                .iter()
                .filter(|f| f.procedure == (self == Kind::Procedure))
                .map(|f| f.identity())
                .collect(),
            Kind::Trigger => schema
                .triggers
                .iter()
                .map(|t| format!("{}.{}", t.relation, t.name))
                .collect(),
            Kind::Policy => schema
                .policies
                .iter()
                .map(|p| format!("{}.{}", p.table, p.name))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_knows_every_section() {
        for k in Kind::ALL {
            assert!(
                crate::load::TOP_KEYS.contains(&k.section()),
                "schema.toml does not accept `[{}]`",
                k.section()
            );
        }
    }
}
