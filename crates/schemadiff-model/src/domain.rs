//! Domains, in one place for the model stage: the type, its schema.toml form (decoding and dump), its CREATE
//! DDL and its checks. Introspection is `schemadiff_catalog::domain`, the diff `schemadiff_diff::diff::domain`.
//!
//! ```toml
//! [domains.positive_amount]
//! type = "numeric(12,2)"
//! default = "0"
//! not_null = true
//! checks = [{ name = "positive", expression = "VALUE > 0" }]
//! comment = "An amount of money, never negative"
//! ```
//!
//! The base type, the default and each check are SQL fragments, lexed like every other (no `;`, nothing that
//! ends the element); the server prints them back in its own form, which is what dump writes and the diff
//! compares.

use std::fmt::Write;

use crate::dump::{comment_line, flag, qualified_key, toml_string};
use crate::fragment::{FragmentKind, inert};
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, Key, Obj, ObjectPath, Val};
use crate::source::Diagnostic;

/// A domain: a base type with a default, NOT NULL and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub name: QualifiedName,
    /// The base type as SQL text (`numeric(12,2)`, `billing.code`).
    pub data_type: String,
    pub default: Option<String>,
    pub not_null: bool,
    /// A collation other than the base type's.
    pub collation: Option<String>,
    pub checks: Vec<DomainCheck>,
    pub comment: Option<String>,
    /// The types defined in the database that the domain is made of (its base type, when that is a domain,
    /// an enum, ...), from the catalog (`pg_type.typbasetype`); empty as written.
    pub uses: Vec<QualifiedName>,
}

/// A CHECK constraint of a domain (`VALUE` is the value checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainCheck {
    /// `None`: PostgreSQL's name (`<domain>_check`); always named once read from a catalog.
    pub name: Option<String>,
    pub expression: String,
}

impl Domain {
    pub fn new(name: QualifiedName, data_type: impl Into<String>) -> Self {
        Domain {
            name,
            data_type: data_type.into(),
            default: None,
            not_null: false,
            collation: None,
            checks: Vec::new(),
            comment: None,
            uses: Vec::new(),
        }
    }
}

pub(crate) const DOMAIN_KEYS: &[&str] = &[
    "type",
    "default",
    "not_null",
    "collation",
    "checks",
    "comment",
    "grants",
    "owner",
];
const DOMAIN_CHECK_KEYS: &[&str] = &["name", "expression"];

impl Decoder {
    /// One entry of `[domains]`.
    pub(crate) fn domain(&mut self, k: &Key, v: &Val) -> Option<Domain> {
        // Domains share the namespace of types with enums (checked by `validate`).
        let name = self.declare("domains", "domain", k)?;
        let what = format!("domain `{name}`");
        let obj = self.element(
            ObjectPath::Domain(name.clone()),
            k.span(),
            v,
            what.clone(),
            "write `[domains.name]` with `type = \"integer\"`",
            DOMAIN_KEYS,
        )?;
        let data_type = match self.string(&obj, "type") {
            Some(t) => t.into_inner().trim().to_string(),
            None => {
                if obj.get("type").is_none() {
                    self.error(
                        Diagnostic::new(k.span(), format!("{what} has no `type`"))
                            .label("`type` is missing")
                            .help("add its base type, e.g. `type = \"integer\"`"),
                    );
                }
                String::new()
            }
        };
        let mut d = Domain::new(name, data_type);
        d.default = self.opt_string(&obj, "default");
        d.not_null = self.boolean(&obj, "not_null");
        d.collation = self.opt_string(&obj, "collation");
        d.comment = self.opt_string(&obj, "comment");
        d.checks = self.array_of(&obj, "checks", |dec, i, item| {
            dec.domain_check(&obj, &what, i, item)
        });
        self.grants(&obj, crate::grant::GrantTarget::Type(d.name.clone()));
        self.owner(&obj, crate::grant::GrantTarget::Type(d.name.clone()));
        Some(d)
    }

    fn domain_check(&mut self, parent: &Obj, what: &str, i: usize, v: &Val) -> Option<DomainCheck> {
        let toml::de::DeValue::Table(t) = v.get_ref() else {
            self.error(
                Diagnostic::new(
                    v.span(),
                    format!("check #{} of {what} must be a table", i + 1),
                )
                .help("write `{ name = \"positive\", expression = \"VALUE > 0\" }`"),
            );
            return None;
        };
        let obj = Obj {
            table: t,
            what: format!("check #{} of {what}", i + 1),
            path: parent
                .path
                .as_ref()
                .map(|(p, _)| (p.clone(), format!("checks.{i}"))),
        };
        self.record(&obj, "", v.span());
        self.check_keys(&obj, DOMAIN_CHECK_KEYS);
        let expression = self.opt_string(&obj, "expression");
        if expression.is_none() && obj.get("expression").is_none() {
            self.error(
                Diagnostic::new(v.span(), format!("{} has no `expression`", obj.what))
                    .help("add `expression = \"VALUE > 0\"`"),
            );
        }
        Some(DomainCheck {
            name: self.opt_string(&obj, "name"),
            expression: expression.unwrap_or_default(),
        })
    }
}

/// The `CONSTRAINT name CHECK (...)` clause of a domain check.
pub fn domain_check_clause(c: &DomainCheck) -> String {
    let name = c
        .name
        .as_ref()
        .map(|n| format!("CONSTRAINT {} ", quote_ident(n)))
        .unwrap_or_default();
    format!("{name}CHECK ({})", inert(&c.expression))
}

/// `CREATE DOMAIN ...` for `d`.
pub fn create_domain(d: &Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", d.name.sql(), inert(&d.data_type));
    if let Some(c) = &d.collation {
        let _ = write!(sql, " COLLATE {}", crate::render::dotted(c));
    }
    if let Some(v) = &d.default {
        let _ = write!(sql, " DEFAULT {}", inert(v));
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for c in &d.checks {
        sql.push(' ');
        sql.push_str(&domain_check_clause(c));
    }
    sql
}

/// `COMMENT ON DOMAIN d IS ...`.
pub fn comment_on_domain(d: &Domain, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON DOMAIN {} IS {}",
        d.name.sql(),
        comment.as_deref().map_or("NULL".into(), quote_literal)
    )
}

/// `DROP DOMAIN d`.
pub fn drop_domain(d: &Domain) -> String {
    format!("DROP DOMAIN {}", d.name.sql())
}

/// Domains in an order that creates each after the domains it is made of: by `uses` once read from a
/// catalog; as written, a domain whose base type is the name of another one waits for it.
pub fn creation_order(domains: &[Domain]) -> Vec<&Domain> {
    let needs = |d: &Domain, o: &Domain| {
        o.name != d.name
            && (d.uses.contains(&o.name)
                || (d.uses.is_empty()
                    && [o.name.to_string(), o.name.sql(), o.name.name.clone()]
                        .contains(&d.data_type)))
    };
    let mut done: Vec<&Domain> = Vec::with_capacity(domains.len());
    let mut left: Vec<&Domain> = domains.iter().collect();
    while !left.is_empty() {
        let i = left
            .iter()
            .position(|d| !left.iter().any(|o| needs(d, o)))
            .unwrap_or(0);
        done.push(left.remove(i));
    }
    done
}

/// The schema.toml text of `d`.
pub(crate) fn dump(out: &mut String, d: &Domain, owner: Option<&str>) {
    let key = qualified_key(&d.name);
    let _ = writeln!(out, "[domains.{key}]");
    crate::owner::line(out, owner);
    let _ = writeln!(out, "type = {}", toml_string(&d.data_type));
    if let Some(c) = &d.collation {
        let _ = writeln!(out, "collation = {}", toml_string(c));
    }
    if let Some(v) = &d.default {
        let _ = writeln!(out, "default = {}", toml_string(v));
    }
    flag(out, "not_null", d.not_null);
    if !d.checks.is_empty() {
        out.push_str("checks = [\n");
        for c in &d.checks {
            let name = c
                .name
                .as_ref()
                .map(|n| format!("name = {}, ", toml_string(n)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {{ {name}expression = {} }},",
                toml_string(&c.expression)
            );
        }
        out.push_str("]\n");
    }
    comment_line(out, &d.comment);
    out.push('\n');
}

/// The checks of the model stage: names, fragments.
pub(crate) fn check(c: &mut crate::validate::Checker, d: &Domain) {
    let p = ObjectPath::Domain(d.name.clone());
    let what = format!("domain `{}`", d.name);
    c.name(&p, "", &what, &d.name.name);
    if d.data_type.is_empty() {
        if c.spans.has_field(&p, "type") {
            c.err(&p, "type", format!("{what} has an empty type")).help =
                Some("write its base type, e.g. `type = \"integer\"`".into());
        }
    } else {
        c.fragment(
            &p,
            "type",
            &format!("the type of {what}"),
            Some(&d.data_type),
            FragmentKind::TypeName,
        );
    }
    c.fragment(
        &p,
        "default",
        &format!("the default of {what}"),
        d.default.as_deref(),
        FragmentKind::Expression,
    );
    if let Some(coll) = &d.collation {
        c.name(&p, "collation", &format!("the collation of {what}"), coll);
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, k) in d.checks.iter().enumerate() {
        let f = format!("checks.{i}");
        let cwhat = format!("check #{} of {what}", i + 1);
        if let Some(n) = &k.name {
            c.name(&p, &f, &cwhat, n);
            if !seen.insert(n) {
                c.err(&p, &f, format!("{cwhat} repeats the name `{n}`"))
                    .help = Some("give each check of a domain its own name".into());
            }
        }
        if k.expression.is_empty() {
            if c.spans.has_field(&p, &format!("{f}.expression")) {
                c.err(&p, &f, format!("{cwhat} has an empty expression"))
                    .help = Some("write a condition on VALUE, e.g. `VALUE > 0`".into());
            }
        } else {
            c.fragment(
                &p,
                &format!("{f}.expression"),
                &format!("the expression of {cwhat}"),
                Some(&k.expression),
                FragmentKind::Expression,
            );
        }
    }
    c.no_nul(&p, "comment", "the comment", d.comment.as_deref());
}
