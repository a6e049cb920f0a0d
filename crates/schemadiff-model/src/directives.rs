//! Directives: what schema.toml says about getting from the current schema to the desired one (renames,
//! `USING` conversions), as opposed to what the desired schema is. They are read once from the written
//! document into a side map keyed by object identity, and never travel inside a compared schema: canonical
//! schemas (read back from a server) have none, so nothing has to copy, strip or reverse them inside one.

use std::collections::BTreeMap;

use crate::ident::QualifiedName;
use crate::load::ObjectPath;
use crate::naming::effective_names;
use crate::types::Schema;

/// The identity of an object a directive is about (its new name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Table(QualifiedName),
    Column(QualifiedName, String),
    Enum(QualifiedName),
    EnumValue(QualifiedName, String),
    Sequence(QualifiedName),
    /// A unique, foreign-key or check constraint of a table, by name.
    Constraint(QualifiedName, String),
    /// An index of a table, by name.
    Index(QualifiedName, String),
}

/// The renames and conversions a desired schema asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives {
    /// Each renamed object (by its new identity) and its old name: qualified for tables, enums and sequences,
    /// bare for the rest (kept as `QualifiedName` with the owner's schema).
    renamed_from: BTreeMap<Target, QualifiedName>,
    /// `USING` expressions of type changes, by table and column.
    using: BTreeMap<(QualifiedName, String), String>,
    /// How plans are made and written (`[migrations]`: online mode, timeouts, allowed hazards).
    pub migrations: Option<crate::types::MigrationsConfig>,
}

impl Directives {
    /// The directives written in `written` (a schema as loaded from schema.toml). Constraints and indexes are
    /// keyed by the name they have once created (written, or PostgreSQL's default).
    pub fn of(written: &Schema) -> Directives {
        let mut d = Directives {
            migrations: written.migrations.clone(),
            ..Directives::default()
        };
        // The effective names are needed only for a rename of a constraint or index (computing them takes a
        // pass over the whole schema).
        let renames_keys = written.tables.iter().any(|t| {
            t.uniques.iter().any(|u| u.renamed_from.is_some())
                || t.foreign_keys.iter().any(|f| f.renamed_from.is_some())
                || t.indexes.iter().any(|x| x.renamed_from.is_some())
        });
        let names = if renames_keys {
            effective_names(written)
        } else {
            BTreeMap::new()
        };
        for e in &written.enums {
            if let Some(r) = &e.renamed_from {
                d.renamed_from
                    .insert(Target::Enum(e.name.clone()), r.clone());
            }
            for v in &e.values {
                if let Some(r) = &v.renamed_from {
                    d.renamed_from.insert(
                        Target::EnumValue(e.name.clone(), v.name.clone()),
                        bare(&e.name, r),
                    );
                }
            }
        }
        for s in &written.sequences {
            if let Some(r) = &s.renamed_from {
                d.renamed_from
                    .insert(Target::Sequence(s.name.clone()), r.clone());
            }
        }
        for t in &written.tables {
            let q = &t.name;
            if let Some(r) = &t.renamed_from {
                d.renamed_from.insert(Target::Table(q.clone()), r.clone());
            }
            for c in &t.columns {
                if let Some(r) = &c.extras().renamed_from {
                    d.renamed_from
                        .insert(Target::Column(q.clone(), c.name.clone()), bare(q, r));
                }
                if let Some(u) = &c.extras().using {
                    d.using.insert((q.clone(), c.name.clone()), u.clone());
                }
            }
            let name = |p: ObjectPath| names.get(&p).cloned();
            let constraints =
                t.uniques
                    .iter()
                    .enumerate()
                    .map(|(i, u)| (name(ObjectPath::Unique(q.clone(), i)), &u.renamed_from))
                    .chain(t.foreign_keys.iter().enumerate().map(|(i, f)| {
                        (name(ObjectPath::ForeignKey(q.clone(), i)), &f.renamed_from)
                    }))
                    // A check has a default name only once the server gives it one: it needs a written name.
                    .chain(t.checks.iter().map(|c| (c.name.clone(), &c.renamed_from)));
            for (n, r) in constraints {
                if let (Some(n), Some(r)) = (n, r) {
                    d.renamed_from
                        .insert(Target::Constraint(q.clone(), n), bare(q, r));
                }
            }
            for (i, x) in t.indexes.iter().enumerate() {
                if let (Some(n), Some(r)) = (name(ObjectPath::Index(q.clone(), i)), &x.renamed_from)
                {
                    d.renamed_from
                        .insert(Target::Index(q.clone(), n), bare(q, r));
                }
            }
        }
        d
    }

    pub fn is_empty(&self) -> bool {
        self.renamed_from.is_empty() && self.using.is_empty()
    }

    fn old(&self, target: impl FnOnce() -> Target) -> Option<&QualifiedName> {
        // No key is built (cloned names) when there are no renames at all, the common case.
        if self.renamed_from.is_empty() {
            return None;
        }
        self.renamed_from.get(&target())
    }

    pub fn old_table(&self, table: &QualifiedName) -> Option<&QualifiedName> {
        self.old(|| Target::Table(table.clone()))
    }

    pub fn old_enum(&self, name: &QualifiedName) -> Option<&QualifiedName> {
        self.old(|| Target::Enum(name.clone()))
    }

    pub fn old_sequence(&self, name: &QualifiedName) -> Option<&QualifiedName> {
        self.old(|| Target::Sequence(name.clone()))
    }

    pub fn old_column(&self, table: &QualifiedName, column: &str) -> Option<&str> {
        self.old(|| Target::Column(table.clone(), column.to_string()))
            .map(|q| q.name.as_str())
    }

    pub fn old_value(&self, enum_name: &QualifiedName, value: &str) -> Option<&str> {
        self.old(|| Target::EnumValue(enum_name.clone(), value.to_string()))
            .map(|q| q.name.as_str())
    }

    pub fn old_constraint(&self, table: &QualifiedName, name: &str) -> Option<&str> {
        self.old(|| Target::Constraint(table.clone(), name.to_string()))
            .map(|q| q.name.as_str())
    }

    pub fn old_index(&self, table: &QualifiedName, name: &str) -> Option<&str> {
        self.old(|| Target::Index(table.clone(), name.to_string()))
            .map(|q| q.name.as_str())
    }

    pub fn using(&self, table: &QualifiedName, column: &str) -> Option<&str> {
        if self.using.is_empty() {
            return None;
        }
        self.using
            .get(&(table.clone(), column.to_string()))
            .map(String::as_str)
    }

    pub fn set_using(&mut self, table: &QualifiedName, column: &str, expression: String) {
        self.using
            .insert((table.clone(), column.to_string()), expression);
    }

    pub fn set_renamed_from(&mut self, target: Target, old: QualifiedName) {
        self.renamed_from.insert(target, old);
    }

    /// Every rename, new identity to old name.
    pub fn renames(&self) -> impl Iterator<Item = (&Target, &QualifiedName)> {
        self.renamed_from.iter()
    }
}

/// A bare name kept as a `QualifiedName` in its owner's schema.
fn bare(owner: &QualifiedName, name: &str) -> QualifiedName {
    QualifiedName::new(owner.schema.clone(), name.to_string())
}
