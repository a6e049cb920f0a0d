//! Tables, the catalog stage: one query each for the tables, their columns (with identity sequences),
//! their constraints and their indexes (one row per index column, through joins), whatever the number of
//! tables. The indexes of materialized views come with them (`views`).

use std::collections::BTreeMap;

use schemadiff_model::{
    Check, Column, Exclusion, ExclusionElement, FkAction, ForeignKey, Identity, IdentityOptions,
    Index, IndexKey, IndexTarget, PrimaryKey, QualifiedName, Table, Unique, View,
};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::introspect::strip_outer_parens;
use crate::introspect::{IntrospectError, NAMESPACE_FILTER, Session, not_in_extension};
use crate::sequence::sequence_defaults;

/// The tables, in name order; the indexes of materialized views go to `views` (by oid). `p` holds the
/// schema filter; `version` is the server's `server_version_num`.
pub(crate) async fn read(
    s: &mut Session<'_>,
    p: &[&(dyn ToSql + Sync)],
    version: i32,
    views: &mut BTreeMap<u32, View>,
    grants: &mut Vec<schemadiff_model::ObjectGrants>,
    owners: &mut Vec<schemadiff_model::ObjectOwner>,
) -> Result<Vec<Table>, IntrospectError> {
    // Tables.
    let (partition_columns, partition_joins) = (crate::partition::COLUMNS, crate::partition::JOINS);
    let mut tables: BTreeMap<u32, Table> = BTreeMap::new();
    let mut order: Vec<u32> = Vec::new();
    let sql = format!(
        "SELECT c.oid, n.nspname::text, c.relname::text, d.description, c.relrowsecurity, c.relforcerowsecurity, {}, \
                        pg_catalog.pg_get_userbyid(c.relowner)::text, c.relnatts::int, {partition_columns} \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 \
                 {partition_joins} \
                 WHERE c.relkind IN ('r', 'p') AND {NAMESPACE_FILTER} AND {} ORDER BY 2, 3",
        crate::grant::acl_column("c.relacl", "c.relowner"),
        not_in_extension("pg_class", "c.oid")
    );
    s.each("reading tables", &sql, p, |r| {
        let oid: u32 = r.get(0);
        let mut t = Table::new(QualifiedName::new(
            r.get::<_, String>(1),
            r.get::<_, String>(2),
        ));
        t.comment = r.get(3);
        t.row_level_security = r.get(4);
        t.force_row_level_security = r.get(5);
        grants.extend(crate::grant::from_cell(
            schemadiff_model::GrantTarget::Table(t.name.clone()),
            r.get(6),
        ));
        owners.push(schemadiff_model::ObjectOwner {
            target: schemadiff_model::GrantTarget::Table(t.name.clone()),
            role: r.get(7),
        });
        crate::partition::from_row(&r, 9, &mut t);
        if t.partition_of.is_none() {
            // Room for the columns read below (`relnatts` counts dropped ones too: the rest is freed at the end).
            t.columns.reserve_exact(r.get::<_, i32>(8).max(0) as usize);
        }
        tables.insert(oid, t);
        order.push(oid);
    })
    .await?;
    // A partition's columns are its parent's; the constraints and indexes PostgreSQL copied from a
    // partitioned table onto its partitions are the parent's (`partition::NOT_CLONED_*`).
    let table_filter = format!(
        "c.relkind IN ('r', 'p') AND {NAMESPACE_FILTER} AND {}",
        not_in_extension("pg_class", "c.oid")
    );
    let column_filter = format!("{table_filter} AND NOT c.relispartition");
    let constraint_filter = format!(
        "{table_filter} AND {}",
        crate::partition::NOT_CLONED_CONSTRAINT
    );
    let index_filter = format!(
        "c.relkind IN ('r', 'p', 'm') AND {NAMESPACE_FILTER} AND {} AND {}",
        not_in_extension("pg_class", "c.oid"),
        crate::partition::NOT_CLONED_INDEX
    );

    // Columns of every table.
    let generated = "a.attgenerated::text";
    // The numbers of each table's columns, in the order of its `columns`, for the constraints below.
    let mut attnums: BTreeMap<u32, Vec<i16>> = BTreeMap::new();
    let sql = format!(
        "SELECT a.attrelid, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, \
                        pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, {generated}, \
                        CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END, \
                        d.description, \
                        CASE WHEN cn.nspname NOT IN ('pg_catalog', 'public') THEN cn.nspname::text END, \
                        a.attnum, \
                        pg_catalog.format_type(idq.seqtypid, NULL), idq.seqstart, idq.seqincrement, idq.seqmin, \
                        idq.seqmax, idq.seqcache, idq.seqcycle, {acl} \
                 FROM pg_catalog.pg_attribute a \
                 JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
                 LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
                 LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation \
                 LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum \
                 LEFT JOIN LATERAL ( \
                     SELECT q.* FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_sequence q ON q.seqrelid = dep.objid \
                     WHERE a.attidentity <> '' AND dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass \
                       AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i' LIMIT 1) idq ON true \
                 WHERE a.attnum > 0 AND NOT a.attisdropped AND {column_filter} \
                 ORDER BY a.attrelid, a.attnum",
        acl = crate::grant::acl_column("a.attacl", "c.relowner")
    );
    s.each("reading columns", &sql, p, |r| {
        let table_oid: u32 = r.get(0);
        let Some(t) = tables.get_mut(&table_oid) else {
            return;
        };
        attnums.entry(table_oid).or_default().push(r.get(10));
        let expr: Option<String> = r.get(4);
        let identity: String = r.get(5);
        let generated: String = r.get(6);
        // 's': STORED; 'v': VIRTUAL (PostgreSQL 18).
        let is_generated = generated == "s" || generated == "v";
        grants.extend(crate::grant::from_cell(
            schemadiff_model::GrantTarget::Column(t.name.clone(), r.get(1)),
            r.get(18),
        ));
        let mut c = Column::new(r.get::<_, String>(1), r.get::<_, String>(2));
        c.not_null = r.get(3);
        c.identity = match identity.as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        };
        if c.identity.is_some() {
            if let Some(seq_type) = r.get::<_, Option<String>>(11) {
                let (start, increment, min, max, cache): (i64, i64, i64, i64, i64) =
                    (r.get(12), r.get(13), r.get(14), r.get(15), r.get(16));
                let (default_min, default_max, default_start) =
                    sequence_defaults(&seq_type, increment, min, max);
                let options = IdentityOptions {
                    start: (start != default_start).then_some(start),
                    increment: (increment != 1).then_some(increment),
                    min_value: (min != default_min).then_some(min),
                    max_value: (max != default_max).then_some(max),
                    cache: (cache != 1).then_some(cache),
                    cycle: r.get(17),
                };
                if !options.is_default() {
                    c.extras_mut().identity_options = options;
                }
            }
        }
        if is_generated {
            let x = c.extras_mut();
            x.generated = expr;
            x.generated_virtual = generated == "v";
        } else {
            c.default = expr;
        }
        if let Some(name) = r.get::<_, Option<String>>(7) {
            c.extras_mut().collation = Some(QualifiedName::reference_text(
                r.get::<_, Option<String>>(9).as_deref(),
                &name,
            ));
        }
        c.comment = r.get(8);
        t.columns.push(c);
    })
    .await?;
    // The name of column `number` of a table.
    let attname = |t: &Table, table_oid: u32, number: i16| {
        let position = attnums.get(&table_oid)?.iter().position(|n| *n == number)?;
        Some(t.columns[position].name.clone())
    };

    // Constraints of every table.
    let nulls_not_distinct = if version >= 150000 {
        "COALESCE(ix.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    let delete_set_columns = if version >= 150000 {
        "co.confdelsetcols"
    } else {
        "NULL::int2[]"
    };
    // Exclusion constraints take their keys from their index, read below.
    let mut exclusions: BTreeMap<u32, (u32, usize, Vec<String>)> = BTreeMap::new();
    // Unique constraints by their index, for their INCLUDE columns.
    let mut unique_indexes: BTreeMap<u32, (u32, usize)> = BTreeMap::new();
    let sql = format!(
        "SELECT co.conrelid, co.conname::text, co.contype::text, \
                        co.conkey, \
                        fn.nspname::text, f.relname::text, \
                        CASE WHEN co.contype = 'f' THEN \
                             array(SELECT a.attname::text FROM unnest(co.confkey) WITH ORDINALITY k(num, ord) \
                                   JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num ORDER BY k.ord) END, \
                        co.confdeltype::text, co.confupdtype::text, co.condeferrable, co.condeferred, \
                        CASE WHEN co.contype = 'c' THEN pg_catalog.pg_get_expr(co.conbin, co.conrelid) END, \
                        {nulls_not_distinct}, \
                        CASE WHEN co.contype = 'x' THEN \
                             array(SELECT op.oprname::text FROM unnest(co.conexclop) WITH ORDINALITY k(op, ord) \
                                   JOIN pg_catalog.pg_operator op ON op.oid = k.op ORDER BY k.ord) END, \
                        co.conindid, d.description, \
                        co.convalidated, co.connoinherit, co.confmatchtype::text, {delete_set_columns} \
                 FROM pg_catalog.pg_constraint co \
                 JOIN pg_catalog.pg_class c ON c.oid = co.conrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_catalog.pg_class f ON f.oid = co.confrelid \
                 LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_constraint'::regclass \
                 LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid \
                 WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND {constraint_filter} \
                 ORDER BY co.conrelid, co.conname"
    );
    s.each("reading constraints", &sql, p, |r| {
        let table_oid: u32 = r.get(0);
        let Some(t) = tables.get_mut(&table_oid) else {
            return;
        };
        let name: String = r.get(1);
        let kind: String = r.get(2);
        let numbers: Vec<i16> = r.get::<_, Option<Vec<i16>>>(3).unwrap_or_default();
        let columns: Vec<String> = numbers
            .iter()
            .filter_map(|n| attname(t, table_oid, *n))
            .collect();
        let deferrable: bool = r.get(9);
        let initially_deferred: bool = r.get(10);
        let comment: Option<String> = r.get(15);
        let not_valid = !r.get::<_, bool>(16);
        match kind.as_str() {
            "p" => {
                t.primary_key = Some(PrimaryKey {
                    name: Some(name),
                    columns,
                    deferrable,
                    initially_deferred,
                    comment,
                })
            }
            "u" => t.uniques.push({
                // INCLUDE columns come from the index, read below.
                unique_indexes.insert(r.get::<_, u32>(14), (table_oid, t.uniques.len()));
                Unique {
                    name: Some(name),
                    columns,
                    include: Vec::new(),
                    nulls_not_distinct: r.get(12),
                    deferrable,
                    initially_deferred,
                    comment,
                    renamed_from: None,
                }
            }),
            "f" => t.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns,
                references: QualifiedName::new(r.get::<_, String>(4), r.get::<_, String>(5)),
                referenced_columns: r.get(6),
                on_delete: fk_action(&r.get::<_, String>(7)),
                on_delete_columns: r
                    .get::<_, Option<Vec<i16>>>(19)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|n| attname(t, table_oid, *n))
                    .collect(),
                on_update: fk_action(&r.get::<_, String>(8)),
                match_full: r.get::<_, String>(18) == "f",
                deferrable,
                initially_deferred,
                not_valid,
                comment,
                renamed_from: None,
            }),
            "c" => t.checks.push(Check {
                name: Some(name),
                expression: strip_outer_parens(&r.get::<_, String>(11)).to_string(),
                no_inherit: r.get(17),
                not_valid,
                comment,
                renamed_from: None,
            }),
            "x" => {
                let index_oid: u32 = r.get(14);
                exclusions.insert(index_oid, (table_oid, t.exclusions.len(), r.get(13)));
                t.exclusions.push(Exclusion {
                    name: Some(name),
                    method: None,
                    elements: Vec::new(),
                    include: Vec::new(),
                    where_clause: None,
                    deferrable,
                    initially_deferred,
                    comment,
                });
            }
            _ => {}
        }
    })
    .await?;

    // Indexes of every table, one row per index column (joins, not per-row subqueries): plain indexes become
    // `indexes`; those behind exclusion constraints give their keys; those of keys and uniques are skipped.
    let index_nulls = if version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    // Rows come grouped by index, in key order: each index is made when its last row has come.
    let mut group: Vec<Row> = Vec::new();
    let mut index = |group: &[Row]| {
        let Some(head) = group.first() else {
            return;
        };
        let index_oid: u32 = head.get(2);
        let table_oid: u32 = head.get(0);
        let key_count = head.get::<_, i32>(5) as usize;
        let reference = |r: &Row, name: usize, schema: usize| {
            r.get::<_, Option<String>>(name).map(|n| {
                QualifiedName::reference_text(r.get::<_, Option<String>>(schema).as_deref(), &n)
            })
        };
        let mut keys = Vec::with_capacity(key_count.min(group.len()));
        let mut include = Vec::new();
        for r in group {
            let position = r.get::<_, i32>(6) as usize;
            let column: Option<String> = r.get(7);
            if position > key_count {
                include.extend(column);
                continue;
            }
            let option: i32 = r.get(9);
            let (descending, nulls_first) = (option & 1 != 0, option & 2 != 0);
            keys.push(IndexKey {
                target: match column {
                    Some(c) => IndexTarget::Column(c),
                    None => {
                        IndexTarget::Expression(r.get::<_, Option<String>>(8).unwrap_or_default())
                    }
                },
                collation: reference(r, 12, 13),
                opclass: reference(r, 10, 11),
                descending,
                // Only a non-default placement is written: NULLS LAST is the default for ASC, FIRST for DESC.
                nulls_first: (nulls_first != descending).then_some(nulls_first),
            });
        }
        let where_clause: Option<String> = head.get(14);
        let method: String = head.get(4);
        if let Some((t_oid, pos, operators)) = exclusions.get(&index_oid) {
            if let Some(t) = tables.get_mut(t_oid) {
                let x = &mut t.exclusions[*pos];
                x.method = (method != "gist").then_some(method);
                x.elements = keys
                    .into_iter()
                    .zip(operators.iter())
                    .map(|(key, operator)| ExclusionElement {
                        key,
                        operator: operator.clone(),
                    })
                    .collect();
                x.include = include;
                x.where_clause = where_clause;
            }
            return;
        }
        if let Some((t_oid, pos)) = unique_indexes.get(&index_oid) {
            if let Some(t) = tables.get_mut(t_oid) {
                t.uniques[*pos].include = include;
            }
            return;
        }
        if head.get::<_, bool>(17) {
            return; // the index of a primary key or unique constraint
        }
        let indexes = match (tables.get_mut(&table_oid), views.get_mut(&table_oid)) {
            (Some(t), _) => &mut t.indexes,
            (None, Some(v)) => &mut v.indexes,
            (None, None) => return,
        };
        indexes.push(Index {
            name: Some(head.get(1)),
            unique: head.get(3),
            method: (method != "btree").then_some(method),
            keys,
            include,
            where_clause,
            nulls_not_distinct: head.get(15),
            comment: head.get(16),
            renamed_from: None,
            invalid: !head.get::<_, bool>(18),
        });
    };
    let sql = format!(
        "SELECT i.indrelid, ic.relname::text, i.indexrelid, i.indisunique, am.amname::text, i.indnkeyatts::int, \
                        k.ord::int, ta.attname::text, \
                        CASE WHEN k.num = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true) END, \
                        COALESCE((i.indoption::int2[])[k.ord - 1], 0)::int, \
                        CASE WHEN opc.opcdefault THEN NULL ELSE opc.opcname::text END, \
                        CASE WHEN ons.nspname NOT IN ('pg_catalog', 'public') THEN ons.nspname::text END, \
                        CASE WHEN ia.attcollation = COALESCE(NULLIF(ta.attcollation, 0), it.typcollation) THEN NULL \
                             ELSE coll.collname::text END, \
                        CASE WHEN cns.nspname NOT IN ('pg_catalog', 'public') THEN cns.nspname::text END, \
                        CASE WHEN k.ord = 1 THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) END, \
                        {index_nulls}, d.description, con.oid IS NOT NULL, i.indisvalid \
                 FROM pg_catalog.pg_index i \
                 JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
                 JOIN pg_catalog.pg_am am ON am.oid = ic.relam \
                 JOIN pg_catalog.pg_class c ON c.oid = i.indrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, ord) \
                 JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.ord \
                 JOIN pg_catalog.pg_type it ON it.oid = ia.atttypid \
                 LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = k.num AND k.num > 0 \
                 LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = (i.indclass::oid[])[k.ord - 1] \
                 LEFT JOIN pg_catalog.pg_namespace ons ON ons.oid = opc.opcnamespace \
                 LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = ia.attcollation \
                 LEFT JOIN pg_catalog.pg_namespace cns ON cns.oid = coll.collnamespace \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass \
                                                      AND d.objsubid = 0 AND k.ord = 1 \
                 LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x') \
                 WHERE {index_filter} \
                 ORDER BY i.indrelid, ic.relname, k.ord"
    );
    s.each("reading indexes", &sql, p, |r| {
        if group
            .first()
            .is_some_and(|first| first.get::<_, u32>(2) != r.get::<_, u32>(2))
        {
            index(&group);
            group.clear();
        }
        group.push(r);
    })
    .await?;
    index(&group);
    // Each table's lists were grown a row at a time: the room kept for more is freed (a large schema is held
    // for the whole run).
    Ok(order
        .into_iter()
        .filter_map(|oid| tables.remove(&oid))
        .map(|mut t| {
            t.columns.shrink_to_fit();
            t.uniques.shrink_to_fit();
            t.foreign_keys.shrink_to_fit();
            t.checks.shrink_to_fit();
            t.exclusions.shrink_to_fit();
            t.indexes.shrink_to_fit();
            t
        })
        .collect())
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}
