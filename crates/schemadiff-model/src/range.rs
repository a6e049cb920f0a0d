//! Range types, in one place for the model stage: the type, its schema.toml form (decoding and dump), its
//! CREATE DDL and its checks. Introspection is `schemadiff_catalog::range`, the diff
//! `schemadiff_diff::diff::range`.
//!
//! ```toml
//! [range_types.float_range]
//! subtype = "float8"
//! subtype_diff = "float8mi"
//! multirange_type_name = "float_multirange"
//! ```
//!
//! `subtype_diff` names a built-in function (`float8mi`) or one of `[functions]` (`public.time_diff`, read
//! back with its schema), which is then created before the range type. A `canonical` function needs a shell
//! type, which the model does not hold: such range types are reported as not modelled
//! (`schemadiff_catalog::unsupported`).

use std::fmt::Write;

use crate::dump::{comment_line, qualified_key, toml_string};
use crate::fragment::FragmentKind;
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, Key, ObjectPath, Val};
use crate::render::dotted;
use crate::source::Diagnostic;

/// A range type (`CREATE TYPE name AS RANGE (...)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeType {
    pub name: QualifiedName,
    /// The subtype as SQL text (`numeric`, `timestamptz`, an enum).
    pub subtype: String,
    /// An operator class other than the subtype's default b-tree one.
    pub subtype_opclass: Option<String>,
    /// A collation other than the subtype's.
    pub collation: Option<String>,
    /// A function giving the difference of two subtype values as `float8`: a built-in one (`float8mi`) or
    /// one of the database's own, with its schema as read from a catalog (`public.time_diff`).
    pub subtype_diff: Option<String>,
    /// The name of its multirange type (PostgreSQL 14 and later) when not the default one
    /// ([`default_multirange_name`]), in the range type's schema.
    pub multirange_type_name: Option<String>,
    pub comment: Option<String>,
    /// The types defined in the database it is made of (its subtype), from the catalog; empty as written.
    pub uses: Vec<QualifiedName>,
}

impl RangeType {
    pub fn new(name: QualifiedName, subtype: impl Into<String>) -> Self {
        RangeType {
            name,
            subtype: subtype.into(),
            subtype_opclass: None,
            collation: None,
            subtype_diff: None,
            multirange_type_name: None,
            comment: None,
            uses: Vec::new(),
        }
    }

    /// The functions of `functions` its `subtype_diff` may name: those of that name, in the schema given
    /// (any schema when none is given, as search_path may find it).
    pub fn subtype_diff_functions<'a>(
        &self,
        functions: &'a [crate::function::Function],
    ) -> Vec<&'a crate::function::Function> {
        let Some(Ok((schema, name))) = self
            .subtype_diff
            .as_deref()
            .map(QualifiedName::parse_reference)
        else {
            return Vec::new();
        };
        functions
            .iter()
            .filter(|f| f.name.name == name && schema.as_ref().is_none_or(|s| *s == f.name.schema))
            .collect()
    }

    /// The multirange type's name: the one given, else PostgreSQL's default.
    pub fn multirange_name(&self) -> QualifiedName {
        QualifiedName::new(
            self.name.schema.clone(),
            self.multirange_type_name
                .clone()
                .unwrap_or_else(|| default_multirange_name(&self.name.name)),
        )
    }
}

/// PostgreSQL's name for the multirange type of a range type: the first `range` of the name becomes
/// `multirange`, else `_multirange` is appended.
pub fn default_multirange_name(range: &str) -> String {
    match range.find("range") {
        Some(i) => format!("{}multi{}", &range[..i], &range[i..]),
        None => format!("{range}_multirange"),
    }
}

pub(crate) const RANGE_KEYS: &[&str] = &[
    "subtype",
    "subtype_opclass",
    "collation",
    "subtype_diff",
    "multirange_type_name",
    "comment",
    "grants",
    "owner",
];

impl Decoder {
    /// One entry of `[range_types]`.
    pub(crate) fn range_type(&mut self, k: &Key, v: &Val) -> Option<RangeType> {
        let name = self.declare("range_types", "range type", k)?;
        let what = format!("range type `{name}`");
        let obj = self.element(
            ObjectPath::RangeType(name.clone()),
            k.span(),
            v,
            what.clone(),
            "write `[range_types.name]` with `subtype = \"...\"`",
            RANGE_KEYS,
        )?;
        let subtype = match self.string(&obj, "subtype") {
            Some(t) => t.into_inner().trim().to_string(),
            None => {
                if obj.get("subtype").is_none() {
                    self.error(
                        Diagnostic::new(k.span(), format!("{what} has no `subtype`"))
                            .label("`subtype` is missing")
                            .help("add the type of its bounds, e.g. `subtype = \"numeric\"`"),
                    );
                }
                String::new()
            }
        };
        let mut r = RangeType::new(name, subtype);
        r.subtype_opclass = self.opt_string(&obj, "subtype_opclass");
        r.collation = self.opt_string(&obj, "collation");
        r.subtype_diff = self.opt_string(&obj, "subtype_diff");
        r.multirange_type_name = self.opt_string(&obj, "multirange_type_name");
        r.comment = self.opt_string(&obj, "comment");
        self.grants(&obj, crate::grant::GrantTarget::Type(r.name.clone()));
        self.owner(&obj, crate::grant::GrantTarget::Type(r.name.clone()));
        Some(r)
    }
}

/// `CREATE TYPE name AS RANGE (...)` (a `multirange_type_name` needs PostgreSQL 14).
pub fn create_range(r: &RangeType) -> String {
    let mut sql = format!(
        "CREATE TYPE {} AS RANGE (subtype = {}",
        r.name.sql(),
        crate::fragment::inert(&r.subtype)
    );
    if let Some(o) = &r.subtype_opclass {
        let _ = write!(sql, ", subtype_opclass = {}", dotted(o));
    }
    if let Some(c) = &r.collation {
        let _ = write!(sql, ", collation = {}", dotted(c));
    }
    if let Some(f) = &r.subtype_diff {
        let _ = write!(sql, ", subtype_diff = {}", dotted(f));
    }
    if let Some(m) = &r.multirange_type_name {
        let _ = write!(
            sql,
            ", multirange_type_name = {}.{}",
            quote_ident(&r.name.schema),
            quote_ident(m)
        );
    }
    sql.push(')');
    sql
}

/// `COMMENT ON TYPE name IS ...`.
pub fn comment_on_range(r: &RangeType, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON TYPE {} IS {}",
        r.name.sql(),
        comment.as_deref().map_or("NULL".into(), quote_literal)
    )
}

/// The schema.toml text of `r`.
pub(crate) fn dump(out: &mut String, r: &RangeType, owner: Option<&str>) {
    let _ = writeln!(out, "[range_types.{}]", qualified_key(&r.name));
    crate::owner::line(out, owner);
    let _ = writeln!(out, "subtype = {}", toml_string(&r.subtype));
    for (k, v) in [
        ("subtype_opclass", &r.subtype_opclass),
        ("collation", &r.collation),
        ("subtype_diff", &r.subtype_diff),
        ("multirange_type_name", &r.multirange_type_name),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "{k} = {}", toml_string(v));
        }
    }
    comment_line(out, &r.comment);
    out.push('\n');
}

/// The checks of the model stage: names, the subtype.
pub(crate) fn check(c: &mut crate::validate::Checker, r: &RangeType) {
    let p = ObjectPath::RangeType(r.name.clone());
    let what = format!("range type `{}`", r.name);
    c.name(&p, "", &what, &r.name.name);
    if r.subtype.is_empty() {
        if c.spans.has_field(&p, "subtype") {
            c.err(&p, "subtype", format!("{what} has an empty subtype"))
                .help = Some("write the type of its bounds, e.g. `subtype = \"numeric\"`".into());
        }
    } else {
        c.fragment(
            &p,
            "subtype",
            &format!("the subtype of {what}"),
            Some(&r.subtype),
            FragmentKind::TypeName,
        );
    }
    for (field, v) in [
        ("subtype_opclass", &r.subtype_opclass),
        ("collation", &r.collation),
        ("subtype_diff", &r.subtype_diff),
    ] {
        if let Some(v) = v {
            if QualifiedName::parse_reference(v).is_err() {
                c.err(&p, field, format!("`{field}` of {what} is not a name"))
                    .help = Some(
                    "write a name, optionally with its schema: `name` or `schema.name`".into(),
                );
            }
        }
    }
    if let Some(m) = &r.multirange_type_name {
        c.name(
            &p,
            "multirange_type_name",
            &format!("the multirange type of {what}"),
            m,
        );
    }
    c.no_nul(&p, "comment", "the comment", r.comment.as_deref());
}
