//! Leaving objects to another tool: `--exclude-schema`, `--include` and `--exclude` (and `[filter]` in
//! schema.toml) name the tables, enums and sequences schemadiff must not touch.
//!
//! A filter applies to both sides alike. An object it leaves out is neither created, changed nor dropped: the
//! desired schema takes the current schema's version of it (or goes without it when the current schema has
//! none). The plan is still made and verified on whole schemas, so a kept table may reference a left-out one.

use std::borrow::Cow;

use globset::{Glob, GlobSet, GlobSetBuilder};
use schemadiff_model::{QualifiedName, Schema};

/// Which objects schemadiff manages.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    exclude_schemas: Vec<String>,
}

/// The patterns of a filter, from the command line and `[filter]`: globs (`*`, `?`, `[abc]`) matched against
/// `schema.name`, or against the name alone when a pattern has no dot.
#[derive(Debug, Clone, Default)]
pub struct FilterPatterns {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub exclude_schemas: Vec<String>,
}

fn glob_set(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| format!("the pattern `{p}` is not a glob: {e}"))?);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

impl Filter {
    pub fn new(patterns: &FilterPatterns) -> Result<Filter, String> {
        Ok(Filter {
            include: glob_set(&patterns.include)?,
            exclude: glob_set(&patterns.exclude)?,
            exclude_schemas: patterns.exclude_schemas.clone(),
        })
    }

    /// The filter of the command-line patterns together with `[filter]` of schema.toml.
    pub fn from_parts(cli: &FilterPatterns, schema: &Schema) -> Result<Filter, String> {
        let mut all = cli.clone();
        if let Some(f) = &schema.filter {
            all.include.extend(f.include.iter().cloned());
            all.exclude.extend(f.exclude.iter().cloned());
            all.exclude_schemas
                .extend(f.exclude_schemas.iter().cloned());
        }
        Filter::new(&all)
    }

    pub fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none() && self.exclude_schemas.is_empty()
    }

    /// Whether schemadiff manages the object named `name`.
    pub fn keeps(&self, name: &QualifiedName) -> bool {
        if self.exclude_schemas.contains(&name.schema) {
            return false;
        }
        let qualified = format!("{}.{}", name.schema, name.name);
        let matches = |set: &GlobSet| set.is_match(&qualified) || set.is_match(&name.name);
        if self.include.as_ref().is_some_and(|s| !matches(s)) {
            return false;
        }
        !self.exclude.as_ref().is_some_and(matches)
    }

    /// Whether schemadiff manages the schema (namespace) `name`.
    pub fn keeps_schema(&self, name: &str) -> bool {
        !self.exclude_schemas.iter().any(|s| s == name)
    }

    /// `desired`, with every object the filter leaves out as it is in `current`: what a plan between them
    /// leaves alone.
    pub fn overlay(&self, current: &Schema, desired: Schema) -> Schema {
        if self.is_empty() {
            return desired;
        }
        let mut out = desired;
        macro_rules! overlay {
            ($field:ident) => {{
                out.$field.retain(|o| self.keeps(&o.name));
                for o in &current.$field {
                    if !self.keeps(&o.name) {
                        out.$field.push(o.clone());
                    }
                }
            }};
        }
        overlay!(tables);
        overlay!(enums);
        overlay!(domains);
        overlay!(composite_types);
        overlay!(range_types);
        overlay!(sequences);
        overlay!(views);
        overlay!(functions);
        out.triggers.retain(|o| self.keeps(&o.relation));
        for o in &current.triggers {
            if !self.keeps(&o.relation) {
                out.triggers.push(o.clone());
            }
        }
        out.policies.retain(|o| self.keeps(&o.table));
        out.policies.extend(
            current
                .policies
                .iter()
                .filter(|o| !self.keeps(&o.table))
                .cloned(),
        );
        // A schema stays as it is when it is left out, or holds an object that is.
        let holds_left_out = |schema: &str| {
            let left = |n: &QualifiedName| n.schema == schema && !self.keeps(n);
            current.tables.iter().any(|o| left(&o.name))
                || current.enums.iter().any(|o| left(&o.name))
                || current.domains.iter().any(|o| left(&o.name))
                || current.composite_types.iter().any(|o| left(&o.name))
                || current.range_types.iter().any(|o| left(&o.name))
                || current.sequences.iter().any(|o| left(&o.name))
                || current.views.iter().any(|o| left(&o.name))
                || current.functions.iter().any(|o| left(&o.name))
        };
        let untouched = |name: &str| !self.keeps_schema(name) || holds_left_out(name);
        out.schemas.retain(|s| !untouched(&s.name));
        for s in &current.schemas {
            if untouched(&s.name) {
                out.schemas.push(s.clone());
            }
        }
        let kept = |t: &schemadiff_model::GrantTarget| match (t, t.name()) {
            (_, Some(q)) => self.keeps(q),
            (schemadiff_model::GrantTarget::Schema(s), None)
            | (schemadiff_model::GrantTarget::Default(_, Some(s), _), None) => !untouched(s),
            _ => true,
        };
        out.grants.retain(|g| kept(&g.target));
        out.grants
            .extend(current.grants.iter().filter(|g| !kept(&g.target)).cloned());
        out.grants.sort_by(|a, b| a.target.cmp(&b.target));
        out.owners.retain(|o| kept(&o.target));
        out.owners
            .extend(current.owners.iter().filter(|o| !kept(&o.target)).cloned());
        out.owners.sort();
        out
    }

    /// [`overlay`](Self::overlay) without copying `desired` when the filter leaves nothing out (then the overlay
    /// is `desired` itself).
    pub fn overlay_borrowed<'a>(&self, current: &Schema, desired: &'a Schema) -> Cow<'a, Schema> {
        if self.is_empty() {
            Cow::Borrowed(desired)
        } else {
            Cow::Owned(self.overlay(current, desired.clone()))
        }
    }

    /// `schema` without the objects the filter leaves out (for `dump`).
    pub fn retain(&self, schema: &Schema) -> Schema {
        self.retain_owned(schema.clone())
    }

    /// [`Filter::retain`] in place: no copy of the schema (a dump of 10,000 tables holds it once).
    pub fn retain_owned(&self, schema: Schema) -> Schema {
        let mut out = schema;
        out.tables.retain(|o| self.keeps(&o.name));
        out.enums.retain(|o| self.keeps(&o.name));
        out.domains.retain(|o| self.keeps(&o.name));
        out.composite_types.retain(|o| self.keeps(&o.name));
        out.range_types.retain(|o| self.keeps(&o.name));
        out.sequences.retain(|o| self.keeps(&o.name));
        out.views.retain(|o| self.keeps(&o.name));
        out.functions.retain(|o| self.keeps(&o.name));
        out.triggers.retain(|o| self.keeps(&o.relation));
        out.policies.retain(|o| self.keeps(&o.table));
        out.schemas.retain(|s| self.keeps_schema(&s.name));
        out.grants.retain(|g| match (&g.target, g.target.name()) {
            (_, Some(q)) => self.keeps(q),
            (schemadiff_model::GrantTarget::Schema(s), None)
            | (schemadiff_model::GrantTarget::Default(_, Some(s), _), None) => self.keeps_schema(s),
            _ => true,
        });
        out.owners.retain(|o| match (&o.target, o.target.name()) {
            (_, Some(q)) => self.keeps(q),
            (schemadiff_model::GrantTarget::Schema(s), None) => self.keeps_schema(s),
            _ => true,
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str, n: &str) -> QualifiedName {
        QualifiedName::new(s, n)
    }

    #[test]
    fn patterns_match_qualified_names_or_bare_ones() {
        let f = Filter::new(&FilterPatterns {
            include: vec![],
            exclude: vec!["audit_*".into(), "billing.tmp_?".into()],
            exclude_schemas: vec!["legacy".into()],
        })
        .unwrap();
        assert!(!f.keeps(&q("public", "audit_log")));
        assert!(!f.keeps(&q("crm", "audit_x")));
        assert!(!f.keeps(&q("billing", "tmp_1")));
        assert!(f.keeps(&q("billing", "tmp_12")));
        assert!(!f.keeps(&q("legacy", "users")));
        assert!(f.keeps(&q("public", "users")));
        let only = Filter::new(&FilterPatterns {
            include: vec!["app.*".into()],
            ..Default::default()
        })
        .unwrap();
        assert!(only.keeps(&q("app", "users")));
        assert!(!only.keeps(&q("public", "users")));
        assert!(
            Filter::new(&FilterPatterns {
                exclude: vec!["[".into()],
                ..Default::default()
            })
            .is_err()
        );
    }

    #[test]
    fn grants_of_left_out_objects_stay_as_they_are() {
        use schemadiff_model::{GrantTarget, ObjectGrants, Privilege, Table};
        let f = Filter::new(&FilterPatterns {
            exclude: vec!["audit_*".into()],
            ..Default::default()
        })
        .unwrap();
        let grants = |role: &str| {
            vec![
                ObjectGrants {
                    target: GrantTarget::Table(q("public", "audit_log")),
                    privileges: vec![Privilege {
                        grantee: role.into(),
                        privilege: "select".into(),
                        grant_option: false,
                    }],
                },
                ObjectGrants {
                    target: GrantTarget::Table(q("public", "users")),
                    privileges: vec![Privilege {
                        grantee: role.into(),
                        privilege: "insert".into(),
                        grant_option: false,
                    }],
                },
            ]
        };
        let tables = vec![
            Table::new(q("public", "audit_log")).into(),
            Table::new(q("public", "users")).into(),
        ];
        let current = Schema {
            tables: tables.clone(),
            grants: grants("old"),
            ..Default::default()
        };
        let desired = Schema {
            tables,
            grants: grants("new"),
            ..Default::default()
        };
        let out = f.overlay(&current, desired.clone());
        let by_table: Vec<(&str, &str)> = out
            .grants
            .iter()
            .map(|g| {
                (
                    g.target.name().unwrap().name.as_str(),
                    g.privileges[0].grantee.as_str(),
                )
            })
            .collect();
        assert_eq!(by_table, [("audit_log", "old"), ("users", "new")]);
        let kept = f.retain(&desired);
        assert_eq!(kept.grants.len(), 1);
        assert_eq!(
            kept.grants[0].target,
            GrantTarget::Table(q("public", "users"))
        );
    }
}
