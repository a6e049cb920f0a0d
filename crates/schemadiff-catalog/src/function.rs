//! Functions and procedures, the catalog stage: one query reads every function and procedure (not
//! aggregates or window functions, which `unsupported` names) with its argument list and result as the server
//! prints them (not the constructors the server makes for a range type, which belong to it), its options, its body (`prosrc`, or `pg_get_function_sqlbody` for a SQL-standard body), what
//! it uses and what uses it (`pg_depend`, both ways). The model is `schemadiff_model::function`, the diff
//! `schemadiff_diff::function`.

use schemadiff_model::{Function, FunctionUse, FunctionUser, QualifiedName};
use tokio_postgres::Row;

use crate::introspect::NAMESPACE_FILTER;

/// One object a `pg_depend` row names, as `kind US schema US name [US more]` (US is chr(31)).
const OBJECT: &str = "CASE \
    WHEN c.oid IS NOT NULL AND c.relkind = 'i' \
      THEN 'i' || chr(31) || cn.nspname || chr(31) || (SELECT it.relname FROM pg_catalog.pg_index ix \
           JOIN pg_catalog.pg_class it ON it.oid = ix.indrelid WHERE ix.indexrelid = c.oid) || chr(31) || c.relname \
    WHEN c.oid IS NOT NULL AND {sub} > 0 \
      THEN 'c' || chr(31) || cn.nspname || chr(31) || c.relname || chr(31) || ca.attname \
    WHEN c.oid IS NOT NULL THEN 'r' || chr(31) || cn.nspname || chr(31) || c.relname \
    WHEN ty.oid IS NOT NULL THEN 't' || chr(31) || tn.nspname || chr(31) || ty.typname \
    WHEN pr.oid IS NOT NULL \
      THEN 'f' || chr(31) || pn.nspname || chr(31) || pr.proname || chr(31) || pg_catalog.oidvectortypes(pr.proargtypes) \
    WHEN ad.oid IS NOT NULL \
      THEN 'd' || chr(31) || adn.nspname || chr(31) || adc.relname || chr(31) || ada.attname \
    WHEN co.oid IS NOT NULL AND co.conrelid <> 0 \
      THEN 'k' || chr(31) || con.nspname || chr(31) || coc.relname || chr(31) || co.conname \
    WHEN rw.oid IS NOT NULL \
      THEN 'v' || chr(31) || rwn.nspname || chr(31) || rwc.relname \
    WHEN tg.oid IS NOT NULL \
      THEN 'g' || chr(31) || tgn.nspname || chr(31) || tgc.relname || chr(31) || tg.tgname \
    END";

/// The joins that name the object of `pg_depend` columns `{class}`, `{id}`, `{sub}`.
const JOINS: &str = "\
    LEFT JOIN pg_catalog.pg_class c ON {class} = 'pg_class'::regclass AND c.oid = {id} \
    LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace \
    LEFT JOIN pg_catalog.pg_attribute ca ON ca.attrelid = c.oid AND ca.attnum = {sub} \
    LEFT JOIN pg_catalog.pg_type ty ON {class} = 'pg_type'::regclass AND ty.oid = {id} \
    LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = ty.typnamespace \
    LEFT JOIN pg_catalog.pg_proc pr ON {class} = 'pg_proc'::regclass AND pr.oid = {id} \
    LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pr.pronamespace \
    LEFT JOIN pg_catalog.pg_attrdef ad ON {class} = 'pg_attrdef'::regclass AND ad.oid = {id} \
    LEFT JOIN pg_catalog.pg_class adc ON adc.oid = ad.adrelid \
    LEFT JOIN pg_catalog.pg_namespace adn ON adn.oid = adc.relnamespace \
    LEFT JOIN pg_catalog.pg_attribute ada ON ada.attrelid = ad.adrelid AND ada.attnum = ad.adnum \
    LEFT JOIN pg_catalog.pg_constraint co ON {class} = 'pg_constraint'::regclass AND co.oid = {id} \
    LEFT JOIN pg_catalog.pg_class coc ON coc.oid = co.conrelid \
    LEFT JOIN pg_catalog.pg_namespace con ON con.oid = coc.relnamespace \
    LEFT JOIN pg_catalog.pg_rewrite rw ON {class} = 'pg_rewrite'::regclass AND rw.oid = {id} \
    LEFT JOIN pg_catalog.pg_class rwc ON rwc.oid = rw.ev_class \
    LEFT JOIN pg_catalog.pg_namespace rwn ON rwn.oid = rwc.relnamespace \
    LEFT JOIN pg_catalog.pg_trigger tg ON {class} = 'pg_trigger'::regclass AND tg.oid = {id} \
    LEFT JOIN pg_catalog.pg_class tgc ON tgc.oid = tg.tgrelid \
    LEFT JOIN pg_catalog.pg_namespace tgn ON tgn.oid = tgc.relnamespace";

pub(crate) fn object(class: &str, id: &str, sub: &str) -> (String, String) {
    let fill = |t: &str| {
        t.replace("{class}", class)
            .replace("{id}", id)
            .replace("{sub}", sub)
    };
    (fill(OBJECT), fill(JOINS))
}

/// The query; `$1` is the schema filter. SQL-standard bodies exist from PostgreSQL 14.
pub(crate) fn query(version: i32) -> String {
    let body = if version >= 140000 {
        "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) ELSE p.prosrc END"
    } else {
        "p.prosrc"
    };
    let (uses, uses_joins) = object("dp.refclassid", "dp.refobjid", "dp.refobjsubid");
    let (users, users_joins) = object("dp.classid", "dp.objid", "dp.objsubid");
    format!(
        "SELECT p.oid, n.nspname::text, p.proname::text, p.prokind = 'p', \
                pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.oidvectortypes(p.proargtypes), \
                pg_catalog.pg_get_function_result(p.oid), l.lanname::text, \
                {body}, \
                p.provolatile::text, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel::text, \
                p.procost::text, p.prorows::text, p.proretset, COALESCE(p.proconfig, '{{}}')::text[], d.description, \
                array(SELECT DISTINCT {uses} FROM pg_catalog.pg_depend dp {uses_joins} \
                      WHERE dp.classid = 'pg_proc'::regclass AND dp.objid = p.oid AND dp.deptype = 'n' \
                        AND NOT (dp.refclassid = 'pg_class'::regclass AND dp.refobjid = 0) \
                        AND COALESCE(cn.nspname, tn.nspname, pn.nspname, '') NOT IN ('pg_catalog', 'information_schema') \
                        AND COALESCE(cn.nspname, tn.nspname, pn.nspname, '') NOT LIKE 'pg\\_toast%' \
                      ORDER BY 1), \
                array(SELECT DISTINCT {users} FROM pg_catalog.pg_depend dp {users_joins} \
                      WHERE dp.refclassid = 'pg_proc'::regclass AND dp.refobjid = p.oid AND dp.deptype = 'n' \
                      ORDER BY 1), {} \
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         JOIN pg_catalog.pg_language l ON l.oid = p.prolang \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0 \
         WHERE p.prokind IN ('f', 'p') AND {NAMESPACE_FILTER} AND {} \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_proc'::regclass \
                           AND i.objid = p.oid AND i.deptype = 'i') \
         ORDER BY 2, 3, 6",
        crate::grant::owner_and_acl_columns("p.proacl", "p.proowner"),
        crate::introspect::not_in_extension("pg_proc", "p.oid")
    )
}

/// The functions and procedures of the rows of [`query`], in name order.
pub(crate) fn from_rows(rows: &[Row]) -> Vec<Function> {
    let mut out = Vec::new();
    for r in rows {
        let name = QualifiedName::new(r.get::<_, String>(1), r.get::<_, String>(2));
        let mut f = Function::new(name, r.get(3));
        f.arguments = r.get(4);
        f.signature = r.get(5);
        f.returns = if f.procedure { None } else { r.get(6) };
        f.language = r.get(7);
        f.body = r.get::<_, Option<String>>(8).unwrap_or_default();
        f.volatility = match r.get::<_, String>(9).as_str() {
            "i" => Some("immutable".into()),
            "s" => Some("stable".into()),
            _ => None,
        };
        f.strict = r.get(10);
        f.security_definer = r.get(11);
        f.leakproof = r.get(12);
        f.parallel = match r.get::<_, String>(13).as_str() {
            "s" => Some("safe".into()),
            "r" => Some("restricted".into()),
            _ => None,
        };
        let cost: String = r.get(14);
        let default_cost = if matches!(f.language.as_str(), "c" | "internal") {
            "1"
        } else {
            "100"
        };
        f.cost = (cost != default_cost).then_some(cost);
        let rows: String = r.get(15);
        let retset: bool = r.get(16);
        let default_rows = if retset { "1000" } else { "0" };
        f.rows = (rows != default_rows).then_some(rows);
        f.set = r
            .get::<_, Vec<String>>(17)
            .into_iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (kv, String::new()),
            })
            .collect();
        f.set.sort();
        f.comment = r.get(18);
        f.uses = r
            .get::<_, Vec<Option<String>>>(19)
            .iter()
            .flatten()
            .filter_map(|u| parse_use(u))
            .collect();
        f.used_by = r
            .get::<_, Vec<Option<String>>>(20)
            .iter()
            .flatten()
            .filter_map(|u| parse_user(u))
            .collect();
        out.push(f);
    }
    out
}

pub(crate) fn parse_use(text: &str) -> Option<FunctionUse> {
    let parts: Vec<&str> = text.split('\u{1f}').collect();
    match parts.as_slice() {
        ["c", s, t, c] => Some(FunctionUse::Column(
            QualifiedName::new(*s, *t),
            c.to_string(),
        )),
        ["r", s, t] => Some(FunctionUse::Relation(QualifiedName::new(*s, *t))),
        ["t", s, t] => Some(FunctionUse::Type(QualifiedName::new(*s, *t))),
        ["f", s, n, sig] => Some(FunctionUse::Function(
            QualifiedName::new(*s, *n),
            sig.to_string(),
        )),
        _ => None,
    }
}

fn parse_user(text: &str) -> Option<FunctionUser> {
    let parts: Vec<&str> = text.split('\u{1f}').collect();
    let q = |s: &str, n: &str| QualifiedName::new(s, n);
    match parts.as_slice() {
        ["d", s, t, c] => Some(FunctionUser::Default(q(s, t), c.to_string())),
        ["k", s, t, c] => Some(FunctionUser::Constraint(q(s, t), c.to_string())),
        ["i", s, t, i] => Some(FunctionUser::Index(q(s, t), i.to_string())),
        ["r", s, v] | ["v", s, v] => Some(FunctionUser::View(q(s, v))),
        ["g", s, t, g] => Some(FunctionUser::Trigger(q(s, t), g.to_string())),
        ["f", s, n, sig] => Some(FunctionUser::Function(q(s, n), sig.to_string())),
        _ => None,
    }
}
