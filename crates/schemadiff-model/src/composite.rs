//! Composite types, in one place for the model stage: the type, its schema.toml form (decoding and dump), its
//! CREATE DDL and its checks. Introspection is `schemadiff_catalog::composite`, the diff
//! `schemadiff_diff::diff::composite`.
//!
//! ```toml
//! [composite_types.address]
//! comment = "A postal address"
//!
//! [composite_types.address.attributes]
//! street = "text"
//! zip    = { type = "text", collation = "C" }
//! ```
//!
//! Attributes are written like columns (`name = "type"` or `name = { type = ..., collation = ... }`), in
//! their order, which is the type's.

use std::fmt::Write;

use toml::de::DeValue;

use crate::domain::Domain;
use crate::dump::{comment_line, inline, qualified_key, toml_key, toml_string};
use crate::fragment::{FragmentKind, inert};
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, Key, Obj, ObjectPath, Val};
use crate::source::Diagnostic;
use crate::types::Schema;

/// A composite type (`CREATE TYPE name AS (...)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeType {
    pub name: QualifiedName,
    pub attributes: Vec<Attribute>,
    pub comment: Option<String>,
    /// The types defined in the database its attributes are of (element types for arrays), from the catalog;
    /// empty as written.
    pub uses: Vec<QualifiedName>,
}

/// An attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    /// The type as SQL text, as for a column.
    pub data_type: String,
    /// A collation other than the type's default.
    pub collation: Option<String>,
}

impl CompositeType {
    pub fn new(name: QualifiedName) -> Self {
        CompositeType {
            name,
            attributes: Vec::new(),
            comment: None,
            uses: Vec::new(),
        }
    }
}

pub(crate) const COMPOSITE_KEYS: &[&str] = &["attributes", "comment", "grants", "owner"];
const ATTRIBUTE_KEYS: &[&str] = &["type", "collation"];

impl Decoder {
    /// One entry of `[composite_types]`.
    pub(crate) fn composite_type(&mut self, k: &Key, v: &Val) -> Option<CompositeType> {
        let name = self.declare("composite_types", "composite type", k)?;
        let what = format!("composite type `{name}`");
        let obj = self.element(
            ObjectPath::CompositeType(name.clone()),
            k.span(),
            v,
            what.clone(),
            "write `[composite_types.name.attributes]` with `attr = \"type\"` lines",
            COMPOSITE_KEYS,
        )?;
        let mut t = CompositeType::new(name);
        t.comment = self.opt_string(&obj, "comment");
        match obj.get("attributes") {
            None => self.error(
                Diagnostic::new(k.span(), format!("{what} has no `attributes`"))
                    .label("`attributes` is missing")
                    .help(
                        "add `[composite_types.<name>.attributes]` with `street = \"text\"` lines",
                    ),
            ),
            Some(list) => match list.get_ref() {
                DeValue::Table(attrs) => {
                    self.record(&obj, "attributes", list.span());
                    for (ak, av) in attrs.iter() {
                        if let Some(a) = self.attribute(&obj, &what, ak, av) {
                            t.attributes.push(a);
                        }
                    }
                }
                _ => self.error(
                    Diagnostic::new(
                        list.span(),
                        format!("`attributes` of {what} must be a table of `name = \"type\"`"),
                    )
                    .help("write `attributes = { street = \"text\", zip = \"text\" }`"),
                ),
            },
        }
        self.grants(&obj, crate::grant::GrantTarget::Type(t.name.clone()));
        self.owner(&obj, crate::grant::GrantTarget::Type(t.name.clone()));
        Some(t)
    }

    fn attribute(&mut self, parent: &Obj, what: &str, k: &Key, v: &Val) -> Option<Attribute> {
        let name = k.get_ref().to_string();
        let field = format!("attributes.{name}");
        let awhat = format!("attribute `{name}` of {what}");
        self.record(parent, &field, k.span());
        if let DeValue::String(ty) = v.get_ref() {
            self.record(parent, &format!("{field}.type"), v.span());
            return Some(Attribute {
                name,
                data_type: ty.trim().to_string(),
                collation: None,
            });
        }
        let DeValue::Table(t) = v.get_ref() else {
            self.error(
                Diagnostic::new(v.span(), format!("{awhat} must be a string or a table")).help(
                    "write `name = \"text\"` or `name = { type = \"text\", collation = \"C\" }`",
                ),
            );
            return None;
        };
        let obj = Obj {
            table: t,
            what: awhat.clone(),
            path: parent
                .path
                .as_ref()
                .map(|(p, _)| (p.clone(), field.clone())),
        };
        self.check_keys(&obj, ATTRIBUTE_KEYS);
        let data_type = self.opt_string(&obj, "type");
        if data_type.is_none() && obj.get("type").is_none() {
            self.error(
                Diagnostic::new(k.span(), format!("{awhat} has no type"))
                    .help("add `type = \"...\"`, e.g. `type = \"text\"`"),
            );
        }
        Some(Attribute {
            name,
            data_type: data_type.unwrap_or_default().trim().to_string(),
            collation: self.opt_string(&obj, "collation"),
        })
    }
}

/// `attr type [COLLATE c]`.
pub fn attribute_definition(a: &Attribute) -> String {
    let mut sql = format!("{} {}", quote_ident(&a.name), inert(&a.data_type));
    if let Some(c) = &a.collation {
        let _ = write!(sql, " COLLATE {}", crate::render::dotted(c));
    }
    sql
}

/// `CREATE TYPE name AS (...)`.
pub fn create_composite(t: &CompositeType) -> String {
    let attrs: Vec<String> = t.attributes.iter().map(attribute_definition).collect();
    format!("CREATE TYPE {} AS ({})", t.name.sql(), attrs.join(", "))
}

/// `COMMENT ON TYPE name IS ...`.
pub fn comment_on_composite(t: &CompositeType, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON TYPE {} IS {}",
        t.name.sql(),
        comment.as_deref().map_or("NULL".into(), quote_literal)
    )
}

/// A domain or a composite type, for ordering their creation together.
enum Made<'a> {
    Domain(&'a Domain),
    Composite(&'a CompositeType),
}

impl Made<'_> {
    fn name(&self) -> &QualifiedName {
        match self {
            Made::Domain(d) => &d.name,
            Made::Composite(c) => &c.name,
        }
    }

    /// Whether it is made of `other`: by the catalog's `uses` once read, by the type names as written.
    fn needs(&self, other: &QualifiedName) -> bool {
        let (uses, types): (&[QualifiedName], Vec<&str>) = match self {
            Made::Domain(d) => (&d.uses, vec![d.data_type.as_str()]),
            Made::Composite(c) => (
                &c.uses,
                c.attributes.iter().map(|a| a.data_type.as_str()).collect(),
            ),
        };
        if other == self.name() {
            return false;
        }
        if !uses.is_empty() {
            return uses.contains(other);
        }
        let names = [other.to_string(), other.sql(), other.name.clone()];
        types
            .iter()
            .any(|t| names.iter().any(|n| t.trim_end_matches("[]") == n))
    }
}

/// The CREATE statements of the domains and composite types of `schema`, each after the types it is made
/// of (a domain in a composite, a domain over a composite), else in the order of schema.toml.
pub fn create_types(schema: &Schema) -> Vec<(ObjectPath, String)> {
    let mut left: Vec<Made> = schema
        .domains
        .iter()
        .map(Made::Domain)
        .chain(schema.composite_types.iter().map(Made::Composite))
        .collect();
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let i = left
            .iter()
            .position(|m| !left.iter().any(|o| m.needs(o.name())))
            .unwrap_or(0);
        out.push(match left.remove(i) {
            Made::Domain(d) => (
                ObjectPath::Domain(d.name.clone()),
                crate::domain::create_domain(d),
            ),
            Made::Composite(c) => (
                ObjectPath::CompositeType(c.name.clone()),
                create_composite(c),
            ),
        });
    }
    out
}

/// The schema.toml text of `t`.
pub(crate) fn dump(out: &mut String, t: &CompositeType, owner: Option<&str>) {
    let key = qualified_key(&t.name);
    if t.comment.is_some() || t.attributes.is_empty() || owner.is_some() {
        let _ = writeln!(out, "[composite_types.{key}]");
        crate::owner::line(out, owner);
        comment_line(out, &t.comment);
        if t.attributes.is_empty() {
            out.push_str("attributes = {}\n");
        }
        out.push('\n');
    }
    if t.attributes.is_empty() {
        return;
    }
    let _ = writeln!(out, "[composite_types.{key}.attributes]");
    let keys: Vec<String> = t.attributes.iter().map(|a| toml_key(&a.name)).collect();
    let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
    for (a, k) in t.attributes.iter().zip(&keys) {
        let mut pairs = vec![("type", toml_string(&a.data_type))];
        if let Some(c) = &a.collation {
            pairs.push(("collation", toml_string(c)));
        }
        let pad = width - k.chars().count();
        let _ = writeln!(out, "{k}{} = {}", " ".repeat(pad), inline(&pairs));
    }
    out.push('\n');
}

/// The checks of the model stage: names, types.
pub(crate) fn check(c: &mut crate::validate::Checker, t: &CompositeType) {
    let p = ObjectPath::CompositeType(t.name.clone());
    let what = format!("composite type `{}`", t.name);
    c.name(&p, "", &what, &t.name.name);
    for a in &t.attributes {
        let f = format!("attributes.{}", a.name);
        let awhat = format!("attribute `{}` of {what}", a.name);
        c.name(&p, &f, &awhat, &a.name);
        if a.data_type.is_empty() {
            if c.spans.has_field(&p, &format!("{f}.type")) {
                c.err(&p, &f, format!("{awhat} has an empty type")).help =
                    Some("write its type, e.g. `type = \"text\"`".into());
            }
        } else {
            c.fragment(
                &p,
                &format!("{f}.type"),
                &format!("the type of {awhat}"),
                Some(&a.data_type),
                FragmentKind::TypeName,
            );
        }
        if let Some(coll) = &a.collation {
            c.name(&p, &f, &format!("the collation of {awhat}"), coll);
        }
    }
    c.no_nul(&p, "comment", "the comment", t.comment.as_deref());
}
