//! Changes: one step of a plan, with its SQL, its hazards, and what it needs and frees.

use std::fmt;

use schemadiff_model::QualifiedName;

/// What a change risks. Every change lists its hazards; the plan shows them and refuses those not allowed
/// (`--allow-hazards`, `[migrations] allow_hazards`; `--allow-destructive` allows the data-deleting ones).
/// docs/hazards.md lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hazard {
    /// Rows or values are lost (a dropped table or column, a removed enum value).
    DeletesData,
    /// The whole table is rewritten (a type change, a recomputed column, a volatile default).
    RewritesTable,
    /// An ACCESS EXCLUSIVE lock blocks reads and writes for the duration.
    AccessExclusiveLock,
    /// A SHARE lock (a plain `CREATE INDEX`) blocks writes, not reads, for the duration.
    ShareLock,
    /// A SHARE ROW EXCLUSIVE lock (a new foreign key, on both tables) blocks writes for the duration.
    ShareRowExclusiveLock,
    /// An index is built concurrently: writes go on, but the build loads the server and waits for the
    /// transactions that run when it starts.
    BuildsIndex,
    /// An index is built while writes to the table wait.
    BuildsIndexBlockingWrites,
    /// An index is dropped: the queries that use it get slower.
    DropsIndex,
    /// The change checks existing rows and fails if one does not fit (SET NOT NULL, new CHECK, UNIQUE, FK).
    MayFailOnExistingData,
    /// Objects whose uses schemadiff cannot see (procedural function bodies, application queries) may use
    /// what the change drops or retypes: the server records nothing of what such a body names.
    UntrackableDependencies,
    /// Who may do what changes (grants, policies, security definers).
    ChangesAccess,
    /// An extension is upgraded: its own scripts run, and may change or lock anything.
    UpgradesExtension,
    /// Cannot run inside a transaction block (or its result cannot be used in the same one).
    NotTransactional,
    /// A materialized view is made anew: its query runs again over all its rows, and it is empty (or
    /// blocks readers) until then.
    RecomputesMaterializedView,
    /// No cast converts the values: the step goes through their text form, which fits only some values; a
    /// person should write it (a rollback's conversion back, typically).
    NeedsHandWrittenStep,
    /// A SECURITY DEFINER function without a pinned `search_path`: a caller's schemas can shadow what its
    /// body names and run code with its owner's rights.
    SecurityDefinerWithoutSearchPath,
    /// Row-level security stops protecting a table: it is disabled (every row open to whoever has the
    /// table's privileges), or the table's last policy is dropped (no row for anyone but its owner).
    /// Refused unless allowed by name.
    RemovesRowSecurity,
    /// A table is made anew because how it is partitioned changes (its partition key, or whether it is
    /// partitioned at all): its rows are copied aside, the table dropped and created, and the rows copied
    /// back. Refused unless allowed by name.
    RebuildsTable,
}

impl Hazard {
    pub const ALL: [Hazard; 18] = [
        Hazard::DeletesData,
        Hazard::RewritesTable,
        Hazard::AccessExclusiveLock,
        Hazard::ShareLock,
        Hazard::ShareRowExclusiveLock,
        Hazard::BuildsIndex,
        Hazard::BuildsIndexBlockingWrites,
        Hazard::DropsIndex,
        Hazard::MayFailOnExistingData,
        Hazard::UntrackableDependencies,
        Hazard::ChangesAccess,
        Hazard::UpgradesExtension,
        Hazard::NotTransactional,
        Hazard::RecomputesMaterializedView,
        Hazard::NeedsHandWrittenStep,
        Hazard::SecurityDefinerWithoutSearchPath,
        Hazard::RemovesRowSecurity,
        Hazard::RebuildsTable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Hazard::DeletesData => "deletes_data",
            Hazard::RewritesTable => "rewrites_table",
            Hazard::AccessExclusiveLock => "access_exclusive_lock",
            Hazard::ShareLock => "share_lock",
            Hazard::ShareRowExclusiveLock => "share_row_exclusive_lock",
            Hazard::BuildsIndex => "builds_index",
            Hazard::BuildsIndexBlockingWrites => "builds_index_blocking_writes",
            Hazard::DropsIndex => "drops_index",
            Hazard::MayFailOnExistingData => "may_fail_on_existing_data",
            Hazard::UntrackableDependencies => "untrackable_dependencies",
            Hazard::ChangesAccess => "changes_access",
            Hazard::UpgradesExtension => "upgrades_extension",
            Hazard::NotTransactional => "not_transactional",
            Hazard::NeedsHandWrittenStep => "needs_hand_written_step",
            Hazard::RecomputesMaterializedView => "recomputes_materialized_view",
            Hazard::SecurityDefinerWithoutSearchPath => "security_definer_without_search_path",
            Hazard::RemovesRowSecurity => "removes_row_security",
            Hazard::RebuildsTable => "rebuilds_table",
        }
    }

    /// The hazard of a code (as `--allow-hazards` and `allow_hazards` name them).
    pub fn from_code(code: &str) -> Option<Hazard> {
        Hazard::ALL.into_iter().find(|h| h.code() == code)
    }

    pub fn description(self) -> &'static str {
        match self {
            Hazard::DeletesData => "deletes data",
            Hazard::RewritesTable => "rewrites the table",
            Hazard::AccessExclusiveLock => "takes an ACCESS EXCLUSIVE lock",
            Hazard::ShareLock => "takes a SHARE lock (blocks writes)",
            Hazard::ShareRowExclusiveLock => "takes a SHARE ROW EXCLUSIVE lock (blocks writes)",
            Hazard::BuildsIndex => "builds an index concurrently (writes go on)",
            Hazard::BuildsIndexBlockingWrites => "builds an index while blocking writes",
            Hazard::DropsIndex => "drops an index (queries using it slow down)",
            Hazard::MayFailOnExistingData => "may fail on existing data",
            Hazard::RecomputesMaterializedView => "recomputes the materialized view's data",
            Hazard::UntrackableDependencies => {
                "may break what schemadiff cannot see (functions, queries) using it"
            }
            Hazard::ChangesAccess => "changes who may access what",
            Hazard::UpgradesExtension => "upgrades an extension",
            Hazard::NotTransactional => "runs outside a transaction (or apart from what uses it)",
            Hazard::NeedsHandWrittenStep => {
                "needs a hand-written step (no cast converts the values back)"
            }
            Hazard::SecurityDefinerWithoutSearchPath => {
                "SECURITY DEFINER without `set = { search_path = ... }`: callers' schemas can shadow its names"
            }
            Hazard::RemovesRowSecurity => {
                "removes row-level security (disabled, or the table's last policy dropped)"
            }
            Hazard::RebuildsTable => {
                "rebuilds the table to change its partitioning (rows copied aside and back; a row that fits no new partition fails the migration)"
            }
        }
    }
}

/// What a change does to what kind of object: one variant per kind of change, matched by the code that treats
/// some of them apart (sequence ownership, comments of new objects, migration names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    AddColumn,
    AddConstraint,
    AddDomainConstraint,
    AddEnumValues,
    AddForeignKey,
    AlterColumn,
    AlterCompositeType,
    AlterDomain,
    AlterExtension,
    AlterPolicy,
    AlterSequence,
    AttachPartition,
    /// The rows of a table about to be rebuilt, copied aside (see `diff/partition.rs`).
    CopyRowsAside,
    CreateCompositeType,
    CreateDomain,
    CreateEnum,
    CreateExtension,
    CreateFunction,
    CreateIndex,
    CreatePolicy,
    CreateProcedure,
    CreateRangeType,
    CreateSchema,
    CreateSequence,
    CreateTable,
    CreateTrigger,
    CreateView,
    DetachPartition,
    DropColumn,
    DropCompositeType,
    DropConstraint,
    DropDefault,
    DropDomain,
    DropDomainConstraint,
    DropEnum,
    DropExtension,
    DropForeignKey,
    DropFunction,
    DropIndex,
    DropPolicy,
    DropProcedure,
    DropRangeType,
    DropSchema,
    DropSequence,
    DropTable,
    DropTrigger,
    DropType,
    DropView,
    RecreateColumn,
    RecreateCompositeType,
    RecreateDomain,
    RecreateEnum,
    RecreateRangeType,
    RenameColumn,
    RenameConstraint,
    /// The rows copied aside, put back into the rebuilt table.
    RestoreRows,
    RenameEnum,
    RenameEnumValue,
    RenameIndex,
    RenameSequence,
    RenameTable,
    ReplaceFunction,
    ReplaceProcedure,
    ReplaceView,
    SetComment,
    SetDefault,
    SetPrivileges,
    SetOwner,
    SetRowLevelSecurity,
    SetTableOptions,
    SetColumnOptions,
    SetSequenceOwner,
    SetTriggerState,
    UpdateExtension,
    ValidateConstraint,
}

impl ChangeKind {
    /// The stable name of the kind (`create_table`), as in JSON plans.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::AddColumn => "add_column",
            ChangeKind::AddConstraint => "add_constraint",
            ChangeKind::AddDomainConstraint => "add_domain_constraint",
            ChangeKind::AddEnumValues => "add_enum_values",
            ChangeKind::AddForeignKey => "add_foreign_key",
            ChangeKind::AlterColumn => "alter_column",
            ChangeKind::AlterCompositeType => "alter_composite_type",
            ChangeKind::AlterDomain => "alter_domain",
            ChangeKind::AlterExtension => "alter_extension",
            ChangeKind::AlterPolicy => "alter_policy",
            ChangeKind::AlterSequence => "alter_sequence",
            ChangeKind::AttachPartition => "attach_partition",
            ChangeKind::DetachPartition => "detach_partition",
            ChangeKind::CopyRowsAside => "copy_rows_aside",
            ChangeKind::RestoreRows => "restore_rows",
            ChangeKind::CreateCompositeType => "create_composite_type",
            ChangeKind::CreateDomain => "create_domain",
            ChangeKind::CreateEnum => "create_enum",
            ChangeKind::CreateExtension => "create_extension",
            ChangeKind::CreateFunction => "create_function",
            ChangeKind::CreateIndex => "create_index",
            ChangeKind::CreatePolicy => "create_policy",
            ChangeKind::CreateProcedure => "create_procedure",
            ChangeKind::CreateRangeType => "create_range_type",
            ChangeKind::CreateSchema => "create_schema",
            ChangeKind::CreateSequence => "create_sequence",
            ChangeKind::CreateTable => "create_table",
            ChangeKind::CreateTrigger => "create_trigger",
            ChangeKind::CreateView => "create_view",
            ChangeKind::DropColumn => "drop_column",
            ChangeKind::DropConstraint => "drop_constraint",
            ChangeKind::DropDefault => "drop_default",
            ChangeKind::DropCompositeType => "drop_composite_type",
            ChangeKind::DropDomain => "drop_domain",
            ChangeKind::DropDomainConstraint => "drop_domain_constraint",
            ChangeKind::DropEnum => "drop_enum",
            ChangeKind::DropExtension => "drop_extension",
            ChangeKind::DropForeignKey => "drop_foreign_key",
            ChangeKind::DropFunction => "drop_function",
            ChangeKind::DropIndex => "drop_index",
            ChangeKind::DropPolicy => "drop_policy",
            ChangeKind::DropProcedure => "drop_procedure",
            ChangeKind::DropRangeType => "drop_range_type",
            ChangeKind::DropSchema => "drop_schema",
            ChangeKind::DropSequence => "drop_sequence",
            ChangeKind::DropTable => "drop_table",
            ChangeKind::DropTrigger => "drop_trigger",
            ChangeKind::DropType => "drop_type",
            ChangeKind::DropView => "drop_view",
            ChangeKind::RecreateColumn => "recreate_column",
            ChangeKind::RecreateCompositeType => "recreate_composite_type",
            ChangeKind::RecreateDomain => "recreate_domain",
            ChangeKind::RecreateEnum => "recreate_enum",
            ChangeKind::RecreateRangeType => "recreate_range_type",
            ChangeKind::RenameColumn => "rename_column",
            ChangeKind::RenameConstraint => "rename_constraint",
            ChangeKind::RenameEnum => "rename_enum",
            ChangeKind::RenameEnumValue => "rename_enum_value",
            ChangeKind::RenameIndex => "rename_index",
            ChangeKind::RenameSequence => "rename_sequence",
            ChangeKind::RenameTable => "rename_table",
            ChangeKind::ReplaceFunction => "replace_function",
            ChangeKind::ReplaceProcedure => "replace_procedure",
            ChangeKind::ReplaceView => "replace_view",
            ChangeKind::SetComment => "set_comment",
            ChangeKind::SetDefault => "set_default",
            ChangeKind::SetPrivileges => "set_privileges",
            ChangeKind::SetOwner => "set_owner",
            ChangeKind::SetRowLevelSecurity => "set_row_level_security",
            ChangeKind::SetTableOptions => "set_table_options",
            ChangeKind::SetColumnOptions => "set_column_options",
            ChangeKind::SetSequenceOwner => "set_sequence_owner",
            ChangeKind::SetTriggerState => "set_trigger_state",
            ChangeKind::UpdateExtension => "update_extension",
            ChangeKind::ValidateConstraint => "validate_constraint",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a change creates, alters or drops, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Create,
    Alter,
    Drop,
}

/// Something a change can depend on: it exists once a change provides it, and is gone once one removes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Res {
    Schema(String),
    Extension(String),
    Type(QualifiedName),
    Sequence(QualifiedName),
    Table(QualifiedName),
    Column(QualifiedName, String),
    /// A unique key (primary key, unique constraint or unique index) on these columns, sorted.
    Key(QualifiedName, Vec<String>),
    /// An index or constraint by name, within its table.
    Named(QualifiedName, String),
    /// A name in a schema's namespace of relations, which tables, sequences, indexes and the indexes of
    /// keys share: a drop that frees a name goes before the create that takes it again.
    Relation(String, String),
    /// A view or materialized view (its columns are `Column`s of its name).
    View(QualifiedName),
    /// A function or procedure: its name and input argument types.
    Function(QualifiedName, String),
    /// A trigger: its relation and name.
    Trigger(QualifiedName, String),
    /// The types made of a type (domains over it): released by their drops, removed when the type is made
    /// anew, so that those going away go first.
    MadeOf(QualifiedName),
    /// A policy: its table and name.
    Policy(QualifiedName, String),
    /// The ranges of values a partitioned table's partitions hold: released by the partitions detached or
    /// dropped, taken (removed) by those created or attached, so that bounds are freed before they are taken.
    PartitionBounds(QualifiedName),
}

impl Res {
    pub fn relation(schema: &str, name: &str) -> Res {
        Res::Relation(schema.to_string(), name.to_string())
    }

    pub fn relation_of(q: &QualifiedName) -> Res {
        Res::relation(&q.schema, &q.name)
    }
}

/// The order classes used to break ties between changes that do not depend on each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    CreateNamespace,
    Rename,
    CreateType,
    CreateSequence,
    DropTrigger,
    DropView,
    DropForeignKey,
    DropIndexOrConstraint,
    CreateFunction,
    CreateTable,
    AlterColumn,
    DropColumn,
    AddConstraint,
    CreateIndex,
    AddForeignKey,
    CreateView,
    CreateTrigger,
    Ownership,
    Comment,
    DropTable,
    DropFunction,
    DropSequence,
    DropType,
    DropNamespace,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The kind of change (`create_table`, `add_column`, ...).
    pub kind: ChangeKind,
    pub action: Action,
    /// The object the change is about, for people (`table public.users`, `column public.users.email`).
    pub object: String,
    /// The object the change is shown under (a table for its columns, indexes and constraints).
    pub group: String,
    /// The table the change belongs to (its own, or the one of its column, index, constraint or comment, or
    /// the owner of a sequence's ownership); `None` for extensions, schemas, enums and sequences. Set by
    /// [`crate::diff`] and [`crate::renames`]; `write --split tables` groups by it.
    pub table: Option<QualifiedName>,
    pub statements: Vec<String>,
    pub hazards: Vec<Hazard>,
    pub phase: Phase,
    pub requires: Vec<Res>,
    pub provides: Vec<Res>,
    pub removes: Vec<Res>,
    pub releases: Vec<Res>,
    /// Resources the change makes anew in place (a column whose type changes): what depends on them (a view)
    /// must be gone before and comes back after, as if the change removed and provided them.
    pub invalidates: Vec<Res>,
}

impl Change {
    pub fn new(kind: ChangeKind, action: Action, phase: Phase, object: impl Into<String>) -> Self {
        let object = object.into();
        Change {
            kind,
            action,
            group: object.clone(),
            table: None,
            object,
            statements: Vec::new(),
            hazards: Vec::new(),
            phase,
            requires: Vec::new(),
            provides: Vec::new(),
            removes: Vec::new(),
            releases: Vec::new(),
            invalidates: Vec::new(),
        }
    }

    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    pub fn sql(mut self, statement: impl Into<String>) -> Self {
        self.statements.push(statement.into());
        self
    }

    pub fn hazard(mut self, h: Hazard) -> Self {
        if !self.hazards.contains(&h) {
            self.hazards.push(h);
            self.hazards.sort();
        }
        self
    }

    pub fn requires(mut self, r: impl IntoIterator<Item = Res>) -> Self {
        self.requires.extend(r);
        self
    }

    pub fn provides(mut self, r: impl IntoIterator<Item = Res>) -> Self {
        self.provides.extend(r);
        self
    }

    pub fn removes(mut self, r: impl IntoIterator<Item = Res>) -> Self {
        self.removes.extend(r);
        self
    }

    pub fn releases(mut self, r: impl IntoIterator<Item = Res>) -> Self {
        self.releases.extend(r);
        self
    }

    pub fn invalidates(mut self, r: impl IntoIterator<Item = Res>) -> Self {
        self.invalidates.extend(r);
        self
    }

    pub fn deletes_data(&self) -> bool {
        self.hazards.contains(&Hazard::DeletesData)
    }
}

/// Give each change the table it belongs to: the table it is grouped under (by the same text `group` names it
/// with), or, for a sequence's ownership, the table of the owning column.
pub(crate) fn assign_tables(schemas: &[&schemadiff_model::Schema], changes: &mut [Change]) {
    // The tables of the groups (`table <name>`) of the changes to assign, looked up by their SQL name: only
    // those groups are kept, as the changes are few and the tables may be thousands.
    let mut by_name: std::collections::HashMap<String, Option<QualifiedName>> = changes
        .iter()
        .filter(|c| c.table.is_none() && c.kind != ChangeKind::SetSequenceOwner)
        .filter_map(|c| c.group.strip_prefix("table "))
        .map(|q| (q.to_string(), None))
        .collect();
    if !by_name.is_empty() {
        for s in schemas {
            for t in &s.tables {
                if let Some(slot) = by_name.get_mut(t.name.sql().as_str()) {
                    *slot = Some(t.name.clone());
                }
            }
        }
    }
    for c in changes.iter_mut().filter(|c| c.table.is_none()) {
        c.table = if c.kind == ChangeKind::SetSequenceOwner {
            c.requires.iter().find_map(|r| match r {
                Res::Column(t, _) => Some(t.clone()),
                _ => None,
            })
        } else {
            c.group
                .strip_prefix("table ")
                .and_then(|q| by_name.get(q))
                .cloned()
                .flatten()
        };
    }
}

impl Change {
    /// What the change does to what, in words: `drop column public.t.c`, `comment on table public.t` (the
    /// verb of the kind, then the object, which already names its kind).
    pub fn describe(&self) -> String {
        let verb = match self.kind {
            ChangeKind::SetComment => "comment on",
            k => k.as_str().split('_').next().unwrap_or("change"),
        };
        format!("{verb} {}", self.object)
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
