//! Writing a schema as schema.toml: the documented format, in a fixed element order, readable.
//!
//! Names PostgreSQL would choose by itself are left out (`users_email_key`), as are `not_null` on primary-key
//! columns (the key implies it): reading the file back and creating it gives the same catalog again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use crate::deps::ObjectRef;
use crate::grant::GrantTarget;
use crate::ident::QualifiedName;
use crate::naming::{columns_addition, index_column_names, make_object_name};
use crate::types::*;

/// A TOML key: bare when it can be, else a basic string.
pub fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        toml_string(key)
    }
}

/// A TOML basic string holding exactly `s`.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // Most strings need no escape: copied whole.
    if !s.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        out.push_str(s);
        out.push('"');
        return out;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn string_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// The key of a schema-qualified element in its section (`users`, `"billing.invoices"`).
pub(crate) fn qualified_key(name: &QualifiedName) -> String {
    toml_key(&name.to_string())
}

/// `{ a = 1, b = "x" }` from (key, value) pairs already rendered.
pub(crate) fn inline(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    push_inline(&mut out, pairs);
    out
}

/// [`inline`] appended to `out`.
pub(crate) fn push_inline(out: &mut String, pairs: &[(&str, String)]) {
    if pairs.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{ ");
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k);
        out.push_str(" = ");
        out.push_str(v);
    }
    out.push_str(" }");
}

/// Write `schema` as schema.toml text.
/// What [`to_toml`] looks up for each element, gathered once from the schema-wide lists (a scan of those per
/// element made the dump quadratic in the schema's size). Where a list holds two entries for one object, the
/// first wins, as a scan finds it.
struct Lookups<'a> {
    owners: HashMap<&'a GrantTarget, &'a str>,
    grants: HashMap<&'a GrantTarget, &'a crate::grant::ObjectGrants>,
    /// The columns each constraint reads, by (table, constraint), from a table's own columns; None when the
    /// schema has no dependencies (it was not read from a catalog).
    constraint_columns: Option<HashMap<(&'a QualifiedName, &'a str), Vec<&'a str>>>,
    triggers: HashMap<&'a QualifiedName, Vec<&'a crate::trigger::Trigger>>,
    policies: HashMap<&'a QualifiedName, Vec<&'a crate::policy::Policy>>,
}

impl<'a> Lookups<'a> {
    fn new(schema: &'a Schema) -> Self {
        let mut owners = HashMap::with_capacity(schema.owners.len());
        for o in &schema.owners {
            owners.entry(&o.target).or_insert(o.role.as_str());
        }
        let mut grants = HashMap::with_capacity(schema.grants.len());
        for g in &schema.grants {
            grants.entry(&g.target).or_insert(g);
        }
        let constraint_columns = (!schema.dependencies.is_empty()).then(|| {
            let mut map: HashMap<_, Vec<&str>> = HashMap::new();
            for d in &schema.dependencies {
                if let (ObjectRef::Constraint(t, n), ObjectRef::Column(rt, c)) =
                    (&d.dependent, &d.referenced)
                {
                    if t == rt {
                        map.entry((t, n.as_str())).or_default().push(c.as_str());
                    }
                }
            }
            map
        });
        let mut triggers: HashMap<_, Vec<_>> = HashMap::new();
        for tr in &schema.triggers {
            triggers.entry(&tr.relation).or_default().push(tr);
        }
        let mut policies: HashMap<_, Vec<_>> = HashMap::new();
        for p in &schema.policies {
            policies.entry(&p.table).or_default().push(p);
        }
        Lookups {
            owners,
            grants,
            constraint_columns,
            triggers,
            policies,
        }
    }

    /// [`crate::owner::owner_of`].
    fn owner(&self, target: &GrantTarget) -> Option<&'a str> {
        self.owners.get(target).copied()
    }

    /// [`crate::owner::dump`].
    fn owner_line(&self, out: &mut String, target: &GrantTarget) {
        crate::owner::line(out, self.owner(target));
    }

    /// [`crate::grant::dump`].
    fn grants(&self, out: &mut String, section: &str, target: &GrantTarget) {
        if let Some(g) = self.grants.get(target) {
            crate::grant::dump_grants(out, section, g);
        }
    }

    /// [`Schema::constraint_columns`].
    fn constraint_columns(&self, table: &QualifiedName, name: &str) -> Option<Vec<&'a str>> {
        let map = self.constraint_columns.as_ref()?;
        Some(map.get(&(table, name)).cloned().unwrap_or_default())
    }
}

pub fn to_toml(schema: &Schema) -> String {
    let mut text = String::new();
    write_toml(schema, &mut |piece| text.push_str(piece));
    text
}

/// [`to_toml`]'s text given to `sink` a piece at a time (a table's at most) instead of as one string, for
/// what only reads it once (a fingerprint): the pieces, joined, are `to_toml`'s text.
pub fn write_toml(schema: &Schema, sink: &mut dyn FnMut(&str)) {
    // What is written so far, but for the blank lines at its end (the text's last ones are left out).
    let flush = |out: &mut String, sink: &mut dyn FnMut(&str)| {
        let at = out.trim_end_matches('\n').len();
        sink(&out[..at]);
        out.drain(..at);
    };
    let mut out = String::new();
    let lk = Lookups::new(schema);
    if let Some(v) = schema.postgres_version {
        let _ = writeln!(out, "postgres_version = {v}\n");
    }
    if let Some(m) = &schema.migrations {
        out.push_str("[migrations]\n");
        for (k, v) in [
            ("dir", &m.dir),
            ("format", &m.format),
            ("naming", &m.naming),
            ("split", &m.split),
        ] {
            if let Some(v) = v {
                let _ = writeln!(out, "{k} = {}", toml_string(v));
            }
        }
        if m.online {
            out.push_str("online = true\n");
        }
        for (k, v) in [
            ("lock_timeout", &m.lock_timeout),
            ("statement_timeout", &m.statement_timeout),
            ("long_statement_timeout", &m.long_statement_timeout),
        ] {
            if let Some(v) = v {
                let _ = writeln!(out, "{k} = {}", toml_string(v));
            }
        }
        if !m.allow_hazards.is_empty() {
            let list: Vec<String> = m.allow_hazards.iter().map(|h| toml_string(h)).collect();
            let _ = writeln!(out, "allow_hazards = [{}]", list.join(", "));
        }
        if m.manage_ownership {
            out.push_str("manage_ownership = true\n");
        }
        out.push('\n');
    }
    if let Some(e) = &schema.erd {
        out.push_str("[erd]\n");
        if let Some(f) = &e.file {
            let _ = writeln!(out, "file = {}", toml_string(f));
        }
        for (k, list) in [("schemas", &e.schemas), ("exclude", &e.exclude)] {
            if !list.is_empty() {
                let items: Vec<String> = list.iter().map(|v| toml_string(v)).collect();
                let _ = writeln!(out, "{k} = [{}]", items.join(", "));
            }
        }
        out.push('\n');
    }
    if !schema.extensions.is_empty() {
        out.push_str("[extensions]\n");
        for e in &schema.extensions {
            let mut pairs = Vec::new();
            if let Some(v) = &e.version {
                pairs.push(("version", toml_string(v)));
            }
            if let Some(s) = &e.schema {
                pairs.push(("schema", toml_string(s)));
            }
            let _ = writeln!(out, "{} = {}", toml_key(&e.name), inline(&pairs));
        }
        out.push('\n');
    }
    // `public` is listed when its comment changed; its owner, when not its default one, is written all the same.
    let public = GrantTarget::Schema(crate::ident::DEFAULT_SCHEMA.into());
    if lk.owner(&public).is_some()
        && !schema
            .schemas
            .iter()
            .any(|s| s.name == crate::ident::DEFAULT_SCHEMA)
    {
        let _ = writeln!(out, "[schemas.public]");
        lk.owner_line(&mut out, &public);
        out.push('\n');
    }
    for s in &schema.schemas {
        let _ = writeln!(out, "[schemas.{}]", toml_key(&s.name));
        lk.owner_line(&mut out, &GrantTarget::Schema(s.name.clone()));
        if let Some(c) = &s.comment {
            let _ = writeln!(out, "comment = {}", toml_string(c));
        }
        out.push('\n');
        let section = format!("schemas.{}", toml_key(&s.name));
        lk.grants(&mut out, &section, &GrantTarget::Schema(s.name.clone()));
    }
    let type_owner = |name: &QualifiedName| lk.owner(&GrantTarget::Type(name.clone()));
    for e in &schema.enums {
        let _ = writeln!(out, "[enums.{}]", qualified_key(&e.name));
        lk.owner_line(&mut out, &GrantTarget::Type(e.name.clone()));
        let values: Vec<String> = e
            .values
            .iter()
            .map(|v| match &v.renamed_from {
                None => toml_string(&v.name),
                Some(r) => inline(&[
                    ("name", toml_string(&v.name)),
                    ("renamed_from", toml_string(r)),
                ]),
            })
            .collect();
        let _ = writeln!(out, "values = [{}]", values.join(", "));
        if let Some(c) = &e.comment {
            let _ = writeln!(out, "comment = {}", toml_string(c));
        }
        out.push('\n');
        type_grants(&mut out, &lk, "enums", &e.name);
    }
    for r in &schema.range_types {
        crate::range::dump(&mut out, r, type_owner(&r.name));
        type_grants(&mut out, &lk, "range_types", &r.name);
    }
    for d in crate::domain::creation_order(&schema.domains) {
        crate::domain::dump(&mut out, d, type_owner(&d.name));
        type_grants(&mut out, &lk, "domains", &d.name);
    }
    for t in &schema.composite_types {
        crate::composite::dump(&mut out, t, type_owner(&t.name));
        type_grants(&mut out, &lk, "composite_types", &t.name);
    }
    crate::policy::dump_roles(&mut out, &schema.roles);
    crate::grant::dump_defaults(&mut out, schema);
    for s in &schema.sequences {
        let _ = writeln!(out, "[sequences.{}]", qualified_key(&s.name));
        lk.owner_line(&mut out, &GrantTarget::Sequence(s.name.clone()));
        if let Some(t) = &s.data_type {
            let _ = writeln!(out, "type = {}", toml_string(t));
        }
        for (k, v) in [
            ("start", s.start),
            ("increment", s.increment),
            ("min_value", s.min_value),
            ("max_value", s.max_value),
            ("cache", s.cache),
        ] {
            if let Some(v) = v {
                let _ = writeln!(out, "{k} = {v}");
            }
        }
        if s.cycle {
            out.push_str("cycle = true\n");
        }
        if let Some(o) = &s.owned_by {
            let _ = writeln!(
                out,
                "owned_by = {}",
                toml_string(&format!("{}.{}", o.table, o.column))
            );
        }
        if let Some(c) = &s.comment {
            let _ = writeln!(out, "comment = {}", toml_string(c));
        }
        out.push('\n');
        let section = format!("sequences.{}", qualified_key(&s.name));
        lk.grants(&mut out, &section, &GrantTarget::Sequence(s.name.clone()));
    }
    let triggers = |out: &mut String, section: &str, relation: &QualifiedName| {
        for tr in lk.triggers.get(relation).into_iter().flatten() {
            crate::trigger::dump(out, &format!("{section}.{}", qualified_key(relation)), tr);
        }
    };
    for t in &schema.tables {
        table(&mut out, &lk, t);
        triggers(&mut out, "tables", &t.name);
        for p in lk.policies.get(&t.name).into_iter().flatten() {
            crate::policy::dump(&mut out, &format!("tables.{}", qualified_key(&t.name)), p);
        }
        crate::grant::dump_table(&mut out, &lk.grants, t);
        flush(&mut out, sink);
    }
    // Each view after the views it reads, so that the file creates in its own order.
    for v in crate::view::creation_order(&schema.views) {
        let owner = lk.owner(&GrantTarget::View(v.name.clone()));
        crate::view::dump(&mut out, v, owner);
        triggers(&mut out, v.section(), &v.name);
        let section = format!("{}.{}", v.section(), qualified_key(&v.name));
        lk.grants(&mut out, &section, &GrantTarget::View(v.name.clone()));
    }
    for f in &schema.functions {
        // As read, by its argument types; as loaded, by its arguments as written (`grant::decode`).
        let signature = if f.signature.is_empty() {
            crate::function::without_defaults(&f.arguments)
        } else {
            f.signature.clone()
        };
        let target = GrantTarget::Function(f.name.clone(), signature, f.procedure);
        crate::function::dump(&mut out, f, lk.owner(&target));
        let section = format!("{}.{}", f.section(), toml_key(&f.key()));
        lk.grants(&mut out, &section, &target);
    }
    // A trigger or policy whose table or view is not in `schema` (a fragment of one, as `check` shows a
    // drifted object): under its relation's section all the same, so that it is not lost from the text.
    // INSTEAD OF triggers exist only on views.
    let tables: HashSet<&QualifiedName> = schema.tables.iter().map(|t| &t.name).collect();
    let views: HashSet<&QualifiedName> = schema.views.iter().map(|v| &v.name).collect();
    for tr in schema
        .triggers
        .iter()
        .filter(|tr| !tables.contains(&tr.relation) && !views.contains(&tr.relation))
    {
        let section = if tr.timing == "instead of" {
            "views"
        } else {
            "tables"
        };
        crate::trigger::dump(
            &mut out,
            &format!("{section}.{}", qualified_key(&tr.relation)),
            tr,
        );
    }
    for p in schema
        .policies
        .iter()
        .filter(|p| !tables.contains(&p.table))
    {
        crate::policy::dump(&mut out, &format!("tables.{}", qualified_key(&p.table)), p);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    sink(&out);
}

/// The grants of a type, under `section.name`.
fn type_grants(out: &mut String, lk: &Lookups, section: &str, name: &QualifiedName) {
    let section = format!("{section}.{}", qualified_key(name));
    lk.grants(out, &section, &GrantTarget::Type(name.clone()));
}

fn table(out: &mut String, lk: &Lookups, t: &Table) {
    let key = qualified_key(&t.name);
    let tn = t.name.name.as_str();
    let pk_columns: BTreeSet<&str> = t
        .primary_key
        .iter()
        .flat_map(|pk| pk.columns.iter().map(String::as_str))
        .collect();
    if t.comment.is_some()
        || t.primary_key.is_some()
        || t.renamed_from.is_some()
        || t.columns.is_empty()
        || t.row_level_security
        || t.force_row_level_security
        || crate::table_options::has_table_options(t)
        || t.partition_by.is_some()
        || lk.owner(&GrantTarget::Table(t.name.clone())).is_some()
    {
        let _ = writeln!(out, "[tables.{key}]");
        lk.owner_line(out, &GrantTarget::Table(t.name.clone()));
        if let Some(c) = &t.comment {
            let _ = writeln!(out, "comment = {}", toml_string(c));
        }
        crate::partition::dump_lines(out, t);
        if let Some(r) = &t.renamed_from {
            let _ = writeln!(out, "renamed_from = {}", toml_string(&r.to_string()));
        }
        flag(out, "row_level_security", t.row_level_security);
        flag(out, "force_row_level_security", t.force_row_level_security);
        crate::table_options::dump_table(out, t);
        if let Some(pk) = &t.primary_key {
            let name = pk
                .name
                .as_ref()
                .filter(|n| **n != make_object_name(tn, None, "pkey"));
            if name.is_none() && pk.comment.is_none() && !pk.deferrable {
                let _ = writeln!(out, "primary_key = {}", string_list(&pk.columns));
            } else {
                let mut pairs = vec![("columns", string_list(&pk.columns))];
                if let Some(n) = name {
                    pairs.push(("name", toml_string(n)));
                }
                if pk.deferrable {
                    pairs.push(("deferrable", "true".into()));
                }
                if pk.initially_deferred {
                    pairs.push(("initially_deferred", "true".into()));
                }
                if let Some(c) = &pk.comment {
                    pairs.push(("comment", toml_string(c)));
                }
                let _ = writeln!(out, "primary_key = {}", inline(&pairs));
            }
        }
        out.push('\n');
    }
    if !t.columns.is_empty() {
        let _ = writeln!(out, "[tables.{key}.columns]");
        let keys: Vec<String> = t.columns.iter().map(|c| toml_key(&c.name)).collect();
        let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
        for (c, k) in t.columns.iter().zip(&keys) {
            let mut pairs = vec![("type", toml_string(&c.data_type))];
            if c.not_null && !pk_columns.contains(c.name.as_str()) {
                pairs.push(("not_null", "true".into()));
            }
            if let Some(d) = &c.default {
                pairs.push(("default", toml_string(d)));
            }
            if let Some(i) = c.identity {
                let v = toml_string(match i {
                    Identity::Always => "always",
                    Identity::ByDefault => "by default",
                });
                let o = &c.extras().identity_options;
                if o.is_default() {
                    pairs.push(("identity", v));
                } else {
                    let mut options = vec![("generated", v)];
                    for (k, value) in [
                        ("start", o.start),
                        ("increment", o.increment),
                        ("min_value", o.min_value),
                        ("max_value", o.max_value),
                        ("cache", o.cache),
                    ] {
                        if let Some(n) = value {
                            options.push((k, n.to_string()));
                        }
                    }
                    if o.cycle {
                        options.push(("cycle", "true".into()));
                    }
                    pairs.push(("identity", inline(&options)));
                }
            }
            if let Some(g) = &c.extras().generated {
                pairs.push(("generated", toml_string(g)));
                if c.extras().generated_virtual {
                    pairs.push(("virtual", "true".to_string()));
                }
            }
            if let Some(coll) = &c.extras().collation {
                pairs.push(("collation", toml_string(coll)));
            }
            crate::table_options::dump_column(&mut pairs, t, c);
            if let Some(cm) = &c.comment {
                pairs.push(("comment", toml_string(cm)));
            }
            if let Some(r) = &c.extras().renamed_from {
                pairs.push(("renamed_from", toml_string(r)));
            }
            if let Some(u) = &c.extras().using {
                pairs.push(("using", toml_string(u)));
            }
            let pad = width - k.chars().count();
            out.push_str(k);
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(" = ");
            push_inline(out, &pairs);
            out.push('\n');
        }
        out.push('\n');
    }
    for u in &t.uniques {
        let _ = writeln!(out, "[[tables.{key}.unique]]");
        let default = default_index_name(
            tn,
            u.columns.iter().chain(&u.include).map(String::as_str),
            "key",
        );
        name_line(out, &u.name, &default);
        let _ = writeln!(out, "columns = {}", string_list(&u.columns));
        if !u.include.is_empty() {
            let _ = writeln!(out, "include = {}", string_list(&u.include));
        }
        flag(out, "nulls_not_distinct", u.nulls_not_distinct);
        flag(out, "deferrable", u.deferrable);
        flag(out, "initially_deferred", u.initially_deferred);
        comment_line(out, &u.comment);
        out.push('\n');
    }
    for fk in &t.foreign_keys {
        let _ = writeln!(out, "[[tables.{key}.foreign_keys]]");
        let default = make_object_name(
            tn,
            Some(&columns_addition(fk.columns.iter().map(String::as_str))),
            "fkey",
        );
        name_line(out, &fk.name, &default);
        let _ = writeln!(out, "columns = {}", string_list(&fk.columns));
        let _ = writeln!(
            out,
            "references = {}",
            inline(&[
                ("table", toml_string(&fk.references.to_string())),
                ("columns", string_list(&fk.referenced_columns)),
            ])
        );
        if fk.match_full {
            let _ = writeln!(out, "match = \"full\"");
        }
        if fk.on_delete != FkAction::NoAction {
            let _ = writeln!(out, "on_delete = {}", toml_string(fk.on_delete.name()));
        }
        if !fk.on_delete_columns.is_empty() {
            let _ = writeln!(
                out,
                "on_delete_columns = {}",
                string_list(&fk.on_delete_columns)
            );
        }
        if fk.on_update != FkAction::NoAction {
            let _ = writeln!(out, "on_update = {}", toml_string(fk.on_update.name()));
        }
        flag(out, "deferrable", fk.deferrable);
        flag(out, "initially_deferred", fk.initially_deferred);
        flag(out, "not_valid", fk.not_valid);
        comment_line(out, &fk.comment);
        out.push('\n');
    }
    for c in &t.checks {
        let _ = writeln!(out, "[[tables.{key}.checks]]");
        // A comment is on a named check (schema.toml says so): the name is written even when the server would
        // choose it.
        let default = if c.comment.is_some() {
            String::new()
        } else {
            default_check_name(lk, t, c)
        };
        name_line(out, &c.name, &default);
        let _ = writeln!(out, "expression = {}", toml_string(&c.expression));
        flag(out, "no_inherit", c.no_inherit);
        flag(out, "not_valid", c.not_valid);
        comment_line(out, &c.comment);
        out.push('\n');
    }
    for x in &t.exclusions {
        let _ = writeln!(out, "[[tables.{key}.exclusions]]");
        let columns = x.plain_columns();
        let default = columns
            .map(|cols| default_index_name(tn, cols, "excl"))
            .unwrap_or_default();
        name_line(out, &x.name, &default);
        if let Some(m) = &x.method {
            let _ = writeln!(out, "method = {}", toml_string(m));
        }
        let elements: Vec<String> = x
            .elements
            .iter()
            .map(|e| {
                let mut pairs = key_pairs(&e.key);
                pairs.push(("operator", toml_string(&e.operator)));
                inline(&pairs)
            })
            .collect();
        let _ = writeln!(out, "elements = [{}]", elements.join(", "));
        if !x.include.is_empty() {
            let _ = writeln!(out, "include = {}", string_list(&x.include));
        }
        if let Some(w) = &x.where_clause {
            let _ = writeln!(out, "where = {}", toml_string(w));
        }
        flag(out, "deferrable", x.deferrable);
        flag(out, "initially_deferred", x.initially_deferred);
        comment_line(out, &x.comment);
        out.push('\n');
    }
    for idx in &t.indexes {
        index_entry(out, &format!("tables.{key}"), tn, idx);
    }
}

/// An `[[<section>.indexes]]` entry of a relation named `relation` (a table or a materialized view).
pub(crate) fn index_entry(out: &mut String, section: &str, relation: &str, idx: &Index) {
    let _ = writeln!(out, "[[{section}.indexes]]");
    let columns = idx.plain_columns();
    let default = columns
        .map(|cols| default_index_name(relation, cols, "idx"))
        .unwrap_or_default();
    name_line(out, &idx.name, &default);
    flag(out, "unique", idx.unique);
    if let Some(m) = &idx.method {
        let _ = writeln!(out, "method = {}", toml_string(m));
    }
    let keys: Vec<String> = idx.keys.iter().map(index_key).collect();
    let _ = writeln!(out, "columns = [{}]", keys.join(", "));
    if !idx.include.is_empty() {
        let _ = writeln!(out, "include = {}", string_list(&idx.include));
    }
    if let Some(w) = &idx.where_clause {
        let _ = writeln!(out, "where = {}", toml_string(w));
    }
    flag(out, "nulls_not_distinct", idx.nulls_not_distinct);
    comment_line(out, &idx.comment);
    out.push('\n');
}

fn default_index_name<'a>(
    table: &str,
    columns: impl IntoIterator<Item = &'a str>,
    label: &str,
) -> String {
    let names = index_column_names(columns);
    make_object_name(
        table,
        Some(&columns_addition(names.iter().map(String::as_str))),
        label,
    )
}

/// PostgreSQL names a check `<table>_<column>_check` when its expression reads exactly one column, and
/// `<table>_check` otherwise (`AddRelationNewConstraints`). Which columns it reads comes from the catalog
/// (`Schema::dependencies`); a schema that was not read from one keeps every written name.
fn default_check_name(lk: &Lookups, t: &Table, c: &Check) -> String {
    let Some(name) = &c.name else {
        return String::new();
    };
    let Some(read) = lk.constraint_columns(&t.name, name) else {
        return String::new();
    };
    let read: BTreeSet<&str> = read.into_iter().collect();
    match read.len() {
        1 => make_object_name(&t.name.name, read.iter().next().copied(), "check"),
        _ => make_object_name(&t.name.name, None, "check"),
    }
}

fn name_line(out: &mut String, name: &Option<String>, default: &str) {
    if let Some(n) = name {
        if n != default {
            let _ = writeln!(out, "name = {}", toml_string(n));
        }
    }
}

pub(crate) fn flag(out: &mut String, key: &str, value: bool) {
    if value {
        let _ = writeln!(out, "{key} = true");
    }
}

pub(crate) fn comment_line(out: &mut String, comment: &Option<String>) {
    if let Some(c) = comment {
        let _ = writeln!(out, "comment = {}", toml_string(c));
    }
}

/// The (key, value) pairs of an index key in table form.
fn key_pairs(k: &IndexKey) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    match &k.target {
        IndexTarget::Column(c) => pairs.push(("column", toml_string(c))),
        IndexTarget::Expression(e) => pairs.push(("expression", toml_string(e))),
    }
    if let Some(o) = &k.opclass {
        pairs.push(("opclass", toml_string(o)));
    }
    if let Some(c) = &k.collation {
        pairs.push(("collation", toml_string(c)));
    }
    if k.descending {
        pairs.push(("order", toml_string("desc")));
    }
    if let Some(n) = k.nulls_first {
        pairs.push(("nulls", toml_string(if n { "first" } else { "last" })));
    }
    pairs
}

/// An index key: `"col"`, `"col DESC NULLS LAST"`, or the table form when the string form cannot say it.
fn index_key(k: &IndexKey) -> String {
    if let IndexTarget::Column(c) = &k.target {
        let upper = c.to_uppercase();
        let ambiguous = c.contains('(')
            || c.trim().is_empty()
            || [" ASC", " DESC", " NULLS FIRST", " NULLS LAST"]
                .iter()
                .any(|s| upper.ends_with(s));
        if k.opclass.is_none() && k.collation.is_none() && !ambiguous {
            let mut s = c.clone();
            if k.descending {
                s.push_str(" DESC");
            }
            match k.nulls_first {
                Some(true) => s.push_str(" NULLS FIRST"),
                Some(false) => s.push_str(" NULLS LAST"),
                None => {}
            }
            return toml_string(&s);
        }
    }
    inline(&key_pairs(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_strings() {
        assert_eq!(toml_key("users"), "users");
        assert_eq!(toml_key("uuid-ossp"), "uuid-ossp");
        assert_eq!(toml_key("with space"), "\"with space\"");
        assert_eq!(toml_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(toml_string("plain é"), "\"plain é\"");
        assert_eq!(toml_string("tab\there"), "\"tab\\there\"");
    }
    #[test]
    fn a_commented_check_keeps_the_name_the_server_chose() {
        let text = "[tables.teams]\n\n[tables.teams.columns]\nname = \"text\"\n\n[[tables.teams.checks]]\nname = \"teams_name_check\"\nexpression = \"name <> ''\"\ncomment = \"Never empty\"\n\n[[tables.teams.checks]]\nname = \"teams_name_check1\"\nexpression = \"length(name) < 100\"\n";
        let loaded = crate::load_str("schema.toml", text).expect("loads");
        let mut schema = loaded.schema;
        // As the catalog reads it: the check reads column `name` (so its default name is `teams_name_check`).
        let t = schema.tables[0].name.clone();
        schema.dependencies.push(crate::Dependency {
            dependent: crate::ObjectRef::Constraint(t.clone(), "teams_name_check".into()),
            referenced: crate::ObjectRef::Column(t, "name".into()),
        });
        let dumped = to_toml(&schema);
        assert!(dumped.contains("name = \"teams_name_check\""), "{dumped}");
        crate::load_str("schema.toml", &dumped).expect("the dump loads again");
    }

    #[test]
    fn lookups_keep_the_first_of_two_entries_for_one_object_as_a_scan_does() {
        use crate::grant::{ObjectGrants, Privilege};
        let text = "[tables.teams.columns]\nname = \"text\"\n\n[[tables.teams.checks]]\nname = \"teams_check\"\nexpression = \"name <> ''\"\n\n[tables.others.columns]\nid = \"int\"\n";
        let mut schema = crate::load_str("schema.toml", text).expect("loads").schema;
        let teams = schema.tables[0].name.clone();
        let others = schema.tables[1].name.clone();
        let owner = |role: &str| crate::owner::ObjectOwner {
            target: GrantTarget::Table(teams.clone()),
            role: role.into(),
        };
        schema.owners = vec![owner("first"), owner("second")];
        let grants = |grantee: &str, target: GrantTarget| ObjectGrants {
            target,
            privileges: vec![Privilege {
                grantee: grantee.into(),
                privilege: "select".into(),
                grant_option: false,
            }],
        };
        schema.grants = vec![
            grants("reader", GrantTarget::Column(teams.clone(), "name".into())),
            grants("writer", GrantTarget::Column(teams.clone(), "name".into())),
        ];
        // The check reads one column of its own table (a column of another table read by the same constraint
        // name does not count): its default name is `teams_name_check`, so `teams_check` is written.
        for (t, c) in [(&teams, "name"), (&others, "id")] {
            schema.dependencies.push(crate::Dependency {
                dependent: crate::ObjectRef::Constraint(teams.clone(), "teams_check".into()),
                referenced: crate::ObjectRef::Column(t.clone(), c.into()),
            });
        }
        let dumped = to_toml(&schema);
        assert!(dumped.contains("owner = \"first\""), "{dumped}");
        assert!(!dumped.contains("second"), "{dumped}");
        assert!(dumped.contains("reader = [\"select\"]"), "{dumped}");
        assert!(!dumped.contains("writer"), "{dumped}");
        assert!(dumped.contains("name = \"teams_check\""), "{dumped}");
        // The same as the scans of the lists find.
        assert_eq!(
            crate::owner::owner_of(&schema, &GrantTarget::Table(teams.clone())),
            Some("first")
        );
        assert_eq!(
            schema.constraint_columns(&teams, "teams_check"),
            Some(vec!["name"])
        );
    }
}
