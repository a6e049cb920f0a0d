//! Privileges, the catalog stage, one place for every kind: each kind's one query reads its objects' ACL
//! as a last column ([`acl_column`]: `aclexplode` of the ACL, the owner's own entries aside, NULL when the
//! ACL is NULL, which means the defaults), and [`collect`] turns the rows into `Schema::grants`, keeping
//! only the objects whose privileges differ from what PostgreSQL gives a new one (`acldefault`). The model
//! is `schemadiff_model::grant`, the diff `schemadiff_diff::grant`.

use std::collections::BTreeSet;

use schemadiff_model::grant::{GrantTarget, ObjectGrants, PUBLIC, Privilege};
use tokio_postgres::Row;

/// The SQL of a column holding the privileges of `acl` (an `aclitem[]` expression) but those `owner` (an
/// oid expression) holds, as `grantee<US>privilege<US>grant option` texts; NULL for a NULL ACL.
pub(crate) fn acl_column(acl: &str, owner: &str) -> String {
    format!(
        "CASE WHEN {acl} IS NULL THEN NULL ELSE array(\
             SELECT CASE WHEN x.grantee = 0 THEN '{PUBLIC}' ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END \
                    || chr(31) || lower(x.privilege_type) || chr(31) || CASE WHEN x.is_grantable THEN 't' ELSE 'f' END \
             FROM pg_catalog.aclexplode({acl}) x WHERE x.grantee <> {owner} ORDER BY 1) END"
    )
}

/// The SQL of two columns: the owner of an object (`owner`, an oid expression; its role name) and, last of
/// its query, its privileges ([`acl_column`]), which [`collect`] and [`collect_owners`] read.
pub(crate) fn owner_and_acl_columns(acl: &str, owner: &str) -> String {
    format!(
        "pg_catalog.pg_get_userbyid({owner})::text, {}",
        acl_column(acl, owner)
    )
}

/// The owners of the objects of `rows`, whose last columns are [`owner_and_acl_columns`].
pub(crate) fn collect_owners(
    rows: &[Row],
    target: impl Fn(&Row) -> GrantTarget,
) -> Vec<schemadiff_model::ObjectOwner> {
    rows.iter()
        .map(|r| schemadiff_model::ObjectOwner {
            target: target(r),
            role: r.get(r.len() - 2),
        })
        .collect()
}

/// The privileges of `target` from the text of [`acl_column`], when they differ from the defaults.
pub(crate) fn from_cell(target: GrantTarget, cell: Option<Vec<String>>) -> Option<ObjectGrants> {
    let entries = cell?;
    let privileges: BTreeSet<Privilege> = entries
        .iter()
        .filter_map(|e| {
            let mut parts = e.split('\u{1f}');
            let (g, p, o) = (parts.next()?, parts.next()?, parts.next()?);
            Some(Privilege {
                grantee: g.to_string(),
                privilege: p.to_string(),
                grant_option: o == "t",
            })
        })
        .collect();
    if privileges == target.defaults() {
        return None;
    }
    Some(ObjectGrants {
        target,
        privileges: privileges.into_iter().collect(),
    })
}

/// The grants of `rows`, whose last column is an [`acl_column`], each row's object named by `target`.
pub(crate) fn collect(rows: &[Row], target: impl Fn(&Row) -> GrantTarget) -> Vec<ObjectGrants> {
    rows.iter()
        .filter_map(|r| {
            let last = r.len() - 1;
            from_cell(target(r), r.get(last))
        })
        .collect()
}

/// The roles `grants` name, but PUBLIC: grantees, and the roles of default privileges.
pub(crate) fn grantees(grants: &[ObjectGrants]) -> impl Iterator<Item = &String> {
    grants
        .iter()
        .flat_map(|g| {
            let role = match &g.target {
                GrantTarget::Default(role, ..) => Some(role),
                _ => None,
            };
            g.privileges.iter().map(|p| &p.grantee).chain(role)
        })
        .filter(|g| *g != PUBLIC)
}

/// Default privileges (`pg_default_acl`), in one query: the entries of the roles' own objects, and those
/// of the schemas `p` keeps. A global entry equal to PostgreSQL's defaults is no entry (PostgreSQL removes
/// it too); the owner's own privileges are not modelled (`unsupported.rs` names an entry that changes them).
pub(crate) async fn read_defaults(
    s: &mut crate::introspect::Session<'_>,
    p: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Vec<ObjectGrants>, crate::introspect::IntrospectError> {
    let rows = s
        .query(
            "reading default privileges",
            &format!(
                "SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text, n.nspname::text, d.defaclobjtype::text, {} \
                 FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace \
                 WHERE d.defaclnamespace = 0 OR ({}) ORDER BY 1, 2, 3",
                acl_column("d.defaclacl", "d.defaclrole"),
                crate::introspect::NAMESPACE_FILTER
            ),
            p,
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let on = schemadiff_model::DefaultObjects::from_catalog(r.get::<_, &str>(2))?;
            from_cell(GrantTarget::Default(r.get(0), r.get(1), on), r.get(3))
        })
        .collect())
}
