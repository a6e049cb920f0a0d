//! Reading a database's schema from `pg_catalog` into the model.
//!
//! Everything is read in one `READ ONLY` transaction (one snapshot) with a `statement_timeout`, with one
//! query per object class, so the number of statements does not grow with the schema. Definitions come in
//! the server's canonical form (`format_type`, `pg_get_expr`, `pg_get_indexdef`), read with
//! `search_path = public` so that names in `public` are written bare and all others qualified, whatever the
//! session's own setting. System schemas and objects that belong to extensions are skipped.

use std::collections::BTreeMap;

use schemadiff_model::{
    Check, Column, ColumnRef, EnumType, EnumValue, Exclusion, ExclusionElement, Extension,
    FkAction, ForeignKey, Identity, IdentityOptions, Index, IndexKey, IndexTarget, PrimaryKey,
    QualifiedName, Schema, SchemaDef, Sequence, Table, Unique,
};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row};

/// What to read.
#[derive(Debug, Clone)]
pub struct IntrospectOptions {
    /// Only these schemas (all but the system ones when empty).
    pub schemas: Vec<String>,
    /// The `statement_timeout` of the reading transaction, in milliseconds.
    pub statement_timeout_ms: u64,
}

impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions {
            schemas: Vec::new(),
            statement_timeout_ms: 30_000,
        }
    }
}

/// A schema read from a database, with facts about the reading.
#[derive(Debug, Clone)]
pub struct Introspection {
    pub schema: Schema,
    /// `server_version_num`, e.g. 150004.
    pub server_version_num: i32,
    /// How many statements the reading sent (a constant, whatever the size of the schema).
    pub statements: usize,
    /// What the schemas read hold that the model cannot represent (see [`crate::unsupported`]).
    pub unsupported: Vec<crate::unsupported::Unsupported>,
}

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("reading the catalog failed while {step}: {message}")]
    Query { step: &'static str, message: String },
    #[error("PostgreSQL {version} is not supported: schemadiff reads PostgreSQL 13 to 18")]
    Version { version: String },
    #[error("{what} is not supported yet by schemadiff ({detail})")]
    Unsupported { what: String, detail: &'static str },
}

/// The server's error message, with detail and hint when it gives them.
pub fn server_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            if let Some(h) = db.hint() {
                m.push_str(&format!("; hint: {h}"));
            }
            // Messages quote names and values, which may hold line breaks or escape sequences.
            schemadiff_model::printable(&m).into_owned()
        }
        None => schemadiff_model::printable(&e.to_string()).into_owned(),
    }
}

struct Session<'a> {
    client: &'a Client,
    statements: usize,
}

impl Session<'_> {
    async fn batch(&mut self, step: &'static str, sql: &str) -> Result<(), IntrospectError> {
        self.statements += 1;
        self.client
            .batch_execute(sql)
            .await
            .map_err(|e| IntrospectError::Query {
                step,
                message: server_message(&e),
            })
    }

    async fn query(
        &mut self,
        step: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, IntrospectError> {
        self.statements += 1;
        self.client
            .query(sql, params)
            .await
            .map_err(|e| IntrospectError::Query {
                step,
                message: server_message(&e),
            })
    }
}

/// A condition on a namespace `n` (alias) that keeps user schemas, optionally only the listed ones (`$1`).
pub(crate) const NAMESPACE_FILTER: &str = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' \
     AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))";

/// A condition that an object (`classid`, `objid`) does not belong to an extension.
pub(crate) fn not_in_extension(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = '{catalog}'::regclass \
         AND dep.objid = {oid} AND dep.deptype = 'e')"
    )
}

/// Read the schema of the database `client` is connected to.
pub async fn introspect(
    client: &Client,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut s = Session {
        client,
        statements: 0,
    };
    s.batch(
        "starting the read-only transaction",
        &format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = {}; SET LOCAL search_path = public; SET LOCAL jit = off",
            options.statement_timeout_ms
        ),
    )
    .await?;
    let result = read_all(&mut s, options).await;
    // A read-only transaction has nothing to keep: end it either way.
    let end = s
        .batch("ending the read-only transaction", "ROLLBACK")
        .await;
    let (schema, server_version_num, unsupported) = result?;
    end?;
    Ok(Introspection {
        schema,
        server_version_num,
        statements: s.statements,
        unsupported,
    })
}

async fn read_all(
    s: &mut Session<'_>,
    options: &IntrospectOptions,
) -> Result<(Schema, i32, Vec<crate::unsupported::Unsupported>), IntrospectError> {
    let version: i32 = s
        .query(
            "reading the server version",
            "SELECT current_setting('server_version_num')::int",
            &[],
        )
        .await?[0]
        .get(0);
    if !(130000..190000).contains(&version) {
        return Err(IntrospectError::Version {
            version: format!("{}.{}", version / 10000, version % 10000),
        });
    }
    let filter: Vec<String> = options.schemas.clone();
    let p: &[&(dyn ToSql + Sync)] = &[&filter];
    let mut schema = Schema::default();

    // Schemas. `public` exists everywhere; it is listed only when its comment was changed.
    let rows = s
        .query(
            "reading schemas",
            &format!(
                "SELECT n.nspname::text, d.description FROM pg_catalog.pg_namespace n \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass \
                 WHERE {NAMESPACE_FILTER} AND {} ORDER BY 1",
                not_in_extension("pg_namespace", "n.oid")
            ),
            p,
        )
        .await?;
    for r in rows {
        let name: String = r.get(0);
        let comment: Option<String> = r.get(1);
        if name == "public"
            && comment
                .as_deref()
                .is_none_or(|c| c == "standard public schema")
        {
            continue;
        }
        schema.schemas.push(SchemaDef { name, comment });
    }

    // Extensions (plpgsql is in every database).
    let rows = s
        .query(
            "reading extensions",
            "SELECT e.extname::text, e.extversion, n.nspname::text FROM pg_catalog.pg_extension e \
             JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
             WHERE e.extname <> 'plpgsql' AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[])) ORDER BY 1",
            p,
        )
        .await?;
    for r in rows {
        let nsp: String = r.get(2);
        schema.extensions.push(Extension {
            name: r.get(0),
            version: Some(r.get(1)),
            schema: (nsp != "public").then_some(nsp),
        });
    }

    // Enums.
    let rows = s
        .query(
            "reading enum types",
            &format!(
                "SELECT n.nspname::text, t.typname::text, \
                        array(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), \
                        d.description \
                 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0 \
                 WHERE t.typtype = 'e' AND {NAMESPACE_FILTER} AND {} ORDER BY 1, 2",
                not_in_extension("pg_type", "t.oid")
            ),
            p,
        )
        .await?;
    for r in rows {
        let labels: Vec<String> = r.get(2);
        schema.enums.push(EnumType {
            name: QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            values: labels
                .into_iter()
                .map(|name| EnumValue {
                    name,
                    renamed_from: None,
                })
                .collect(),
            comment: r.get(3),
            renamed_from: None,
        });
    }

    // Domains.
    let rows = s
        .query("reading domains", &crate::domain::query(), p)
        .await?;
    schema.domains = crate::domain::from_rows(&rows);

    // Range types.
    let rows = s
        .query("reading range types", &crate::range::query(version), p)
        .await?;
    schema.range_types = crate::range::from_rows(&rows);

    // Composite types.
    let rows = s
        .query("reading composite types", &crate::composite::query(), p)
        .await?;
    schema.composite_types = crate::composite::from_rows(&rows);

    // Sequences, except those of identity columns (an internal dependency).
    let rows = s
        .query(
            "reading sequences",
            &format!(
                "SELECT n.nspname::text, c.relname::text, pg_catalog.format_type(q.seqtypid, NULL), \
                        q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle, \
                        own.nspname::text, own.relname::text, own.attname::text, d.description \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_catalog.pg_sequence q ON q.seqrelid = c.oid \
                 LEFT JOIN LATERAL ( \
                     SELECT tn.nspname, t.relname, a.attname FROM pg_catalog.pg_depend dep \
                     JOIN pg_catalog.pg_class t ON t.oid = dep.refobjid \
                     JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace \
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = dep.refobjsubid \
                     WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid \
                       AND dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'a' LIMIT 1) own ON true \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 \
                 WHERE c.relkind = 'S' AND {NAMESPACE_FILTER} AND {} \
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_class'::regclass \
                                   AND i.objid = c.oid AND i.deptype = 'i') \
                 ORDER BY 1, 2",
                not_in_extension("pg_class", "c.oid")
            ),
            p,
        )
        .await?;
    for r in rows {
        let data_type: String = r.get(2);
        let (start, increment, min, max, cache): (i64, i64, i64, i64, i64) =
            (r.get(3), r.get(4), r.get(5), r.get(6), r.get(7));
        let (default_min, default_max, default_start) =
            sequence_defaults(&data_type, increment, min, max);
        let owned_by = match (
            r.get::<_, Option<String>>(9),
            r.get::<_, Option<String>>(10),
            r.get::<_, Option<String>>(11),
        ) {
            (Some(ns), Some(t), Some(c)) => Some(ColumnRef {
                table: QualifiedName::new(ns, t),
                column: c,
            }),
            _ => None,
        };
        schema.sequences.push(Sequence {
            name: QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            data_type: (data_type != "bigint").then_some(data_type),
            start: (start != default_start).then_some(start),
            increment: (increment != 1).then_some(increment),
            min_value: (min != default_min).then_some(min),
            max_value: (max != default_max).then_some(max),
            cache: (cache != 1).then_some(cache),
            cycle: r.get(8),
            owned_by,
            comment: r.get(12),
            renamed_from: None,
        });
    }

    // Tables.
    let rows = s
        .query(
            "reading tables",
            &format!(
                "SELECT c.oid, n.nspname::text, c.relname::text, d.description \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 \
                 WHERE c.relkind = 'r' AND NOT c.relispartition AND {NAMESPACE_FILTER} AND {} ORDER BY 2, 3",
                not_in_extension("pg_class", "c.oid")
            ),
            p,
        )
        .await?;
    let mut tables: BTreeMap<u32, Table> = BTreeMap::new();
    let mut order: Vec<u32> = Vec::new();
    for r in rows {
        let oid: u32 = r.get(0);
        let mut t = Table::new(QualifiedName::new(
            r.get::<_, String>(1),
            r.get::<_, String>(2),
        ));
        t.comment = r.get(3);
        tables.insert(oid, t);
        order.push(oid);
    }
    let table_filter = format!(
        "c.relkind = 'r' AND NOT c.relispartition AND {NAMESPACE_FILTER} AND {}",
        not_in_extension("pg_class", "c.oid")
    );
    // Views and materialized views (the indexes of the latter come with the tables' below).
    let rows = s.query("reading views", &crate::view::query(), p).await?;
    let (mut views, view_order) = crate::view::from_rows(&rows);
    let index_filter = format!(
        "((c.relkind = 'r' AND NOT c.relispartition) OR c.relkind = 'm') AND {NAMESPACE_FILTER} AND {}",
        not_in_extension("pg_class", "c.oid")
    );

    // Columns of every table.
    let generated = "a.attgenerated::text";
    let rows = s
        .query(
            "reading columns",
            &format!(
                "SELECT a.attrelid, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, \
                        pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, {generated}, \
                        CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END, \
                        d.description, \
                        CASE WHEN cn.nspname NOT IN ('pg_catalog', 'public') THEN cn.nspname::text END, \
                        a.attnum, \
                        pg_catalog.format_type(idq.seqtypid, NULL), idq.seqstart, idq.seqincrement, idq.seqmin, \
                        idq.seqmax, idq.seqcache, idq.seqcycle \
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
                 WHERE a.attnum > 0 AND NOT a.attisdropped AND {table_filter} \
                 ORDER BY a.attrelid, a.attnum"
            ),
            p,
        )
        .await?;
    // Column names by (table, number), for the constraints below.
    let mut attnames: BTreeMap<(u32, i16), String> = BTreeMap::new();
    for r in rows {
        attnames.insert((r.get(0), r.get(10)), r.get(1));
        let Some(t) = tables.get_mut(&r.get::<_, u32>(0)) else {
            continue;
        };
        let expr: Option<String> = r.get(4);
        let identity: String = r.get(5);
        let generated: String = r.get(6);
        // 's': STORED; 'v': VIRTUAL (PostgreSQL 18).
        let is_generated = generated == "s" || generated == "v";
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
                c.identity_options = IdentityOptions {
                    start: (start != default_start).then_some(start),
                    increment: (increment != 1).then_some(increment),
                    min_value: (min != default_min).then_some(min),
                    max_value: (max != default_max).then_some(max),
                    cache: (cache != 1).then_some(cache),
                    cycle: r.get(17),
                };
            }
        }
        if is_generated {
            c.generated = expr;
            c.generated_virtual = generated == "v";
        } else {
            c.default = expr;
        }
        c.collation = r.get::<_, Option<String>>(7).map(|name| {
            QualifiedName::reference_text(r.get::<_, Option<String>>(9).as_deref(), &name)
        });
        c.comment = r.get(8);
        t.columns.push(c);
    }

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
    let rows = s
        .query(
            "reading constraints",
            &format!(
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
                 WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND {table_filter} \
                 ORDER BY co.conrelid, co.conname"
            ),
            p,
        )
        .await?;
    // Exclusion constraints take their keys from their index, read below.
    let mut exclusions: BTreeMap<u32, (u32, usize, Vec<String>)> = BTreeMap::new();
    // Unique constraints by their index, for their INCLUDE columns.
    let mut unique_indexes: BTreeMap<u32, (u32, usize)> = BTreeMap::new();
    for r in rows {
        let table_oid: u32 = r.get(0);
        let Some(t) = tables.get_mut(&table_oid) else {
            continue;
        };
        let name: String = r.get(1);
        let kind: String = r.get(2);
        let numbers: Vec<i16> = r.get::<_, Option<Vec<i16>>>(3).unwrap_or_default();
        let columns: Vec<String> = numbers
            .iter()
            .filter_map(|n| attnames.get(&(table_oid, *n)).cloned())
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
                    .filter_map(|n| attnames.get(&(table_oid, *n)).cloned())
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
    }

    // Indexes of every table, one row per index column (joins, not per-row subqueries): plain indexes become
    // `indexes`; those behind exclusion constraints give their keys; those of keys and uniques are skipped.
    let index_nulls = if version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    let rows = s
        .query(
            "reading indexes",
            &format!(
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
                        {index_nulls}, d.description, con.oid IS NOT NULL \
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
            ),
            p,
        )
        .await?;
    // Rows come grouped by index, in key order.
    let mut rows = rows.into_iter().peekable();
    while let Some(first) = rows.next() {
        let index_oid: u32 = first.get(2);
        let mut group = vec![first];
        while rows.peek().is_some_and(|r| r.get::<_, u32>(2) == index_oid) {
            group.push(rows.next().expect("peeked"));
        }
        let head = &group[0];
        let table_oid: u32 = head.get(0);
        let key_count = head.get::<_, i32>(5) as usize;
        let reference = |r: &Row, name: usize, schema: usize| {
            r.get::<_, Option<String>>(name).map(|n| {
                QualifiedName::reference_text(r.get::<_, Option<String>>(schema).as_deref(), &n)
            })
        };
        let mut keys = Vec::new();
        let mut include = Vec::new();
        for r in &group {
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
            continue;
        }
        if let Some((t_oid, pos)) = unique_indexes.get(&index_oid) {
            if let Some(t) = tables.get_mut(t_oid) {
                t.uniques[*pos].include = include;
            }
            continue;
        }
        if head.get::<_, bool>(17) {
            continue; // the index of a primary key or unique constraint
        }
        let indexes = match (tables.get_mut(&table_oid), views.get_mut(&table_oid)) {
            (Some(t), _) => &mut t.indexes,
            (None, Some(v)) => &mut v.indexes,
            (None, None) => continue,
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
        });
    }

    schema.tables = order
        .into_iter()
        .filter_map(|oid| tables.remove(&oid))
        .collect();
    schema.views = view_order
        .into_iter()
        .filter_map(|oid| views.remove(&oid))
        .collect();
    // What uses what, for the order of changes.
    let rows = s
        .query("reading dependencies", &crate::deps::query(), p)
        .await?;
    schema.dependencies = crate::deps::from_rows(&rows);
    // What the model cannot represent: listed, so that nothing is lost without a word.
    let rows = s
        .query(
            "reading objects schemadiff does not model",
            &crate::unsupported::query(version),
            p,
        )
        .await?;
    Ok((schema, version, crate::unsupported::from_rows(&rows)))
}

/// The live schema as schema.toml text (`schemadiff dump`), in canonical form (see [`crate::normalize`]), so
/// that loading the dump and creating it gives a database that dumps to the same text. Extension versions are
/// left out: a desired state names the extensions it needs, not the build a server happens to have.
pub async fn dump(
    client: &Client,
    options: &IntrospectOptions,
    scratch: &crate::scratch::ScratchServer,
) -> Result<String, crate::normalize::NormalizeError> {
    Ok(schemadiff_model::to_toml(
        &dump_schema(client, options, scratch).await?,
    ))
}

/// The schema that [`dump`] writes.
pub async fn dump_schema(
    client: &Client,
    options: &IntrospectOptions,
    scratch: &crate::scratch::ScratchServer,
) -> Result<schemadiff_model::Schema, crate::normalize::NormalizeError> {
    let live = introspect(client, options).await?.schema;
    let mut schema = crate::normalize::canonicalize(live, scratch).await?;
    for e in &mut schema.extensions {
        e.version = None;
    }
    Ok(schema)
}

/// The minimum, maximum and start a sequence of `data_type` going by `increment` has when none is written
/// (the start depends on the bounds it has).
fn sequence_defaults(data_type: &str, increment: i64, min: i64, max: i64) -> (i64, i64, i64) {
    let (type_min, type_max) = match data_type {
        "smallint" => (i16::MIN as i64, i16::MAX as i64),
        "integer" => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    let (default_min, default_max) = if increment > 0 {
        (1, type_max)
    } else {
        (type_min, -1)
    };
    let default_start = if increment > 0 { min } else { max };
    (default_min, default_max, default_start)
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

/// `(a > 0)` -> `a > 0`, when the outer parentheses enclose the whole text (`(a) AND (b)` stays as is).
pub fn strip_outer_parens(expr: &str) -> &str {
    let t = expr.trim();
    if !(t.starts_with('(') && t.ends_with(')')) {
        return t;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, ch) in t.char_indices() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None => match ch {
                '\'' | '"' => quote = Some(ch),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 && i != t.len() - 1 {
                        return t; // the first group closes before the end
                    }
                }
                _ => {}
            },
        }
    }
    &t[1..t.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::strip_outer_parens;

    #[test]
    fn outer_parens() {
        assert_eq!(strip_outer_parens("(a > 0)"), "a > 0");
        assert_eq!(
            strip_outer_parens("((a >= 1) AND (a <= 9))"),
            "(a >= 1) AND (a <= 9)"
        );
        assert_eq!(
            strip_outer_parens("(a > 0) AND (b > 0)"),
            "(a > 0) AND (b > 0)"
        );
        assert_eq!(strip_outer_parens("(s <> ')')"), "s <> ')'");
        assert_eq!(strip_outer_parens("a > 0"), "a > 0");
    }
}
