//! Ownership (ALTER ... OWNER TO), the model stage, opt-in: only with `[migrations] manage_ownership =
//! true` are owners read, compared and written. Schemas, tables (partitioned ones too), views, materialized
//! views, sequences (but those owned by a column, which follow their table), functions, procedures, enums,
//! domains, composite and range types take an `owner` key naming a role declared in `[roles]`:
//!
//! ```toml
//! [roles]
//! app_owner = {}
//!
//! [migrations]
//! manage_ownership = true
//!
//! [tables.documents]
//! owner = "app_owner"
//! columns = [{ name = "id", type = "bigint" }]
//! ```
//!
//! An object without `owner` keeps whatever owner it has. The schema keeps one list
//! ([`crate::Schema::owners`]) of the objects whose owner is stated, by their [`GrantTarget`]; the catalog
//! reads owners with each kind's query (`pg_get_userbyid`), the diff is `schemadiff_diff::owner`.

use crate::grant::GrantTarget;
use crate::ident::quote_ident;
use crate::load::{Decoder, Obj, ObjectPath};

/// The owner of one object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectOwner {
    pub target: GrantTarget,
    /// A role name.
    pub role: String,
}

/// The statement that gives the object of `target` to `role` (`schema`, which holds the object, tells a
/// materialized view from a view and a domain from another type); `None` for a kind whose owner is not
/// modelled (a column, default privileges).
pub fn statement(schema: &crate::Schema, target: &GrantTarget, role: &str) -> Option<String> {
    let object = match target {
        GrantTarget::Table(q) => format!("TABLE {}", q.sql()),
        GrantTarget::View(q) => {
            let materialized = schema.views.iter().any(|v| &v.name == q && v.materialized);
            let kind = if materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            };
            format!("{kind} {}", q.sql())
        }
        GrantTarget::Type(q) if schema.domains.iter().any(|d| &d.name == q) => {
            format!("DOMAIN {}", q.sql())
        }
        // `SCHEMA s`, `TYPE t`, `SEQUENCE s`, `FUNCTION f(args)`, `PROCEDURE p(args)`: as GRANT names them.
        GrantTarget::Schema(_)
        | GrantTarget::Type(_)
        | GrantTarget::Sequence(_)
        | GrantTarget::Function(..) => target.sql(),
        GrantTarget::Column(..) | GrantTarget::Default(..) => return None,
    };
    Some(format!("ALTER {object} OWNER TO {}", quote_ident(role)))
}

/// The owner `schema` states for `target`.
pub fn owner_of<'a>(schema: &'a crate::Schema, target: &GrantTarget) -> Option<&'a str> {
    schema
        .owners
        .iter()
        .find(|o| &o.target == target)
        .map(|o| o.role.as_str())
}

/// Whether `schema` asks for owners to be managed (`[migrations] manage_ownership = true`).
pub fn managed(schema: &crate::Schema) -> bool {
    schema
        .migrations
        .as_ref()
        .is_some_and(|m| m.manage_ownership)
}

/// The statements that give a schema's objects their stated owners (after they are made).
pub fn create_statements(schema: &crate::Schema) -> Vec<(ObjectPath, String)> {
    schema
        .owners
        .iter()
        .filter_map(|o| {
            Some((
                ObjectPath::Owner(o.target.clone()),
                statement(schema, &o.target, &o.role)?,
            ))
        })
        .collect()
}

/// The `owner = "role"` line of an element, if it has an owner (`owner_of`).
pub(crate) fn line(out: &mut String, owner: Option<&str>) {
    if let Some(role) = owner {
        out.push_str(&format!("owner = {}\n", crate::dump::toml_string(role)));
    }
}

impl Decoder {
    /// The `owner` of an element (`obj`), for `target`, if written.
    pub(crate) fn owner(&mut self, obj: &Obj, target: GrantTarget) {
        let Some(role) = self.string(obj, "owner") else {
            return;
        };
        let path = ObjectPath::Owner(target.clone());
        self.spans.insert(path.clone(), "", role.span());
        self.spans.insert(path, "owner", role.span());
        self.owners.push(ObjectOwner {
            target,
            role: role.into_inner(),
        });
    }
}

/// Checks the owners of a schema: each object has one, named validly, and only with the opt-in.
pub(crate) fn check_all(c: &mut crate::validate::Checker, schema: &crate::Schema) {
    let on = managed(schema);
    let mut seen = std::collections::BTreeSet::new();
    for o in &schema.owners {
        let path = ObjectPath::Owner(o.target.clone());
        if !on {
            c.err(
                &path,
                "owner",
                format!(
                    "the owner of {} is written but ownership is not managed",
                    o.target.label()
                ),
            )
            .help =
                Some("set `manage_ownership = true` in `[migrations]`, or remove `owner`".into());
            continue;
        }
        if !seen.insert(&o.target) {
            c.err(
                &path,
                "owner",
                format!("the owner of {} is written twice", o.target.label()),
            );
        }
        c.name(
            &path,
            "owner",
            &format!("the owner of {}", o.target.label()),
            &o.role,
        );
        if let GrantTarget::Sequence(q) = &o.target {
            if schema
                .sequences
                .iter()
                .any(|s| &s.name == q && s.owned_by.is_some())
            {
                c.err(
                    &path,
                    "owner",
                    format!(
                        "{} is owned by a column: it has the owner of its table",
                        o.target.label()
                    ),
                )
                .help = Some("remove `owner`, and state the owner of the table".into());
            }
        }
        if let Some(g) = schema.grants.iter().find(|g| g.target == o.target) {
            if g.privileges.iter().any(|p| p.grantee == o.role) {
                c.err(
                    &path,
                    "owner",
                    format!(
                        "{} grants privileges to its own owner `{}`",
                        o.target.label(),
                        o.role
                    ),
                )
                .help = Some(
                    "an owner has every privilege on its object; remove the owner from `grants`"
                        .into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QualifiedName;

    #[test]
    fn owner_statements_quote_the_role() {
        let none = crate::Schema::default();
        let t = GrantTarget::Table(QualifiedName::new("app", "T"));
        assert_eq!(
            statement(&none, &t, "we\"ird").as_deref(),
            Some("ALTER TABLE app.\"T\" OWNER TO \"we\"\"ird\"")
        );
        assert_eq!(
            statement(
                &none,
                &GrantTarget::Column(QualifiedName::new("a", "t"), "c".into()),
                "r"
            ),
            None
        );
        // The kind of a view or a type comes from the schema that holds it.
        let loaded = crate::load_str(
            "schema.toml",
            "[materialized_views.m]\nquery = \"SELECT 1\"\n\n[views.v]\nquery = \"SELECT 1\"\n\n\
             [domains.d]\ntype = \"text\"\n\n[enums.e]\nvalues = [\"a\"]\n\n\
             [functions.\"f(a integer)\"]\nreturns = \"integer\"\nlanguage = \"sql\"\nbody = \"SELECT a\"\n",
        )
        .unwrap()
        .schema;
        let q = |n: &str| QualifiedName::new("public", n);
        for (target, sql) in [
            (
                GrantTarget::View(q("m")),
                "ALTER MATERIALIZED VIEW public.m OWNER TO r",
            ),
            (GrantTarget::View(q("v")), "ALTER VIEW public.v OWNER TO r"),
            (
                GrantTarget::Type(q("d")),
                "ALTER DOMAIN public.d OWNER TO r",
            ),
            (GrantTarget::Type(q("e")), "ALTER TYPE public.e OWNER TO r"),
            (
                GrantTarget::Sequence(q("s")),
                "ALTER SEQUENCE public.s OWNER TO r",
            ),
            (
                GrantTarget::Schema("app".into()),
                "ALTER SCHEMA app OWNER TO r",
            ),
            (
                GrantTarget::Function(q("f"), "integer".into(), false),
                "ALTER FUNCTION public.f(integer) OWNER TO r",
            ),
            (
                GrantTarget::Function(q("p"), "".into(), true),
                "ALTER PROCEDURE public.p() OWNER TO r",
            ),
        ] {
            assert_eq!(statement(&loaded, &target, "r").as_deref(), Some(sql));
        }
    }

    #[test]
    fn owners_need_the_opt_in_and_are_dumped_with_it() {
        let table = "[roles]\no = {}\n\n[tables.t]\nowner = \"o\"\ncolumns = { id = { type = \"integer\" } }\n";
        let err = crate::load_str("schema.toml", table)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ownership is not managed"), "{err}");
        let on = format!("[migrations]\nmanage_ownership = true\n\n{table}");
        let loaded = crate::load_str("schema.toml", &on).unwrap();
        let t = GrantTarget::Table(QualifiedName::new("public", "t"));
        assert_eq!(owner_of(&loaded.schema, &t), Some("o"));
        let dumped = crate::to_toml(&loaded.schema);
        assert!(dumped.contains("manage_ownership = true"), "{dumped}");
        assert!(dumped.contains("[tables.t]\nowner = \"o\""), "{dumped}");
        let again = crate::load_str("schema.toml", &dumped).unwrap();
        assert_eq!(again.schema.owners, loaded.schema.owners);
        // The owner's privileges are its own: `grants` cannot name it.
        let own = on.replace(
            "owner = \"o\"",
            "owner = \"o\"\ngrants = { o = [\"select\"] }",
        );
        let err = crate::load_str("schema.toml", &own)
            .unwrap_err()
            .to_string();
        assert!(err.contains("its own owner"), "{err}");
        // A sequence owned by a column has its table's owner.
        let owned = format!("{on}\n[sequences.t_id_seq]\nowner = \"o\"\nowned_by = \"t.id\"\n");
        let err = crate::load_str("schema.toml", &owned)
            .unwrap_err()
            .to_string();
        assert!(err.contains("owned by a column"), "{err}");
        assert!(err.contains("schema.toml:12:"), "{err}");
    }

    #[test]
    fn owners_of_every_kind_are_dumped_under_their_headers() {
        let text = "[roles]\no = {}\n\n[migrations]\nmanage_ownership = true\n\n\
                    [schemas.app]\nowner = \"o\"\n\n[schemas.public]\nowner = \"o\"\n\n\
                    [enums.e]\nowner = \"o\"\nvalues = [\"a\"]\n\n\
                    [domains.d]\nowner = \"o\"\ntype = \"text\"\n\n\
                    [composite_types.c]\nowner = \"o\"\nattributes = { a = { type = \"integer\" } }\n\n\
                    [range_types.r]\nowner = \"o\"\nsubtype = \"integer\"\n\n\
                    [sequences.s]\nowner = \"o\"\n\n\
                    [views.v]\nowner = \"o\"\nquery = \"SELECT 1\"\n\n\
                    [materialized_views.m]\nowner = \"o\"\nquery = \"SELECT 1\"\n\n\
                    [functions.\"f(a integer)\"]\nowner = \"o\"\nreturns = \"integer\"\nlanguage = \"sql\"\nbody = \"SELECT a\"\n\n\
                    [procedures.\"p()\"]\nowner = \"o\"\nlanguage = \"sql\"\nbody = \"SELECT 1\"\n";
        let loaded = crate::load_str("schema.toml", text).unwrap();
        assert_eq!(loaded.schema.owners.len(), 11);
        let dumped = crate::to_toml(&loaded.schema);
        let again = crate::load_str("schema.toml", &dumped).unwrap();
        assert_eq!(again.schema.owners, loaded.schema.owners, "{dumped}");
    }
}
