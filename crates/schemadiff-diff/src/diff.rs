//! The difference of two canonical schemas as changes. Both sides must be in canonical form (read back from a
//! server, see `schemadiff_catalog::normalize`), so that equal definitions are equal text, and renames must
//! already be applied to `current` (see [`crate::renames`]). Column order is not compared: PostgreSQL cannot
//! reorder the columns of an existing table, and new tables are created in the declared order.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::render::{
    check_clause, column_definition, create_enum, create_extension, create_index, create_sequence,
    create_table, exclusion_clause, foreign_key_clause, identity_options, inert,
    primary_key_clause, table_additions, unique_clause,
};
use schemadiff_model::{
    Column, Directives, EnumType, ForeignKey, Identity, Index, IndexTarget, QualifiedName, Schema,
    Sequence, Table, quote_ident, quote_literal,
};

use crate::change::{Action, Change, ChangeKind, Hazard, Phase, Res};

mod column;
mod enum_type;
mod extension;
mod schema;
mod sequence;
mod table;
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
    sequences(current, desired, &mut out);
    tables(current, desired, &types, directives, &mut out);
    serial_identity_swaps(current, desired, &mut out);
    owned_sequences_go_with_owners(current, desired, &mut out);
    view::views(current, desired, &mut out);
    crate::change::assign_tables(&[current, desired], &mut out);
    out
}

/// Enums by the text `format_type` prints for them (as columns name their type).
struct TypeNames(BTreeMap<String, QualifiedName>);

impl TypeNames {
    fn new(a: &Schema, b: &Schema) -> Self {
        let mut map = BTreeMap::new();
        for e in a.enums.iter().chain(&b.enums) {
            map.insert(type_text(&e.name), e.name.clone());
        }
        TypeNames(map)
    }

    /// The enum a column type names (`mood`, `billing.status[]`), if any.
    fn enum_of(&self, data_type: &str) -> Option<Res> {
        let base = data_type.trim_end_matches("[]");
        self.0.get(base).map(|q| Res::Type(q.clone()))
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

/// The sequence a default takes its values from (`nextval('orders_id_seq'::regclass)`).
fn sequence_of(default: Option<&str>) -> Option<Res> {
    let d = default?;
    let start = d.find("nextval('")? + "nextval('".len();
    let end = start + d[start..].find("'::regclass")?;
    let text = d[start..end].replace("''", "'");
    let parts = sql_name_parts(&text)?;
    let q = match parts.as_slice() {
        [n] => QualifiedName::new(schemadiff_model::ident::DEFAULT_SCHEMA, n.clone()),
        [s, n] => QualifiedName::new(s.clone(), n.clone()),
        _ => return None,
    };
    Some(Res::Sequence(q))
}

/// The parts of an SQL name as the server prints it (`a`, `"A b"`, `s."t"`).
fn sql_name_parts(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.push(c);
                chars.next();
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => continue,
            Some(_) => return None,
        }
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

    #[test]
    fn sequences_named_by_defaults() {
        assert_eq!(
            sequence_of(Some("nextval('orders_id_seq'::regclass)")),
            Some(Res::Sequence(QualifiedName::new("public", "orders_id_seq")))
        );
        assert_eq!(
            sequence_of(Some("nextval('billing.\"Inv Seq\"'::regclass)")),
            Some(Res::Sequence(QualifiedName::new("billing", "Inv Seq")))
        );
        assert_eq!(sequence_of(Some("now()")), None);
    }

    #[test]
    fn enum_values_added_in_place() {
        assert!(is_subsequence(&["a", "c"], &["a", "b", "c", "d"]));
        assert!(!is_subsequence(&["c", "a"], &["a", "b", "c"]));
    }
}
