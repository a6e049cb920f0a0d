//! The schema model: what schema.toml declares and what introspection reads back.
//!
//! Lists keep declaration order (column order matters to PostgreSQL; the rest keeps output stable).
//! Optional names (`name: None`) mean "PostgreSQL's own default name", so a model without names matches a
//! database created with plain DDL.

use crate::ident::QualifiedName;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    pub extensions: Vec<Extension>,
    pub schemas: Vec<SchemaDef>,
    pub enums: Vec<EnumType>,
    /// Domains (see [`crate::domain`]).
    pub domains: Vec<crate::domain::Domain>,
    /// Composite types (see [`crate::composite`]).
    pub composite_types: Vec<crate::composite::CompositeType>,
    /// Range types (see [`crate::range`]).
    pub range_types: Vec<crate::range::RangeType>,
    pub sequences: Vec<Sequence>,
    pub tables: Vec<std::sync::Arc<Table>>,
    /// Views and materialized views (see [`crate::view`]).
    pub views: Vec<crate::view::View>,
    /// Functions and procedures (see [`crate::function`]).
    pub functions: Vec<crate::function::Function>,
    /// Triggers of tables and views (see [`crate::trigger`]).
    pub triggers: Vec<crate::trigger::Trigger>,
    /// Row-level security policies of tables (see [`crate::policy`]).
    pub policies: Vec<crate::policy::Policy>,
    /// The roles the schema refers to (`[roles]`): cluster-wide, so declared rather than managed; scratch
    /// databases find them, plans never create them. Read from a catalog: the roles its policies name.
    pub roles: Vec<String>,
    /// The privileges of the objects whose privileges differ from PostgreSQL's defaults (see
    /// [`crate::grant`]).
    pub grants: Vec<crate::grant::ObjectGrants>,
    /// The owners stated for objects, only with `[migrations] manage_ownership = true` (see
    /// [`crate::owner`]).
    pub owners: Vec<crate::owner::ObjectOwner>,
    /// What uses what, from the catalog (empty as written; see [`crate::deps`]).
    pub dependencies: Vec<crate::deps::Dependency>,
    /// Where and how migrations are written (`[migrations]`); not part of the database.
    pub migrations: Option<MigrationsConfig>,
    /// The objects schemadiff leaves to other tools (`[filter]`); not part of the database.
    pub filter: Option<FilterConfig>,
    /// Where the entity-relationship diagram is kept (`[erd]`); not part of the database.
    pub erd: Option<ErdConfig>,
    /// The major version of the PostgreSQL the schema is for (`postgres_version = 17`): the scratch server's
    /// when no live database says otherwise. Not part of the database.
    pub postgres_version: Option<u32>,
}

/// `[filter]`: globs of objects (`schema.name`, or a name alone) schemadiff manages or leaves alone, and schemas
/// it leaves alone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterConfig {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub exclude_schemas: Vec<String>,
    /// Go on when a database holds objects the model cannot represent (`--ignore-unsupported`).
    pub ignore_unsupported: bool,
}

impl Schema {
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name).map(|t| &**t)
    }

    /// The tables by name, for looking many up (a loop over the tables of another schema): what
    /// [`Schema::table`] finds, without a scan each time. The first of two tables of one name wins, as there.
    pub fn tables_by_name(&self) -> std::collections::HashMap<&QualifiedName, &Table> {
        let mut map = std::collections::HashMap::with_capacity(self.tables.len());
        for t in &self.tables {
            map.entry(&t.name).or_insert(&**t);
        }
        map
    }

    pub fn view(&self, name: &QualifiedName) -> Option<&crate::view::View> {
        self.views.iter().find(|v| &v.name == name)
    }

    /// The function or procedure of this name and input argument types (`oidvectortypes` form).
    pub fn function(
        &self,
        name: &QualifiedName,
        signature: &str,
    ) -> Option<&crate::function::Function> {
        self.functions
            .iter()
            .find(|f| &f.name == name && f.signature == signature)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub name: String,
    pub version: Option<String>,
    /// The schema the extension's objects are installed in.
    pub schema: Option<String>,
}

/// A namespace (`CREATE SCHEMA`). `public` exists without being declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaDef {
    pub name: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    pub name: QualifiedName,
    pub values: Vec<EnumValue>,
    pub comment: Option<String>,
    pub renamed_from: Option<QualifiedName>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub name: String,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub name: QualifiedName,
    /// `smallint`, `integer` or `bigint` (PostgreSQL's default is bigint).
    pub data_type: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
    /// The column that owns the sequence: the sequence is dropped with it.
    pub owned_by: Option<ColumnRef>,
    pub comment: Option<String>,
    pub renamed_from: Option<QualifiedName>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRef {
    pub table: QualifiedName,
    pub column: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: QualifiedName,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<Unique>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    pub exclusions: Vec<Exclusion>,
    pub indexes: Vec<Index>,
    pub comment: Option<String>,
    pub renamed_from: Option<QualifiedName>,
    /// ENABLE ROW LEVEL SECURITY (see [`crate::policy`]).
    pub row_level_security: bool,
    /// FORCE ROW LEVEL SECURITY: the policies apply to the table's owner too.
    pub force_row_level_security: bool,
    /// `CREATE UNLOGGED TABLE` (see [`crate::table_options`]).
    pub unlogged: bool,
    /// Storage parameters (`WITH (fillfactor = 70)`) in their order, values as the server keeps them.
    pub storage_parameters: Vec<(String, String)>,
    /// `REPLICA IDENTITY`: what logical decoding writes of an updated or deleted row.
    pub replica_identity: crate::table_options::ReplicaIdentity,
    /// A partitioned table: its partition key as `pg_get_partkeydef` prints it (`RANGE (at)`), see
    /// [`crate::partition`].
    pub partition_by: Option<String>,
    /// A partition: its parent and bounds. Its columns are its parent's and not listed.
    pub partition_of: Option<crate::partition::PartitionOf>,
}

impl Table {
    pub fn new(name: QualifiedName) -> Self {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            indexes: Vec::new(),
            comment: None,
            renamed_from: None,
            row_level_security: false,
            force_row_level_security: false,
            unlogged: false,
            storage_parameters: Vec::new(),
            replica_identity: crate::table_options::ReplicaIdentity::Default,
            partition_by: None,
            partition_of: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A table's column.
///
/// The fields nearly every column sets are held here directly; the rest, which nearly every column leaves at its
/// default, are in [`ColumnExtras`], boxed only when one of them is set (a schema of 100,000 columns is held twice
/// while planning, so the size of a column counts). Read them with [`Column::extras`], set them with
/// [`Column::extras_mut`]. Equality does not tell an absent box from one holding only defaults.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    /// The type as SQL text (`varchar(255)`, `timestamptz`, `billing.status`, `integer[]`).
    pub data_type: String,
    pub not_null: bool,
    /// The default as an SQL expression.
    pub default: Option<String>,
    pub identity: Option<Identity>,
    pub comment: Option<String>,
    /// The rarely set rest; `None` when all of it is at its default. Use [`Column::extras`] and
    /// [`Column::extras_mut`] rather than this field.
    pub extras: Option<Box<ColumnExtras>>,
}

/// The fields of a [`Column`] that are almost always at their default, boxed apart so that a plain column stays
/// small. `ColumnExtras::default()` (also [`ColumnExtras::DEFAULT`]) is a column that sets none of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnExtras {
    /// The options of the identity's sequence (only those that differ from the defaults for the column's type).
    pub identity_options: IdentityOptions,
    /// `GENERATED ALWAYS AS (expression) STORED`, or `VIRTUAL` with `generated_virtual` (PostgreSQL 18).
    pub generated: Option<String>,
    /// The generated column is computed when read (`VIRTUAL`, PostgreSQL 18) rather than stored.
    pub generated_virtual: bool,
    pub collation: Option<String>,
    /// The column's previous name: the change is a rename that keeps the data.
    pub renamed_from: Option<String>,
    /// The `USING` expression for a type change.
    pub using: Option<String>,
    /// `SET STORAGE` when not the type's own (`plain`, `external`, `extended`, `main`).
    pub storage: Option<String>,
    /// `SET COMPRESSION` (`pglz`, `lz4`; PostgreSQL 14+) when not the server's default.
    pub compression: Option<String>,
    /// `SET STATISTICS`: the statistics target when not the default.
    pub statistics: Option<i32>,
    /// The name of the NOT NULL constraint (PostgreSQL 18 keeps NOT NULL as a named constraint, earlier
    /// majors keep no name, and read none). `None` in schema.toml: the default `<table>_<column>_not_null`.
    pub not_null_name: Option<String>,
}

impl ColumnExtras {
    /// Every field at its default: the same as `ColumnExtras::default()`, usable in a `const` or `static`.
    pub const DEFAULT: ColumnExtras = ColumnExtras {
        identity_options: IdentityOptions::DEFAULT,
        generated: None,
        generated_virtual: false,
        collation: None,
        renamed_from: None,
        using: None,
        storage: None,
        compression: None,
        statistics: None,
        not_null_name: None,
    };

    /// Whether every field is at its default (a column with these extras needs no box).
    pub fn is_default(&self) -> bool {
        *self == ColumnExtras::DEFAULT
    }
}

/// What [`Column::extras`] returns for a column without a box.
static NO_EXTRAS: ColumnExtras = ColumnExtras::DEFAULT;

impl Column {
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            not_null: false,
            default: None,
            identity: None,
            comment: None,
            extras: None,
        }
    }

    /// The rarely set fields (all at their default when the column has no box).
    pub fn extras(&self) -> &ColumnExtras {
        self.extras.as_deref().unwrap_or(&NO_EXTRAS)
    }

    /// The rarely set fields, to change them: boxes them on first use. Call it only to set a value that is not
    /// the default (or call [`Column::compact`] after), so that plain columns stay unboxed.
    pub fn extras_mut(&mut self) -> &mut ColumnExtras {
        self.extras.get_or_insert_with(Box::default)
    }

    /// Sets all the rarely set fields at once, boxing them only when one of them is not at its default.
    pub fn set_extras(&mut self, extras: ColumnExtras) {
        self.extras = (!extras.is_default()).then(|| Box::new(extras));
    }

    /// Drops the box when everything in it is at its default (after fields were cleared).
    pub fn compact(&mut self) {
        if self.extras.as_deref().is_some_and(ColumnExtras::is_default) {
            self.extras = None;
        }
    }
}

/// By hand so that a column without a box equals one whose box holds only defaults.
impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.data_type == other.data_type
            && self.not_null == other.not_null
            && self.default == other.default
            && self.identity == other.identity
            && self.comment == other.comment
            && self.extras() == other.extras()
    }
}

impl Eq for Column {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    Always,
    ByDefault,
}

impl Identity {
    pub const NAMES: [&'static str; 2] = ["always", "by default"];

    pub fn sql(self) -> &'static str {
        match self {
            Identity::Always => "GENERATED ALWAYS AS IDENTITY",
            Identity::ByDefault => "GENERATED BY DEFAULT AS IDENTITY",
        }
    }
}

/// The sequence options of an identity column; `None` is PostgreSQL's default for the column's type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdentityOptions {
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
}

impl IdentityOptions {
    /// PostgreSQL's default for every option: the same as `IdentityOptions::default()`, usable in a `const`.
    pub const DEFAULT: IdentityOptions = IdentityOptions {
        start: None,
        increment: None,
        min_value: None,
        max_value: None,
        cache: None,
        cycle: false,
    };

    pub fn is_default(&self) -> bool {
        *self == IdentityOptions::DEFAULT
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// Columns stored in the key's index without being part of the key (`INCLUDE`).
    pub include: Vec<String>,
    pub nulls_not_distinct: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub references: QualifiedName,
    /// The referenced columns; the loader fills in the referenced primary key when they are left out.
    pub referenced_columns: Vec<String>,
    pub on_delete: FkAction,
    /// The columns `ON DELETE SET NULL` / `SET DEFAULT` sets (all of them when empty; PostgreSQL 15+).
    pub on_delete_columns: Vec<String>,
    pub on_update: FkAction,
    /// `MATCH FULL` (else `MATCH SIMPLE`, the default).
    pub match_full: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// `NOT VALID`: existing rows are not checked (and the constraint is never validated by a plan).
    pub not_valid: bool,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub const NAMES: [&'static str; 5] = [
        "no action",
        "restrict",
        "cascade",
        "set null",
        "set default",
    ];
    pub const ALL: [FkAction; 5] = [
        FkAction::NoAction,
        FkAction::Restrict,
        FkAction::Cascade,
        FkAction::SetNull,
        FkAction::SetDefault,
    ];

    /// Parse the schema.toml spelling: any case, spaces or underscores (`set null`, `SET_NULL`).
    pub fn parse(text: &str) -> Option<Self> {
        let norm = text.trim().to_lowercase().replace('_', " ");
        Self::NAMES
            .iter()
            .position(|n| *n == norm)
            .map(|i| Self::ALL[i])
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[Self::ALL.iter().position(|a| *a == self).expect("listed")]
    }

    pub fn sql(self) -> String {
        self.name().to_uppercase()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: Option<String>,
    /// The boolean SQL expression.
    pub expression: String,
    /// `NO INHERIT`: not passed on to child tables.
    pub no_inherit: bool,
    /// `NOT VALID`: existing rows are not checked (and the constraint is never validated by a plan).
    pub not_valid: bool,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub name: Option<String>,
    /// The index access method (`gist` by default).
    pub method: Option<String>,
    pub elements: Vec<ExclusionElement>,
    pub include: Vec<String>,
    pub where_clause: Option<String>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub comment: Option<String>,
}

impl Exclusion {
    /// The columns of its index (elements, then INCLUDE), or `None` when an element is an expression.
    pub fn plain_columns(&self) -> Option<Vec<&str>> {
        plain_columns(self.elements.iter().map(|e| &e.key), &self.include)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionElement {
    pub key: IndexKey,
    /// The operator the element is compared with (`=`, `&&`).
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: Option<String>,
    pub unique: bool,
    /// `btree` when absent.
    pub method: Option<String>,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    pub where_clause: Option<String>,
    pub nulls_not_distinct: bool,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
    /// Read from a database only, never written in schema.toml: the index exists but is not valid (a
    /// `CREATE INDEX CONCURRENTLY` that failed, or an index made `ON ONLY` a partitioned table and not yet
    /// attached on every partition). PostgreSQL does not use it, and it does not enforce uniqueness: a plan
    /// drops it and builds it again.
    pub invalid: bool,
}

impl Index {
    /// Its columns (keys, then INCLUDE), or `None` when a key is an expression.
    pub fn plain_columns(&self) -> Option<Vec<&str>> {
        plain_columns(self.keys.iter(), &self.include)
    }
}

fn plain_columns<'a>(
    keys: impl Iterator<Item = &'a IndexKey>,
    include: &'a [String],
) -> Option<Vec<&'a str>> {
    keys.map(|k| match &k.target {
        IndexTarget::Column(c) => Some(c.as_str()),
        IndexTarget::Expression(_) => None,
    })
    .chain(include.iter().map(|c| Some(c.as_str())))
    .collect()
}

/// One key of an index: a column or an expression, with its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexKey {
    pub target: IndexTarget,
    pub collation: Option<String>,
    pub opclass: Option<String>,
    pub descending: bool,
    /// `Some(true)` NULLS FIRST, `Some(false)` NULLS LAST, `None` the default for the order.
    pub nulls_first: Option<bool>,
}

impl IndexKey {
    pub fn column(name: impl Into<String>) -> Self {
        IndexKey {
            target: IndexTarget::Column(name.into()),
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexTarget {
    Column(String),
    Expression(String),
}

/// `[migrations]`: where migrations live and how they are named and written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MigrationsConfig {
    pub dir: Option<String>,
    pub format: Option<String>,
    pub naming: Option<String>,
    /// `"tables"`: one migration per created or altered table; `"none"` (the default): one for the change.
    pub split: Option<String>,
    /// `online = true`: plans avoid long locks on tables that exist (see docs/online.md).
    pub online: bool,
    /// `lock_timeout` set at the top of each online migration (default [`MigrationsConfig::LOCK_TIMEOUT`]).
    pub lock_timeout: Option<String>,
    /// `statement_timeout` set at the top of each online migration (default
    /// [`MigrationsConfig::STATEMENT_TIMEOUT`]).
    pub statement_timeout: Option<String>,
    /// The `statement_timeout` of an online migration's long steps: concurrent index builds and drops,
    /// validations (default [`MigrationsConfig::LONG_STATEMENT_TIMEOUT`], no limit).
    pub long_statement_timeout: Option<String>,
    /// Hazards allowed without asking (their codes, see docs/hazards.md).
    pub allow_hazards: Vec<String>,
    /// `manage_ownership = true`: owners are read, compared, dumped and planned (see [`crate::owner`]).
    pub manage_ownership: bool,
}

impl MigrationsConfig {
    pub const LOCK_TIMEOUT: &'static str = "5s";
    pub const STATEMENT_TIMEOUT: &'static str = "1min";
    pub const LONG_STATEMENT_TIMEOUT: &'static str = "0";
    /// Every hazard code (the `Hazard` enum of schemadiff-diff; a test there keeps them equal).
    pub const HAZARDS: [&'static str; 18] = [
        "deletes_data",
        "rewrites_table",
        "access_exclusive_lock",
        "share_lock",
        "share_row_exclusive_lock",
        "builds_index",
        "builds_index_blocking_writes",
        "drops_index",
        "may_fail_on_existing_data",
        "untrackable_dependencies",
        "changes_access",
        "upgrades_extension",
        "not_transactional",
        "recomputes_materialized_view",
        "needs_hand_written_step",
        "security_definer_without_search_path",
        "removes_row_security",
        "rebuilds_table",
    ];

    /// Whether PostgreSQL reads `text` as a duration setting: a whole number, then optionally a unit.
    pub fn is_duration(text: &str) -> bool {
        let t = text.trim();
        let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
        digits > 0 && ["", "ms", "s", "min", "h", "d"].contains(&t[digits..].trim_start())
    }

    pub fn lock_timeout(&self) -> &str {
        self.lock_timeout.as_deref().unwrap_or(Self::LOCK_TIMEOUT)
    }

    pub fn statement_timeout(&self) -> &str {
        self.statement_timeout
            .as_deref()
            .unwrap_or(Self::STATEMENT_TIMEOUT)
    }

    pub fn long_statement_timeout(&self) -> &str {
        self.long_statement_timeout
            .as_deref()
            .unwrap_or(Self::LONG_STATEMENT_TIMEOUT)
    }

    pub const FORMATS: [&'static str; 8] = [
        "plain",
        "mybatis",
        "flyway",
        "golang-migrate",
        "sqlx",
        "dbmate",
        "goose",
        "diesel",
    ];
    pub const NAMINGS: [&'static str; 2] = ["sequential", "timestamp"];
    pub const SPLITS: [&'static str; 2] = ["none", "tables"];
}

/// `[erd]`: the committed entity-relationship diagram that `check` keeps true and `erd --write` refreshes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErdConfig {
    /// Relative to schema.toml; the format comes from the extension (`.mmd`, `.puml`, `.dot`).
    pub file: Option<String>,
    /// Only the tables of these schemas (all when empty).
    pub schemas: Vec<String>,
    /// Leave out the tables whose name matches one of these globs (`*`, `?`).
    pub exclude: Vec<String>,
}

impl ErdConfig {
    /// The file extensions `[erd] file` may have, and the diagram format each one means.
    pub const EXTENSIONS: [(&'static str, &'static str); 6] = [
        ("mmd", "mermaid"),
        ("mermaid", "mermaid"),
        ("puml", "plantuml"),
        ("plantuml", "plantuml"),
        ("dot", "dot"),
        ("gv", "dot"),
    ];

    /// The diagram format of a file name, from its extension.
    pub fn format_of(file: &str) -> Option<&'static str> {
        let ext = file.rsplit_once('.')?.1.to_lowercase();
        Self::EXTENSIONS
            .iter()
            .find(|(e, _)| *e == ext)
            .map(|(_, f)| *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain column stays small: two full copies of a 100,000-column schema are alive while planning.
    #[test]
    fn column_is_small() {
        let size = std::mem::size_of::<Column>();
        assert!(
            size <= 120,
            "Column is {size} bytes; box rarely set fields in ColumnExtras"
        );
    }

    #[test]
    fn default_extras_equal_none() {
        let plain = Column::new("id", "bigint");
        let mut boxed = plain.clone();
        boxed.extras = Some(Box::default());
        assert_eq!(plain, boxed);
        assert_eq!(boxed, plain);
        assert_eq!(*boxed.extras(), ColumnExtras::default());
        assert_eq!(ColumnExtras::DEFAULT, ColumnExtras::default());
        assert!(plain.extras.is_none());

        let mut set = plain.clone();
        set.extras_mut().collation = Some("C".into());
        assert_ne!(plain, set);
        assert_ne!(set, boxed);
        set.compact();
        assert!(set.extras.is_some(), "a box with a value set is kept");

        let mut cleared = set.clone();
        cleared.extras_mut().collation = None;
        assert_eq!(cleared, plain);
        cleared.compact();
        assert!(cleared.extras.is_none(), "an all-default box is dropped");

        let mut via_set = plain.clone();
        via_set.set_extras(ColumnExtras::default());
        assert!(via_set.extras.is_none());
        via_set.set_extras(ColumnExtras {
            statistics: Some(500),
            ..ColumnExtras::DEFAULT
        });
        assert_eq!(via_set.extras().statistics, Some(500));
    }
}
