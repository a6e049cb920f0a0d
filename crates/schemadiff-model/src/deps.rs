//! Dependencies between objects as the catalog records them (`pg_depend`): read with a schema, never written
//! in schema.toml, never compared (they follow from the definitions, which are). The diff orders changes by
//! them instead of reading SQL text: the sequence a column's default takes its values from, the columns a
//! check constraint reads. What a view reads is kept on the view (`View::uses`).

use crate::ident::QualifiedName;
use crate::types::Schema;

/// An object at either end of a dependency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectRef {
    /// A column of a table (for a default: the column whose default it is).
    Column(QualifiedName, String),
    Sequence(QualifiedName),
    /// A constraint of a table, by name.
    Constraint(QualifiedName, String),
    /// A type defined in the database (a domain, an enum, ...): what a column is of.
    Type(QualifiedName),
}

/// `dependent` uses `referenced`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    pub dependent: ObjectRef,
    pub referenced: ObjectRef,
}

impl Schema {
    /// The sequences the default of `table.column` takes values from (`nextval(...)`).
    pub fn default_sequences<'a>(
        &'a self,
        table: &'a QualifiedName,
        column: &'a str,
    ) -> impl Iterator<Item = &'a QualifiedName> + 'a {
        self.dependencies
            .iter()
            .filter_map(move |d| match (&d.dependent, &d.referenced) {
                (ObjectRef::Column(t, c), ObjectRef::Sequence(s)) if t == table && c == column => {
                    Some(s)
                }
                _ => None,
            })
    }

    /// The types defined in the database that the column `table.column` is of (its element type for an
    /// array), by the catalog.
    pub fn column_types<'a>(
        &'a self,
        table: &'a QualifiedName,
        column: &'a str,
    ) -> impl Iterator<Item = &'a QualifiedName> + 'a {
        self.dependencies
            .iter()
            .filter_map(move |d| match (&d.dependent, &d.referenced) {
                (ObjectRef::Column(t, c), ObjectRef::Type(ty)) if t == table && c == column => {
                    Some(ty)
                }
                _ => None,
            })
    }

    /// The columns a constraint of `table` reads, when the catalog was read (`None` for a schema as written).
    pub fn constraint_columns(&self, table: &QualifiedName, name: &str) -> Option<Vec<&str>> {
        if self.dependencies.is_empty() {
            return None;
        }
        Some(
            self.dependencies
                .iter()
                .filter_map(|d| match (&d.dependent, &d.referenced) {
                    (ObjectRef::Constraint(t, n), ObjectRef::Column(rt, c))
                        if t == table && n == name && rt == table =>
                    {
                        Some(c.as_str())
                    }
                    _ => None,
                })
                .collect(),
        )
    }
}
