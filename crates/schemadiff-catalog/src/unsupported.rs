//! Nothing silently dropped: the objects and properties of a database that the model cannot represent yet,
//! found in one catalog query (so the count of statements stays constant), each with the tables, columns and
//! types it uses according to `pg_depend` (for a view, through its rewrite rule).
//!
//! Commands stop on them unless told to go on (`--ignore-unsupported`); when they go on, a plan that would
//! drop or retype something an unsupported object uses is refused, since the scratch copy the plan is verified
//! on cannot hold that object. (Functions are modelled: what a procedural body names is its diff's concern,
//! see `schemadiff_diff`'s `untrackable_dependencies`.)

use schemadiff_model::QualifiedName;

/// Something the model cannot represent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// `view`, `function`, `trigger`, `row-level security`, `grants`, ...
    pub kind: String,
    /// The schema it lives in (empty for database-wide objects: event triggers, publications).
    pub schema: String,
    /// Its name (`set_updated_at(integer)`, `users_audit on users`).
    pub name: String,
    /// What it uses, by `pg_depend`.
    pub uses: Vec<Used>,
}

/// A modelled object that an unsupported one uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Used {
    Relation(QualifiedName),
    Column(QualifiedName, String),
    Type(QualifiedName),
}

impl std::fmt::Display for Used {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Used::Relation(q) => write!(f, "{}", q.sql()),
            Used::Column(q, c) => write!(f, "{}.{}", q.sql(), schemadiff_model::quote_ident(c)),
            Used::Type(q) => write!(f, "type {}", q.sql()),
        }
    }
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if self.schema.is_empty() {
            schemadiff_model::printable(&self.name).into_owned()
        } else {
            format!(
                "{}.{}",
                schemadiff_model::printable(&self.schema),
                schemadiff_model::printable(&self.name)
            )
        };
        write!(f, "{} {name}", self.kind)?;
        if !self.uses.is_empty() {
            let uses: Vec<String> = self.uses.iter().map(|u| u.to_string()).collect();
            write!(
                f,
                " (uses {})",
                schemadiff_model::printable(&uses.join(", "))
            )?;
        }
        Ok(())
    }
}

/// The query: one row per unsupported object (kind, schema, name, uses). `$1` is the schema filter;
/// `{not_valid_not_null}` adapts to the server version.
pub(crate) fn query(version: i32) -> String {
    // PostgreSQL 18 keeps NOT NULL as constraints, which may be NOT VALID: `attnotnull` is true for those too,
    // but existing rows may hold nulls, so reading them as NOT NULL would be wrong.
    let not_valid_not_null = if version >= 180000 {
        "UNION ALL SELECT 'NOT VALID not-null constraint', ns.nspname, co.conname || ' on ' || c.relname, \
                'pg_constraint'::regclass, co.oid, NULL::regclass, NULL::oid \
         FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid JOIN ns ON ns.oid = c.relnamespace \
         WHERE co.contype = 'n' AND NOT co.convalidated"
    } else {
        ""
    };
    format!(
        "WITH ns AS (SELECT n.oid, n.nspname::text AS nspname FROM pg_catalog.pg_namespace n WHERE {filter}), \
         objs(kind, nsp, name, classid, objid, dep_classid, dep_objid) AS ( \
           SELECT 'foreign table', \
                  ns.nspname, c.relname::text, 'pg_class'::regclass, c.oid, NULL::regclass, NULL::oid \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind = 'f' \
           UNION ALL SELECT 'comment on column of', ns.nspname, c.relname || '.' || a.attname, 'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass \
           JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid JOIN ns ON ns.oid = c.relnamespace \
           WHERE c.relkind IN ('v', 'm', 'c') AND d.objsubid > 0 \
           UNION ALL SELECT 'typed table', ns.nspname, c.relname || ' (of type ' || pg_catalog.format_type(c.reloftype, NULL) || ')', \
                  'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND c.reloftype <> 0 \
           UNION ALL SELECT 'table with inheritance', ns.nspname, c.relname, \
                  'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace \
           WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) \
           UNION ALL SELECT 'partition of a table outside the schemas read', ns.nspname, c.relname, \
                  'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace \
           JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent \
           WHERE c.relispartition AND pc.relnamespace NOT IN (SELECT oid FROM ns) \
           UNION ALL SELECT 'column of partition with a default, NOT NULL or comment of its own', ns.nspname, c.relname || '.' || a.attname, \
                  'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace \
           JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid \
           JOIN pg_catalog.pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname \
           WHERE c.relispartition AND a.attnum > 0 AND NOT a.attisdropped \
             AND (a.attnotnull <> pa.attnotnull \
                  OR (SELECT pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum) \
                     IS DISTINCT FROM (SELECT pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = pa.attrelid AND ad.adnum = pa.attnum) \
                  OR EXISTS (SELECT 1 FROM pg_catalog.pg_description d WHERE d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum)) \
           UNION ALL SELECT 'storage parameters of', ns.nspname, c.relname || ' (' || array_to_string(c.reloptions, ', ') || ')', \
                  'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('i', 'm') AND c.reloptions IS NOT NULL \
           UNION ALL SELECT 'unlogged sequence', ns.nspname, c.relname, 'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind = 'S' AND c.relpersistence = 'u' \
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i') \
           UNION ALL SELECT 'toast storage parameters of', ns.nspname, c.relname || ' (' || array_to_string(tc.reloptions, ', ') || ')', \
                  'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid \
           WHERE c.relkind IN ('r', 'p', 'm') AND tc.reloptions IS NOT NULL \
           UNION ALL SELECT 'row-level security on', ns.nspname, c.relname || CASE WHEN c.relforcerowsecurity THEN ' (forced)' ELSE '' END, \
                  'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE (c.relrowsecurity OR c.relforcerowsecurity) AND c.relkind NOT IN ('r', 'p') \
           UNION ALL SELECT 'privileges taken from the owner of', ns.nspname, c.relname, 'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') \
             AND c.relacl IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(pg_catalog.acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)) d WHERE d.grantee = c.relowner \
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(c.relacl) a WHERE a.grantee = d.grantee AND a.privilege_type = d.privilege_type)) \
           UNION ALL SELECT 'privileges taken from the owner of', ns.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', \
                  'pg_proc'::regclass, p.oid, NULL, NULL \
           FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace \
           WHERE p.proacl IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(pg_catalog.acldefault('f', p.proowner)) d WHERE d.grantee = p.proowner \
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(p.proacl) a WHERE a.grantee = d.grantee AND a.privilege_type = d.privilege_type)) \
           UNION ALL SELECT 'privileges taken from the owner of', ns.nspname, t.typname, 'pg_type'::regclass, t.oid, NULL, NULL \
           FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace \
           WHERE t.typtype IN ('e', 'd', 'c', 'r') AND t.typacl IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(pg_catalog.acldefault('T', t.typowner)) d WHERE d.grantee = t.typowner \
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(t.typacl) a WHERE a.grantee = d.grantee AND a.privilege_type = d.privilege_type)) \
           UNION ALL SELECT 'privileges taken from the owner of schema', '', ns.nspname, 'pg_namespace'::regclass, n.oid, NULL, NULL \
           FROM pg_catalog.pg_namespace n JOIN ns ON ns.oid = n.oid \
           WHERE n.nspacl IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(pg_catalog.acldefault('n', n.nspowner)) d WHERE d.grantee = n.nspowner \
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(n.nspacl) a WHERE a.grantee = d.grantee AND a.privilege_type = d.privilege_type)) \
           UNION ALL SELECT 'grants on', ns.nspname, c.relname, 'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relacl IS NOT NULL \
             AND c.relkind = 'S' AND EXISTS ( \
                  SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i') \
           UNION ALL SELECT 'grants on column', ns.nspname, c.relname || '.' || a.attname, 'pg_class'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace \
           WHERE (c.relkind IN ('v', 'm') OR (c.relkind = 'r' AND c.relispartition)) AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL \
           {not_valid_not_null} \
           UNION ALL SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END, \
                  ns.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', \
                  'pg_proc'::regclass, p.oid, 'pg_proc'::regclass, p.oid \
           FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace WHERE p.prokind IN ('a', 'w') \
           UNION ALL SELECT 'trigger', ns.nspname, t.tgname || ' on ' || c.relname, 'pg_trigger'::regclass, t.oid, 'pg_trigger'::regclass, t.oid \
           FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN ns ON ns.oid = c.relnamespace \
           WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND c.relkind NOT IN ('r', 'p', 'v') \
           UNION ALL SELECT 'table of constraint trigger', ns.nspname, t.tgname || ' on ' || c.relname, 'pg_trigger'::regclass, t.oid, NULL, NULL \
           FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN ns ON ns.oid = c.relnamespace \
           WHERE NOT t.tgisinternal AND t.tgconstrrelid <> 0 AND t.tgconstraint <> 0 \
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.oid = t.tgconstraint AND k.contype = 'f') \
           UNION ALL SELECT 'rule', ns.nspname, r.rulename || ' on ' || c.relname, 'pg_rewrite'::regclass, r.oid, 'pg_rewrite'::regclass, r.oid \
           FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class JOIN ns ON ns.oid = c.relnamespace WHERE r.rulename <> '_RETURN' \
           UNION ALL SELECT 'policy', ns.nspname, pol.polname || ' on ' || c.relname, 'pg_policy'::regclass, pol.oid, 'pg_policy'::regclass, pol.oid \
           FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid JOIN ns ON ns.oid = c.relnamespace \
           WHERE c.relkind NOT IN ('r', 'p') \
           UNION ALL SELECT 'base type', ns.nspname, t.typname, \
                  'pg_type'::regclass, t.oid, 'pg_type'::regclass, t.oid \
           FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace \
           WHERE t.typtype = 'b' AND t.typelem = 0 AND t.typarray <> 0 \
           UNION ALL SELECT 'range type with a canonical function', ns.nspname, t.typname, \
                  'pg_type'::regclass, t.oid, 'pg_type'::regclass, t.oid \
           FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid JOIN ns ON ns.oid = t.typnamespace \
           WHERE NOT ({modelled}) \
           UNION ALL SELECT 'NOT VALID constraint of domain', ns.nspname, co.conname || ' on ' || t.typname, \
                  'pg_constraint'::regclass, co.oid, NULL::regclass, NULL::oid \
           FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_type t ON t.oid = co.contypid JOIN ns ON ns.oid = t.typnamespace \
           WHERE NOT co.convalidated \
           UNION ALL SELECT 'collation', ns.nspname, co.collname, 'pg_collation'::regclass, co.oid, NULL, NULL \
           FROM pg_catalog.pg_collation co JOIN ns ON ns.oid = co.collnamespace \
           UNION ALL SELECT 'operator', ns.nspname, o.oprname, 'pg_operator'::regclass, o.oid, NULL, NULL \
           FROM pg_catalog.pg_operator o JOIN ns ON ns.oid = o.oprnamespace \
           UNION ALL SELECT 'operator class', ns.nspname, oc.opcname, 'pg_opclass'::regclass, oc.oid, NULL, NULL \
           FROM pg_catalog.pg_opclass oc JOIN ns ON ns.oid = oc.opcnamespace \
           UNION ALL SELECT 'operator family', ns.nspname, f.opfname, 'pg_opfamily'::regclass, f.oid, NULL, NULL \
           FROM pg_catalog.pg_opfamily f JOIN ns ON ns.oid = f.opfnamespace \
           UNION ALL SELECT 'text search configuration', ns.nspname, c.cfgname, 'pg_ts_config'::regclass, c.oid, NULL, NULL \
           FROM pg_catalog.pg_ts_config c JOIN ns ON ns.oid = c.cfgnamespace \
           UNION ALL SELECT 'text search dictionary', ns.nspname, d.dictname, 'pg_ts_dict'::regclass, d.oid, NULL, NULL \
           FROM pg_catalog.pg_ts_dict d JOIN ns ON ns.oid = d.dictnamespace \
           UNION ALL SELECT 'conversion', ns.nspname, cv.conname, 'pg_conversion'::regclass, cv.oid, NULL, NULL \
           FROM pg_catalog.pg_conversion cv JOIN ns ON ns.oid = cv.connamespace \
           UNION ALL SELECT 'extended statistics', ns.nspname, st.stxname, 'pg_statistic_ext'::regclass, st.oid, 'pg_statistic_ext'::regclass, st.oid \
           FROM pg_catalog.pg_statistic_ext st JOIN ns ON ns.oid = st.stxnamespace \
           UNION ALL SELECT 'grants on schema', '', ns.nspname, 'pg_namespace'::regclass, n.oid, NULL, NULL \
           FROM pg_catalog.pg_namespace n JOIN ns ON ns.oid = n.oid \
           WHERE n.nspname = 'public' AND n.nspacl IS NOT NULL AND NOT (n.nspname = 'public' AND n.nspacl::text[] IN ( \
                 ARRAY['pg_database_owner=UC/pg_database_owner', '=U/pg_database_owner'], \
                 ARRAY[format('%1$s=UC/%1$s', pg_catalog.pg_get_userbyid(n.nspowner)), format('=UC/%s', pg_catalog.pg_get_userbyid(n.nspowner))])) \
           UNION ALL SELECT CASE WHEN d.defaclobjtype IN ('r', 'S', 'f', 'T', 'n') THEN 'default privileges of the owner' ELSE 'default privileges' END, '', \
                  coalesce('in schema ' || (SELECT ns.nspname FROM ns WHERE ns.oid = d.defaclnamespace) || ' ', '') || 'for role ' || pg_catalog.pg_get_userbyid(d.defaclrole) \
                  || ' on ' || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' \
                  WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' WHEN 'L' THEN 'large objects' ELSE d.defaclobjtype::text END, 'pg_default_acl'::regclass, d.oid, NULL, NULL \
           FROM pg_catalog.pg_default_acl d \
           WHERE (d.defaclnamespace = 0 OR d.defaclnamespace IN (SELECT oid FROM ns)) \
             AND (d.defaclobjtype NOT IN ('r', 'S', 'f', 'T', 'n') \
                  OR array(SELECT x.privilege_type || x.is_grantable::text FROM pg_catalog.aclexplode(d.defaclacl) x \
                           WHERE x.grantee = d.defaclrole ORDER BY 1) \
                     IS DISTINCT FROM CASE WHEN d.defaclnamespace = 0 THEN array(SELECT x.privilege_type || x.is_grantable::text \
                           FROM pg_catalog.aclexplode(pg_catalog.acldefault(d.defaclobjtype, d.defaclrole)) x \
                           WHERE x.grantee = d.defaclrole ORDER BY 1) ELSE ARRAY[]::text[] END) \
           UNION ALL SELECT 'event trigger', '', e.evtname, 'pg_event_trigger'::regclass, e.oid, NULL, NULL \
           FROM pg_catalog.pg_event_trigger e \
           UNION ALL SELECT 'publication', '', p.pubname, 'pg_publication'::regclass, p.oid, NULL, NULL \
           FROM pg_catalog.pg_publication p \
         ) \
         SELECT o.kind, o.nsp, o.name, array( \
             SELECT DISTINCT CASE \
               WHEN rc.oid IS NOT NULL AND d.refobjsubid > 0 THEN 'c' || chr(31) || rn.nspname || chr(31) || rc.relname || chr(31) || a.attname \
               WHEN rc.oid IS NOT NULL THEN 'r' || chr(31) || rn.nspname || chr(31) || rc.relname \
               ELSE 't' || chr(31) || tn.nspname || chr(31) || ty.typname END \
             FROM pg_catalog.pg_depend d \
             LEFT JOIN pg_catalog.pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid \
                  AND rc.relkind IN ('r', 'p', 'S', 'v', 'm') AND rc.oid <> o.objid \
             LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace \
             LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = rc.oid AND a.attnum = d.refobjsubid \
             LEFT JOIN pg_catalog.pg_type ty ON d.refclassid = 'pg_type'::regclass AND ty.oid = d.refobjid AND ty.typtype IN ('e', 'd', 'c', 'r') \
             LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = ty.typnamespace \
             WHERE d.classid = o.dep_classid AND d.objid = o.dep_objid AND d.deptype IN ('n', 'a') \
               AND (rc.oid IS NOT NULL OR ty.oid IS NOT NULL) \
             ORDER BY 1) \
         FROM objs o \
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = o.classid AND e.objid = o.objid AND e.deptype = 'e') \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.deptype = 'e' AND ( \
                 (e.classid = 'pg_class'::regclass AND e.objid = CASE o.classid \
                     WHEN 'pg_trigger'::regclass THEN (SELECT tgrelid FROM pg_catalog.pg_trigger WHERE oid = o.objid) \
                     WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = o.objid) \
                     WHEN 'pg_policy'::regclass THEN (SELECT polrelid FROM pg_catalog.pg_policy WHERE oid = o.objid) END) \
                 OR (o.classid = 'pg_class'::regclass AND e.classid = 'pg_type'::regclass \
                     AND e.objid = (SELECT reltype FROM pg_catalog.pg_class WHERE oid = o.objid)))) \
         ORDER BY 2, 3, 1",
        filter = crate::introspect::NAMESPACE_FILTER,
        modelled = crate::range::MODELLED,
    )
}

/// The unsupported objects of the rows of [`query`].
pub(crate) fn from_rows(rows: &[tokio_postgres::Row]) -> Vec<Unsupported> {
    rows.iter()
        .map(|r| {
            let uses: Vec<String> = r.get(3);
            Unsupported {
                kind: r.get(0),
                schema: r.get(1),
                name: r.get(2),
                uses: {
                    let mut u: Vec<Used> = uses.iter().filter_map(|u| parse_use(u)).collect();
                    u.sort();
                    u
                },
            }
        })
        .collect()
}

fn parse_use(text: &str) -> Option<Used> {
    let parts: Vec<&str> = text.split('\u{1f}').collect();
    match parts.as_slice() {
        ["c", s, t, c] => Some(Used::Column(QualifiedName::new(*s, *t), c.to_string())),
        ["r", s, t] => Some(Used::Relation(QualifiedName::new(*s, *t))),
        ["t", s, t] => Some(Used::Type(QualifiedName::new(*s, *t))),
        _ => None,
    }
}
