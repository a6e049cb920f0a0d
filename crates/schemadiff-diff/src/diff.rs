//! The difference of two canonical schemas as changes. Both sides must be in canonical form (read back from a
//! server, see `schemadiff_catalog::normalize`), so that equal definitions are equal text, and renames must
//! already be applied to `current` (see [`crate::renames`]). Column order is not compared: PostgreSQL cannot
//! reorder the columns of an existing table, and new tables are created in the declared order.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::render::{
    check_clause, column_definition_in, create_enum, create_extension, create_index,
    create_sequence, create_table, exclusion_clause, foreign_key_clause, identity_options, inert,
    primary_key_clause, table_additions, unique_clause,
};
use schemadiff_model::{
    Column, Directives, EnumType, ForeignKey, Identity, Index, IndexTarget, QualifiedName, Schema,
    Sequence, Table, quote_ident, quote_literal,
};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

mod column;
mod composite;
mod domain;
mod enum_type;
mod extension;
mod function;
mod grant;
mod owner;
mod partition;
pub use partition::refuse_repartitioning;
mod policy;
mod range;
mod schema;
mod sequence;
mod table;
mod table_options;
mod trigger;
mod view;

use column::*;
use enum_type::*;
use extension::*;
use schema::*;
use sequence::*;
use table::*;

/// The changes that turn `current` into `desired`, unordered.
/// `directives` give type changes their `USING` (renames are [`crate::renames`]'s).
pub fn diff(current: &Schema, desired: &Schema, directives: &Directives) -> Vec<Change> {
    let types = TypeNames::new(current, desired);
    let mut out = Vec::new();
    schemas(current, desired, &mut out);
    extensions(current, desired, &mut out);
    enums(current, desired, &types, &mut out);
    domain::domains(current, desired, &mut out);
    range::range_types(current, desired, &mut out);
    composite::composite_types(current, desired, &mut out);
    sequences(current, desired, &mut out);
    // Tables rebuilt to change their partitioning are dropped and created: what hangs on them (options,
    // triggers, policies, owners, grants) is compared as for a new table.
    let rebuilt = partition::rebuilt(current, desired);
    let rest = partition::without(current, &rebuilt);
    tables(current, desired, &types, directives, &rebuilt, &mut out);
    table_options::table_options(&rest, desired, &mut out);
    serial_identity_swaps(&rest, desired, &mut out);
    owned_sequences_go_with_owners(current, desired, &mut out);
    function::functions(current, desired, &mut out);
    view::views(current, desired, &mut out);
    trigger::triggers(&rest, desired, &mut out);
    policy::policies(&rest, desired, &mut out);
    owner::owners(&rest, desired, &mut out);
    grant::grants(&rest, desired, &mut out);
    crate::change::assign_tables(&[current, desired], &mut out);
    partition::rebuilds(current, desired, &rebuilt, &mut out);
    out
}

/// Enums by the text `format_type` prints for them (as columns name their type).
/// What the columns of both schemas use: enum types by the text `format_type` gives them, and the sequences
/// of defaults as the catalog records them (`Schema::dependencies`).
struct TypeNames {
    enums: BTreeMap<String, QualifiedName>,
    /// The types defined in the database each column is of, by the catalog (either side).
    column_types: BTreeMap<(QualifiedName, String), BTreeSet<QualifiedName>>,
    sequences: BTreeMap<(QualifiedName, String), BTreeSet<QualifiedName>>,
}

impl TypeNames {
    fn new(a: &Schema, b: &Schema) -> Self {
        let mut enums = BTreeMap::new();
        for e in a.enums.iter().chain(&b.enums) {
            enums.insert(type_text(&e.name), e.name.clone());
        }
        let mut sequences: BTreeMap<_, BTreeSet<QualifiedName>> = BTreeMap::new();
        let mut column_types: BTreeMap<_, BTreeSet<QualifiedName>> = BTreeMap::new();
        for d in a.dependencies.iter().chain(&b.dependencies) {
            if let (
                schemadiff_model::ObjectRef::Column(t, c),
                schemadiff_model::ObjectRef::Type(ty),
            ) = (&d.dependent, &d.referenced)
            {
                column_types
                    .entry((t.clone(), c.clone()))
                    .or_default()
                    .insert(ty.clone());
            }
            if let (
                schemadiff_model::ObjectRef::Column(t, c),
                schemadiff_model::ObjectRef::Sequence(s),
            ) = (&d.dependent, &d.referenced)
            {
                sequences
                    .entry((t.clone(), c.clone()))
                    .or_default()
                    .insert(s.clone());
            }
        }
        TypeNames {
            enums,
            column_types,
            sequences,
        }
    }

    /// The sequences the default of `table.column` takes values from (on either side).
    fn default_sequences(&self, table: &QualifiedName, column: &str) -> Vec<Res> {
        self.sequences
            .get(&(table.clone(), column.to_string()))
            .into_iter()
            .flatten()
            .map(|s| Res::Sequence(s.clone()))
            .collect()
    }

    /// The types defined in the database that `table.column` is of (on either side), by the catalog.
    fn column_types(&self, table: &QualifiedName, column: &str) -> Vec<Res> {
        self.column_types
            .get(&(table.clone(), column.to_string()))
            .into_iter()
            .flatten()
            .map(|q| Res::Type(q.clone()))
            .collect()
    }

    /// The enum a column type names (`mood`, `billing.status[]`), if any.
    fn enum_of(&self, data_type: &str) -> Option<Res> {
        let base = data_type.trim_end_matches("[]");
        self.enums.get(base).map(|q| Res::Type(q.clone()))
    }
}

/// How `format_type` writes a type: bare when in `public` (on the search path), else qualified.
pub fn type_text(q: &QualifiedName) -> String {
    if q.schema == schemadiff_model::ident::DEFAULT_SCHEMA {
        quote_ident(&q.name)
    } else {
        format!("{}.{}", quote_ident(&q.schema), quote_ident(&q.name))
    }
}

fn comment_sql(target: &str, comment: &Option<String>) -> String {
    match comment {
        Some(c) => format!("COMMENT ON {target} IS {}", quote_literal(c)),
        None => format!("COMMENT ON {target} IS NULL"),
    }
}

fn comment_change(
    object: String,
    group: String,
    target: &str,
    comment: &Option<String>,
    requires: Vec<Res>,
) -> Change {
    Change::new(
        ChangeKind::SetComment,
        Action::Alter,
        Phase::Comment,
        object,
    )
    .group(group)
    .sql(comment_sql(target, comment))
    .requires(requires)
}

fn in_schema(q: &QualifiedName) -> Res {
    Res::Schema(q.schema.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> Schema {
        schemadiff_model::load::load_str("schema.toml", text)
            .expect("loads")
            .schema
    }

    /// `a` with a key on `code` (with `include` as given) and `b`, the same on both sides, referencing it.
    fn with_key(include: &str) -> Schema {
        schema(&format!(
            r#"
[tables.a]
primary_key = {{ columns = ["id"], name = "a_pkey" }}
[tables.a.columns]
id = {{ type = "bigint" }}
code = {{ type = "text", not_null = true }}
x = {{ type = "integer" }}
[[tables.a.unique]]
name = "a_code_key"
columns = ["code"]
include = [{include}]

[tables.b]
primary_key = {{ columns = ["id"], name = "b_pkey" }}
[tables.b.columns]
id = {{ type = "bigint" }}
code = {{ type = "text" }}
[[tables.b.foreign_keys]]
name = "b_code_fkey"
columns = ["code"]
references = {{ table = "a", columns = ["code"] }}
"#
        ))
    }

    fn objects(changes: &[Change]) -> Vec<String> {
        let mut v: Vec<String> = changes
            .iter()
            .map(|c| format!("{:?} {}", c.kind, c.object))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn an_equal_table_still_remakes_its_foreign_keys_onto_a_remade_key() {
        let (current, desired) = (with_key(""), with_key(r#""x""#));
        assert_eq!(
            current.table(&QualifiedName::new("public", "b")),
            desired.table(&QualifiedName::new("public", "b"))
        );
        let changes = diff(&current, &desired, &Directives::default());
        let objects = objects(&changes);
        for expected in [
            "DropForeignKey foreign key b_code_fkey on public.b",
            "AddForeignKey foreign key b_code_fkey on public.b",
            "DropConstraint constraint a_code_key on public.a",
            "AddConstraint constraint a_code_key on public.a",
        ] {
            assert!(
                objects.iter().any(|o| o == expected),
                "{expected} in {objects:?}"
            );
        }
        assert_eq!(objects.len(), 4, "{objects:?}");
    }

    #[test]
    fn equal_schemas_diff_to_nothing() {
        let s = with_key(r#""x""#);
        assert!(diff(&s, &s, &Directives::default()).is_empty());
    }

    #[test]
    fn tables_with_unnamed_or_repeated_names_are_not_taken_as_plainly_equal() {
        let s = with_key("");
        let a = s.table(&QualifiedName::new("public", "a")).unwrap();
        assert!(table::same_table(a, a));
        let mut unnamed = a.clone();
        unnamed.uniques[0].name = None;
        assert!(!table::same_table(&unnamed, &unnamed));
        let mut twice = a.clone();
        twice.columns[2].name = "code".into();
        assert!(!table::same_table(&twice, &twice));
    }

    #[test]
    fn enum_values_added_in_place() {
        assert!(is_subsequence(&["a", "c"], &["a", "b", "c", "d"]));
        assert!(!is_subsequence(&["c", "a"], &["a", "b", "c"]));
    }
}
