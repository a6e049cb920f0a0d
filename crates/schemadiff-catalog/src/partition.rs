//! Partitioned tables and partitions, the catalog stage: the partition key (`pg_get_partkeydef`), a
//! partition's parent (`pg_inherits`) and bounds (`pg_get_expr(relpartbound)`), read with the tables; and the
//! filters that leave out what PostgreSQL copied from a partitioned table onto its partitions (the model
//! declares it once, on the partitioned table): constraints with a parent constraint (`conparentid`),
//! inherited checks (`NOT conislocal`), indexes attached to a partitioned index (`pg_inherits`).

use schemadiff_model::{PartitionOf, QualifiedName, Table};
use tokio_postgres::Row;

/// The select-list of the table query (4 columns, at the offset given to [`from_row`]).
pub(crate) const COLUMNS: &str = "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, \
     pn.nspname::text, pc.relname::text, \
     CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END";

/// The joins of the table query that give a partition's parent.
pub(crate) const JOINS: &str = "LEFT JOIN pg_catalog.pg_inherits pi ON c.relispartition AND pi.inhrelid = c.oid \
     LEFT JOIN pg_catalog.pg_class pc ON pc.oid = pi.inhparent \
     LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace";

/// Constraints (`co`) of a table's own, not copies of a partitioned table's.
pub(crate) const NOT_CLONED_CONSTRAINT: &str =
    "co.conparentid = 0 AND (co.contype <> 'c' OR co.conislocal)";

/// Indexes (`i`) of a table's own, not a partition's part of a partitioned index.
pub(crate) const NOT_CLONED_INDEX: &str =
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ii WHERE ii.inhrelid = i.indexrelid)";

/// The partition attributes of `t` from the row's columns at `at` ([`COLUMNS`]).
pub(crate) fn from_row(r: &Row, at: usize, t: &mut Table) {
    t.partition_by = r.get(at);
    let parent: Option<(String, String)> = r
        .get::<_, Option<String>>(at + 1)
        .zip(r.get::<_, Option<String>>(at + 2));
    let bounds: Option<String> = r.get(at + 3);
    if let (Some((schema, name)), Some(bounds)) = (parent, bounds) {
        t.partition_of = Some(PartitionOf {
            parent: QualifiedName::new(schema, name),
            bounds,
        });
    }
}
