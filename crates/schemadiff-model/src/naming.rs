//! PostgreSQL's own names for unnamed constraints and indexes (`<table>_<columns>_<label>`), so that a model
//! without names matches a database created with plain DDL, and so that schemadiff can refer to such an
//! object (a comment on it) by the name the server gives it.
//!
//! This follows `makeObjectName`, `ChooseIndexNameAddition` and `ChooseRelationName` in PostgreSQL's
//! source: names are cut to 63 bytes by shortening the longer of the two parts first, and a name already
//! taken gets a number after its label (`_key1`). Expression keys make the name depend on the server's
//! parser (`lower(email)` gives `lower`), so those are left to the server: `None`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ident::{MAX_IDENTIFIER_BYTES, QualifiedName};
use crate::load::ObjectPath;
use crate::types::Schema;

/// `makeObjectName(name1, name2, label)`.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    // One underscore before the label, and one before name2 when there is one.
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let avail = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(n) = name2 {
        out.push('_');
        out.push_str(clip(n, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// The longest prefix of at most `bytes` bytes that ends on a character boundary (`pg_mbcliplen`).
fn clip(s: &str, bytes: usize) -> &str {
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `ChooseIndexNameAddition`: the column names joined by `_`, stopping once past the name length limit.
pub fn columns_addition<'a>(columns: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for c in columns {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(clip(c, MAX_IDENTIFIER_BYTES));
        if out.len() > MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    out
}

/// `ChooseIndexColumnNames`: the names of an index's columns (keys, then INCLUDE columns), a repeated name
/// numbered (`a`, `a1`), as they go into the index's default name.
pub fn index_column_names<'a>(columns: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for orig in columns {
        let mut name = orig.to_string();
        let mut i = 1;
        while out.contains(&name) {
            let suffix = i.to_string();
            name = format!(
                "{}{suffix}",
                clip(orig, MAX_IDENTIFIER_BYTES - suffix.len())
            );
            i += 1;
        }
        out.push(name);
    }
    out
}

/// The `_`-joined addition of an index's default name.
fn index_addition<'a>(columns: impl IntoIterator<Item = &'a str>) -> String {
    let names = index_column_names(columns);
    columns_addition(names.iter().map(String::as_str))
}

/// Names in use per schema, as the server would see them while creating objects in order.
#[derive(Debug, Default)]
pub struct NameAllocator {
    relations: BTreeMap<String, BTreeSet<String>>,
    constraints: BTreeMap<String, BTreeSet<String>>,
}

impl NameAllocator {
    pub fn add_relation(&mut self, schema: &str, name: &str) {
        Self::add(&mut self.relations, schema, name);
    }

    pub fn add_constraint(&mut self, schema: &str, name: &str) {
        Self::add(&mut self.constraints, schema, name);
    }

    /// `name` taken in `schema`, allocating only what is new (the schema's key once, a name once).
    fn add(map: &mut BTreeMap<String, BTreeSet<String>>, schema: &str, name: &str) {
        let names = match map.get_mut(schema) {
            Some(names) => names,
            None => map.entry(schema.to_string()).or_default(),
        };
        if !names.contains(name) {
            names.insert(name.to_string());
        }
    }

    fn taken(&self, map: &BTreeMap<String, BTreeSet<String>>, schema: &str, name: &str) -> bool {
        map.get(schema).is_some_and(|s| s.contains(name))
    }

    /// `ChooseRelationName`: for an index, or an index-backed constraint (`is_constraint`).
    pub fn choose_relation(
        &mut self,
        schema: &str,
        name1: &str,
        name2: Option<&str>,
        label: &str,
        is_constraint: bool,
    ) -> String {
        let mut pass = 0;
        loop {
            let l = if pass == 0 {
                label.to_string()
            } else {
                format!("{label}{pass}")
            };
            let name = make_object_name(name1, name2, &l);
            let clash = self.taken(&self.relations, schema, &name)
                || (is_constraint && self.taken(&self.constraints, schema, &name));
            if !clash {
                self.add_relation(schema, &name);
                if is_constraint {
                    self.add_constraint(schema, &name);
                }
                return name;
            }
            pass += 1;
        }
    }

    /// `ChooseConstraintName`: for a constraint without an index (foreign key, check).
    pub fn choose_constraint(
        &mut self,
        schema: &str,
        name1: &str,
        name2: Option<&str>,
        label: &str,
    ) -> String {
        let mut pass = 0;
        loop {
            let l = if pass == 0 {
                label.to_string()
            } else {
                format!("{label}{pass}")
            };
            let name = make_object_name(name1, name2, &l);
            if !self.taken(&self.constraints, schema, &name) {
                self.add_constraint(schema, &name);
                return name;
            }
            pass += 1;
        }
    }
}

/// The name every index and constraint will have once created: the written name, or PostgreSQL's default
/// where it can be known without the server's parser. Computed in the order `render` creates objects.
pub fn effective_names(schema: &Schema) -> BTreeMap<ObjectPath, String> {
    let mut alloc = NameAllocator::default();
    let mut out = BTreeMap::new();
    // Written names are taken first, whatever their order, as the server would refuse duplicates anyway.
    for seq in &schema.sequences {
        alloc.add_relation(&seq.name.schema, &seq.name.name);
    }
    for t in &schema.tables {
        let s = &t.name.schema;
        alloc.add_relation(s, &t.name.name);
        let explicit_relations = t
            .primary_key
            .iter()
            .filter_map(|p| p.name.as_ref())
            .chain(t.uniques.iter().filter_map(|u| u.name.as_ref()))
            .chain(t.exclusions.iter().filter_map(|e| e.name.as_ref()))
            .chain(t.indexes.iter().filter_map(|i| i.name.as_ref()));
        for n in explicit_relations {
            alloc.add_relation(s, n);
        }
        let explicit_constraints = t
            .primary_key
            .iter()
            .filter_map(|p| p.name.as_ref())
            .chain(t.uniques.iter().filter_map(|u| u.name.as_ref()))
            .chain(t.exclusions.iter().filter_map(|e| e.name.as_ref()))
            .chain(t.foreign_keys.iter().filter_map(|f| f.name.as_ref()))
            .chain(t.checks.iter().filter_map(|c| c.name.as_ref()));
        for n in explicit_constraints {
            alloc.add_constraint(s, n);
        }
    }
    let mut put = |path: ObjectPath, name: String| {
        out.insert(path, name);
    };
    for t in &schema.tables {
        let q: &QualifiedName = &t.name;
        let (s, tn) = (q.schema.as_str(), q.name.as_str());
        if let Some(pk) = &t.primary_key {
            let name = pk
                .name
                .clone()
                .unwrap_or_else(|| alloc.choose_relation(s, tn, None, "pkey", true));
            put(ObjectPath::PrimaryKey(q.clone()), name);
        }
        for (i, u) in t.uniques.iter().enumerate() {
            let name = u.name.clone().unwrap_or_else(|| {
                // INCLUDE columns count in the name, as for an index (ChooseIndexColumnNames).
                let add = index_addition(u.columns.iter().chain(&u.include).map(String::as_str));
                alloc.choose_relation(s, tn, Some(&add), "key", true)
            });
            put(ObjectPath::Unique(q.clone(), i), name);
        }
        for (i, e) in t.exclusions.iter().enumerate() {
            let name = e.name.clone().or_else(|| {
                let cols = e.plain_columns();
                cols.map(|cols| {
                    alloc.choose_relation(s, tn, Some(&index_addition(cols)), "excl", true)
                })
            });
            if let Some(name) = name {
                put(ObjectPath::Exclusion(q.clone(), i), name);
            }
        }
        for (i, c) in t.checks.iter().enumerate() {
            if let Some(n) = &c.name {
                put(ObjectPath::Check(q.clone(), i), n.clone());
            }
        }
    }
    for t in &schema.tables {
        let q = &t.name;
        for (i, idx) in t.indexes.iter().enumerate() {
            let name = idx.name.clone().or_else(|| {
                let cols = idx.plain_columns();
                cols.map(|cols| {
                    let add = index_addition(cols);
                    alloc.choose_relation(&q.schema, &q.name, Some(&add), "idx", false)
                })
            });
            if let Some(name) = name {
                put(ObjectPath::Index(q.clone(), i), name);
            }
        }
    }
    for t in &schema.tables {
        let q = &t.name;
        for (i, fk) in t.foreign_keys.iter().enumerate() {
            let name = fk.name.clone().unwrap_or_else(|| {
                let add = columns_addition(fk.columns.iter().map(String::as_str));
                alloc.choose_constraint(&q.schema, &q.name, Some(&add), "fkey")
            });
            put(ObjectPath::ForeignKey(q.clone(), i), name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_joined() {
        assert_eq!(make_object_name("users", None, "pkey"), "users_pkey");
        assert_eq!(
            make_object_name(
                "orders",
                Some(&columns_addition(["status", "created"])),
                "idx"
            ),
            "orders_status_created_idx"
        );
    }

    #[test]
    fn long_names_shorten_the_longer_part_first() {
        let table = "t".repeat(40);
        let cols = "c".repeat(40);
        let name = make_object_name(&table, Some(&cols), "fkey");
        assert_eq!(name.len(), 63);
        // 63 - len("_fkey") - 1 = 57 characters shared: 29 + 28 (the first part wins ties once it is longer).
        assert_eq!(name, format!("{}_{}_fkey", "t".repeat(29), "c".repeat(28)));
    }

    #[test]
    fn repeated_index_columns_are_numbered() {
        assert_eq!(
            index_column_names(["a", "b", "a", "a"]),
            ["a", "b", "a1", "a2"]
        );
    }

    #[test]
    fn clashing_names_get_numbers() {
        let mut a = NameAllocator::default();
        assert_eq!(
            a.choose_relation("public", "t", Some("a"), "key", true),
            "t_a_key"
        );
        assert_eq!(
            a.choose_relation("public", "t", Some("a"), "key", true),
            "t_a_key1"
        );
        assert_eq!(
            a.choose_relation("public", "t", Some("a"), "idx", false),
            "t_a_idx"
        );
        assert_eq!(
            a.choose_constraint("public", "t", Some("a"), "fkey"),
            "t_a_fkey"
        );
        assert_eq!(
            a.choose_constraint("public", "t", Some("a"), "fkey"),
            "t_a_fkey1"
        );
    }
}
