//! Row-level security policies, the catalog stage: one query reads every policy of a table from
//! `pg_policy`, its expressions as the server prints them (`pg_get_expr` under the session's
//! `search_path = public`), its roles by name (PUBLIC as `public`), and what its expressions use from
//! `pg_depend` (functions, columns, tables). The tables' `relrowsecurity` and `relforcerowsecurity` are read
//! with the tables. The model is `schemadiff_model::policy`, the diff `schemadiff_diff::policy`.

use schemadiff_model::{Policy, QualifiedName};
use tokio_postgres::Row;

use crate::introspect::{NAMESPACE_FILTER, strip_outer_parens};

/// The query; `$1` is the schema filter.
pub(crate) fn query() -> String {
    let (uses, uses_joins) =
        crate::function::object("dp.refclassid", "dp.refobjid", "dp.refobjsubid");
    format!(
        "SELECT n.nspname::text, c.relname::text, p.polname::text, NOT p.polpermissive, p.polcmd::text, \
                array(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.oid)::text END \
                      FROM unnest(p.polroles) r(oid) ORDER BY 1), \
                pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), \
                d.description, \
                array(SELECT DISTINCT {uses} FROM pg_catalog.pg_depend dp {uses_joins} \
                      WHERE dp.classid = 'pg_policy'::regclass AND dp.objid = p.oid AND dp.deptype = 'n' ORDER BY 1) \
         FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass \
         WHERE c.relkind IN ('r', 'p') AND {NAMESPACE_FILTER} AND {} ORDER BY 1, 2, 3",
        crate::introspect::not_in_extension("pg_class", "c.oid")
    )
}

/// The policies of the rows of [`query`].
pub(crate) fn from_rows(rows: &[Row]) -> Vec<Policy> {
    rows.iter()
        .map(|r| Policy {
            table: QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            name: r.get(2),
            restrictive: r.get(3),
            command: match r.get::<_, String>(4).as_str() {
                "r" => "select",
                "a" => "insert",
                "w" => "update",
                "d" => "delete",
                _ => "all",
            }
            .into(),
            roles: r.get(5),
            using: r
                .get::<_, Option<String>>(6)
                .map(|e| strip_outer_parens(&e).to_string()),
            with_check: r
                .get::<_, Option<String>>(7)
                .map(|e| strip_outer_parens(&e).to_string()),
            comment: r.get(8),
            uses: r
                .get::<_, Vec<Option<String>>>(9)
                .iter()
                .flatten()
                .filter_map(|u| crate::function::parse_use(u))
                .collect(),
        })
        .collect()
}

/// The roles `policies` and `grants` name, but PUBLIC and the predefined `pg_*` roles, sorted: what a
/// schema refers to outside itself (`Schema::roles`).
pub fn referenced_roles(
    policies: &[Policy],
    grants: &[schemadiff_model::ObjectGrants],
) -> Vec<String> {
    let mut out: Vec<String> = policies
        .iter()
        .flat_map(|p| &p.roles)
        .chain(crate::grant::grantees(grants))
        .filter(|r| *r != schemadiff_model::policy::PUBLIC && !r.starts_with("pg_"))
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The roles of `roles` that the server lacks.
pub async fn missing_roles(
    client: &tokio_postgres::Client,
    roles: &[String],
) -> Result<Vec<String>, tokio_postgres::Error> {
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    Ok(client
        .query(
            "SELECT r FROM unnest($1::text[]) r WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r)",
            &[&roles],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Create each role of `roles` that the server lacks, NOLOGIN (scratch servers only: plans never create
/// roles). Another session creating one at the same moment is not an error.
pub async fn ensure_roles(
    client: &tokio_postgres::Client,
    roles: &[String],
) -> Result<(), tokio_postgres::Error> {
    for r in missing_roles(client, roles).await? {
        let sql = format!("CREATE ROLE {} NOLOGIN", schemadiff_model::quote_ident(&r));
        if let Err(e) = client.batch_execute(&sql).await {
            if !matches!(
                e.code(),
                Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT)
                    | Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
            ) {
                return Err(e);
            }
        }
    }
    Ok(())
}

/// The role a statement of a policy (`origin`) names and the server lacks, from its error.
pub(crate) fn missing_role(
    origin: &schemadiff_model::ObjectPath,
    e: &tokio_postgres::Error,
) -> Option<String> {
    if !matches!(
        origin,
        schemadiff_model::ObjectPath::Policy(..)
            | schemadiff_model::ObjectPath::Grants(..)
            | schemadiff_model::ObjectPath::Owner(..)
    ) {
        return None;
    }
    role_of_error(e)
}

/// The role of a `role "x" does not exist` error.
pub fn role_of_error(e: &tokio_postgres::Error) -> Option<String> {
    let db = e.as_db_error()?;
    if db.code() != &tokio_postgres::error::SqlState::UNDEFINED_OBJECT {
        return None;
    }
    let m = db.message();
    let rest = m.strip_prefix("role \"")?;
    rest.strip_suffix("\" does not exist").map(str::to_string)
}

/// How to declare `role` in schema.toml.
pub fn declare_role_help(role: &str) -> String {
    format!(
        "declare it in schema.toml: `[roles]` with the line `{} = {{}}` (scratch databases then create it; plans never create roles on a live database)",
        schemadiff_model::dump::toml_key(role)
    )
}
