//! Incremental normalization: only what changed goes through the scratch server.
//!
//! An element of schema.toml whose rendered DDL is identical to what the current schema's canonical element
//! renders to is that element, already in canonical form: it needs no round trip. The tables that differ
//! (changed, added), with the tables that name a changed, added or removed table (a foreign key to it, say: the
//! server checks them against it), are normalized in a small scratch database that also holds what they need
//! to exist: the tables they name (without their own foreign keys) and every extension, schema, type, sequence
//! and function; a table they name only in their foreign keys is built as a [`stub`] (a key and its columns,
//! no comments, other indexes or checks). The canonical desired schema is the current one with those tables
//! replaced. A table that names a changed table only through foreign keys to a key that is the same on both
//! sides, its own text unchanged, is left out: the server has nothing new to check of it. What is built is
//! decided from the text alone ([`prepare`]), so that the current side's part can be built at the same time.
//!
//! Anything outside that shape falls back to normalizing the whole schema ([`normalize_desired`]): an element
//! other than a table that differs, a view, trigger or policy that names a changed table, a small database that
//! the server refuses (so that each problem is reported at its place in schema.toml, as always), or a table
//! needed only as context that reads back otherwise than in the current schema. The plan made from the result
//! is verified on a copy of the current database as every plan is.

use std::collections::{BTreeMap, BTreeSet};

use schemadiff_model::{GrantTarget, LoadedSchema, ObjectPath, ObjectRef, QualifiedName, Schema};

use crate::normalize::{
    NormalizeError, canonicalize, created_and_read, normalize_desired, table_of,
};
use crate::scratch::ScratchServer;

/// Beyond this share of the tables, the small database is not small: normalize the whole schema.
const MOST: f64 = 0.5;

/// An element of a rendered schema: a table with everything on it, or another object on its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Element {
    Table(QualifiedName),
    Other(ObjectPath),
}

/// The DDL each element of `schema` renders to, its statements joined in order (`all`), and of each table
/// the same without its foreign keys (`without_fks`): one rendering for both.
struct Rendered {
    all: BTreeMap<Element, String>,
    without_fks: BTreeMap<Element, String>,
}

fn rendered(schema: &Schema) -> Rendered {
    let tables: BTreeSet<&QualifiedName> = schema.tables.iter().map(|t| &t.name).collect();
    let mut all: BTreeMap<Element, String> = BTreeMap::new();
    let mut without_fks: BTreeMap<Element, String> = BTreeMap::new();
    schemadiff_model::render::create_script_each(schema, &mut |stmt| {
        let key = match (table_of(&stmt.origin), &stmt.origin) {
            (Some(t), _) if tables.contains(t) && !matches!(stmt.origin, ObjectPath::View(_)) => {
                Element::Table(t.clone())
            }
            // A table's owner goes with the table (`manage_ownership`).
            (_, ObjectPath::Owner(GrantTarget::Table(t))) if tables.contains(t) => {
                Element::Table(t.clone())
            }
            _ => Element::Other(stmt.origin.clone()),
        };
        if matches!(key, Element::Table(_)) && !matches!(stmt.origin, ObjectPath::ForeignKey(..)) {
            let text = without_fks.entry(key.clone()).or_default();
            text.push_str(&stmt.sql);
            text.push_str(";\n");
        }
        let text = all.entry(key).or_default();
        text.push_str(&stmt.sql);
        text.push_str(";\n");
    });
    // Each text was grown a statement at a time: the room kept for more is freed (the texts of a large schema
    // are held while the other side is compared).
    for text in all.values_mut().chain(without_fks.values_mut()) {
        text.shrink_to_fit();
    }
    // A table renders at least its CREATE TABLE; objects that render nothing (the default schema) are still
    // elements, so that one on a side only is seen.
    for s in &schema.schemas {
        all.entry(Element::Other(ObjectPath::Schema(s.name.clone())))
            .or_default();
    }
    Rendered { all, without_fks }
}

/// The words of a text that may name an object: runs of identifier characters (lowercased, as an unquoted
/// name folds) and the contents of double quotes (exact). More than the names it uses: a superset is safe.
fn words(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')) {
        if !w.is_empty() {
            out.insert(w.to_lowercase());
        }
    }
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.insert(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// The tables an incremental normalization involved: where the two sides can differ, and what those need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The tables that differ (changed, added, removed) and those that name one of them: everything else of
    /// the two schemas is the same text.
    pub tables: BTreeSet<QualifiedName>,
    /// The tables those name, on either side, which must exist for them to be created: the same on both
    /// sides, and taken without their own foreign keys.
    pub context: BTreeSet<QualifiedName>,
    /// Of `context`, the tables named only as the target of foreign keys: taken as [`stub`]s, which hold all
    /// that a foreign key to them needs (a key and its columns).
    pub stubs: BTreeSet<QualifiedName>,
}

/// A table as the target of foreign keys only: its columns (their types, defaults and identity, the row
/// type), its primary key, unique constraints and unique indexes, partitioning and storage, without what a
/// foreign key to it cannot see: comments, other indexes, checks, exclusions, its own foreign keys, row-level
/// security, replica identity and column statistics ([`Scope::restrict`] also leaves out its grants). Fewer
/// statements to build, the same for any foreign key.
pub fn stub(t: &schemadiff_model::Table) -> schemadiff_model::Table {
    let mut t = t.clone();
    t.comment = None;
    for c in &mut t.columns {
        c.comment = None;
        if let Some(x) = c.extras.as_deref_mut() {
            x.statistics = None;
            x.storage = None;
            c.compact();
        }
    }
    if let Some(pk) = &mut t.primary_key {
        pk.comment = None;
    }
    for u in &mut t.uniques {
        u.comment = None;
    }
    t.indexes.retain(|i| i.unique);
    for i in &mut t.indexes {
        i.comment = None;
    }
    t.checks.clear();
    t.exclusions.clear();
    t.foreign_keys.clear();
    t.row_level_security = false;
    t.force_row_level_security = false;
    t.replica_identity = Default::default();
    t
}

impl Scope {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// `schema` cut down to the scope, as the small database of an incremental normalization holds it: its
    /// tables and context tables (these without foreign keys), every extension, schema, type, sequence (owned
    /// by a table left out: not owned) and function, the grants and owners of what is left, and no view,
    /// trigger or policy.
    pub fn restrict(&self, schema: &Schema) -> Schema {
        use schemadiff_model::grant::GrantTarget;
        let keep = |t: &QualifiedName| self.tables.contains(t) || self.context.contains(t);
        let present = |target: &GrantTarget| match target {
            GrantTarget::Table(t) | GrantTarget::Column(t, _) => keep(t),
            GrantTarget::View(_) => false,
            _ => true,
        };
        let on_stub = |target: &GrantTarget| matches!(target, GrantTarget::Table(t) | GrantTarget::Column(t, _) if self.stubs.contains(t));
        // Only what is kept is cloned (every field named: a new one must be thought about here).
        let mut small = Schema {
            extensions: schema.extensions.clone(),
            schemas: schema.schemas.clone(),
            enums: schema.enums.clone(),
            domains: schema.domains.clone(),
            composite_types: schema.composite_types.clone(),
            range_types: schema.range_types.clone(),
            sequences: schema.sequences.clone(),
            tables: schema
                .tables
                .iter()
                .filter(|t| keep(&t.name))
                .cloned()
                .collect(),
            views: Vec::new(),
            functions: schema.functions.clone(),
            triggers: Vec::new(),
            policies: Vec::new(),
            roles: schema.roles.clone(),
            // A stub keeps its owner (read back with the owners when schema.toml states any), not its grants.
            grants: schema
                .grants
                .iter()
                .filter(|g| present(&g.target) && !on_stub(&g.target))
                .cloned()
                .collect(),
            owners: schema
                .owners
                .iter()
                .filter(|o| present(&o.target))
                .cloned()
                .collect(),
            dependencies: Vec::new(),
            migrations: schema.migrations.clone(),
            filter: schema.filter.clone(),
            erd: schema.erd.clone(),
            postgres_version: schema.postgres_version,
        };
        for t in &mut small.tables {
            if self.stubs.contains(&t.name) {
                *t = std::sync::Arc::new(stub(t));
            } else if self.context.contains(&t.name) {
                std::sync::Arc::make_mut(t).foreign_keys.clear();
            }
        }
        for s in &mut small.sequences {
            if s.owned_by.as_ref().is_some_and(|o| !keep(&o.table)) {
                s.owned_by = None;
            }
        }
        let by_name = schema.tables_by_name();
        let on_kept = |r: &ObjectRef| match r {
            ObjectRef::Column(t, _) => keep(t),
            // A context table's foreign keys are left out, and a stub keeps only its keys.
            ObjectRef::Constraint(t, name) if self.stubs.contains(t) => {
                by_name.get(t).is_some_and(|tab| {
                    tab.primary_key
                        .as_ref()
                        .is_some_and(|p| p.name.as_deref() == Some(name.as_str()))
                        || tab
                            .uniques
                            .iter()
                            .any(|u| u.name.as_deref() == Some(name.as_str()))
                })
            }
            ObjectRef::Constraint(t, name) => {
                self.tables.contains(t)
                    || (self.context.contains(t)
                        && by_name.get(t).is_some_and(|tab| {
                            !tab.foreign_keys
                                .iter()
                                .any(|f| f.name.as_deref() == Some(name.as_str()))
                        }))
            }
            _ => true,
        };
        small.dependencies = schema
            .dependencies
            .iter()
            .filter(|d| on_kept(&d.dependent) && on_kept(&d.referenced))
            .cloned()
            .collect();
        small
    }
}

/// The canonical form of schema.toml, given `current` in canonical form: incrementally when the difference
/// is a matter of tables (see the module's documentation), else by normalizing the whole schema. The result is
/// the same either way.
pub async fn normalize_desired_against(
    loaded: &LoadedSchema,
    current: &Schema,
    scratch: &ScratchServer,
) -> Result<Schema, NormalizeError> {
    Ok(normalize_desired_scoped(loaded, current, scratch).await?.0)
}

/// [`normalize_desired_against`], with the [`Scope`] it involved when it was incremental (None when it
/// normalized the whole schema). `current` need not be in canonical form: an element whose text is the same on
/// both sides is taken from it as it is (it is that element, whatever form it has), and the scope holds every
/// table where the two may differ.
pub async fn normalize_desired_scoped(
    loaded: &LoadedSchema,
    current: &Schema,
    scratch: &ScratchServer,
) -> Result<(Schema, Option<Scope>), NormalizeError> {
    normalize_prepared(prepare(loaded, current), loaded, current, scratch).await
}

/// [`normalize_desired_scoped`] of what [`prepare`] decided for the same `loaded` and `current`.
pub async fn normalize_prepared(
    prepared: Prepared,
    loaded: &LoadedSchema,
    current: &Schema,
    scratch: &ScratchServer,
) -> Result<(Schema, Option<Scope>), NormalizeError> {
    scratch.declare_roles(&loaded.schema.roles);
    let done = match prepared.0 {
        Some(small) => small.normalize(loaded, current, scratch).await,
        None => None,
    };
    match done {
        Some((schema, scope)) => Ok((schema, Some(scope))),
        None => Ok((normalize_desired(loaded, scratch).await?, None)),
    }
}

/// What the incremental way will build, decided from the text of the two sides alone (no server): known
/// before anything is built, so that the current side's part of the scope can be brought to canonical form
/// while the desired side's part is normalized.
#[derive(Debug, Clone)]
pub struct Prepared(Option<Small>);

impl Prepared {
    /// The tables the incremental way involves (see [`Scope`]); None when it does not apply, and the whole
    /// schema is normalized.
    pub fn scope(&self) -> Option<&Scope> {
        self.0.as_ref().map(|s| &s.scope)
    }
}

/// The small database of an incremental normalization, and what to make of what it reads back.
#[derive(Debug, Clone)]
struct Small {
    /// The desired tables normalized again (changed, or naming a changed table), the tables removed, and the
    /// tables those name (built without their foreign keys, as context only).
    again: BTreeSet<QualifiedName>,
    removed: BTreeSet<QualifiedName>,
    /// `again`, and the tables they name as context.
    small_scope: Scope,
    /// What the small database holds: `small_scope` of schema.toml (see [`Scope::restrict`]).
    schema: Schema,
    scope: Scope,
}

/// The current schema as schema.toml writes it (`dump`: without the names PostgreSQL chooses, the `not_null` a
/// primary key implies...) and reads back: what an unchanged element of a schema.toml renders to. An extension
/// schema.toml does not pin is whatever version the server has (see `pipeline::desired`). Its owners are
/// written with schema.toml's `manage_ownership`, without which they do not load. None when it does not load.
fn as_written(loaded: &LoadedSchema, current: &Schema) -> Option<Schema> {
    let desired = &loaded.schema;
    let mut unpinned = current.clone();
    unpinned.migrations = desired.migrations.clone();
    unpin_extensions(&mut unpinned, desired);
    let written = schemadiff_model::to_toml(&unpinned);
    drop(unpinned);
    schemadiff_model::load_str_without_spans(&loaded.file.name, written)
        .ok()
        .map(|read| read.schema)
}

/// The extensions of `schema` that `desired` lists without a version, without theirs: such an extension is
/// whatever version the server has (see `pipeline::desired`).
fn unpin_extensions(schema: &mut Schema, desired: &Schema) {
    for e in &mut schema.extensions {
        if desired
            .extensions
            .iter()
            .any(|w| w.name == e.name && w.version.is_none())
        {
            e.version = None;
        }
    }
}

/// The tables [`current_side`] writes, loads back and renders at a time: few enough that their text and model
/// are a small part of a large schema's, enough that the passes over the rest stay few.
const PART: usize = 200;

/// The current side of the comparison, kept only where it can matter: every element other than a table, and
/// the tables whose text differs from schema.toml's (or that schema.toml lacks, or that have an invalid index).
#[derive(Default)]
struct CurrentSide {
    /// Every element other than a table, and its text.
    others: BTreeMap<Element, String>,
    /// The tables that differ, by name.
    differing: BTreeMap<QualifiedName, Differing>,
}

/// A table of the current schema that differs from schema.toml's.
struct Differing {
    /// Its text, and its text without foreign keys, as [`rendered`] makes them.
    all: String,
    without_fks: String,
    /// The table as schema.toml writes it (see [`as_written`]).
    written: std::sync::Arc<schemadiff_model::Table>,
}

/// [`as_written`] and [`rendered`] of `current`, compared with schema.toml's text (`want`) a part at a time
/// instead of for the whole schema at once: what is not a table, then `part` tables at a time, each with its
/// grants, owners, triggers, policies and dependencies. A table's text is the same rendered in a part as in the
/// whole schema: it names only itself, but for the names the server chooses for its unnamed constraints and
/// indexes, which a COMMENT on one of them writes, and which the whole schema's other names can number (see
/// `naming::effective_names`). A table with such a comment and a name that another object of the current
/// schema has too is counted as differing: normalized again, it is right either way. A schema with partitions
/// is taken whole (a partition is written without its parent's columns). None when a part does not load.
fn current_side(
    loaded: &LoadedSchema,
    current: &Schema,
    want: &Rendered,
    part: usize,
) -> Option<CurrentSide> {
    use schemadiff_model::Table;
    let desired = &loaded.schema;
    // What is a table's, if it is one (a name that is not a table's is in no part).
    fn of_table(target: &GrantTarget) -> Option<&QualifiedName> {
        match target {
            GrantTarget::Table(t) | GrantTarget::Column(t, _) => Some(t),
            _ => None,
        }
    }
    fn dependent_table(d: &schemadiff_model::Dependency) -> Option<&QualifiedName> {
        match &d.dependent {
            ObjectRef::Column(t, _) | ObjectRef::Constraint(t, _) => Some(t),
            _ => None,
        }
    }
    // The parts: what is not a table, then the tables (a part's schema is made when it is compared).
    let mut rest = Schema {
        extensions: current.extensions.clone(),
        schemas: current.schemas.clone(),
        enums: current.enums.clone(),
        domains: current.domains.clone(),
        composite_types: current.composite_types.clone(),
        range_types: current.range_types.clone(),
        sequences: current.sequences.clone(),
        tables: Vec::new(),
        views: current.views.clone(),
        functions: current.functions.clone(),
        triggers: Vec::new(),
        policies: Vec::new(),
        roles: current.roles.clone(),
        grants: Vec::new(),
        owners: Vec::new(),
        dependencies: Vec::new(),
        migrations: desired.migrations.clone(),
        filter: current.filter.clone(),
        erd: current.erd.clone(),
        postgres_version: current.postgres_version,
    };
    unpin_extensions(&mut rest, desired);
    let whole = current
        .tables
        .iter()
        .any(|t| t.partition_of.is_some() || t.partition_by.is_some());
    let mut tables: Vec<TablePart> = if whole {
        vec![TablePart::of(&current.tables)]
    } else {
        current.tables.chunks(part).map(TablePart::of).collect()
    };
    let mut part_of: std::collections::HashMap<&QualifiedName, usize> =
        std::collections::HashMap::new();
    for (i, p) in tables.iter().enumerate() {
        for t in p.tables {
            part_of.insert(&t.name, i);
        }
    }
    let part_of = |t: &QualifiedName| part_of.get(t).copied();
    for g in &current.grants {
        match of_table(&g.target).and_then(part_of) {
            Some(i) => tables[i].grants.push(g),
            None => rest.grants.push(g.clone()),
        }
    }
    for o in &current.owners {
        match of_table(&o.target).and_then(part_of) {
            Some(i) => tables[i].owners.push(o),
            None => rest.owners.push(o.clone()),
        }
    }
    for t in &current.triggers {
        match part_of(&t.relation) {
            Some(i) => tables[i].triggers.push(t),
            None => rest.triggers.push(t.clone()),
        }
    }
    for p in &current.policies {
        match part_of(&p.table) {
            Some(i) => tables[i].policies.push(p),
            None => rest.policies.push(p.clone()),
        }
    }
    for d in &current.dependencies {
        match dependent_table(d).and_then(part_of) {
            Some(i) => tables[i].dependencies.push(d),
            None => rest.dependencies.push(d.clone()),
        }
    }
    // A schema read from a catalog (with dependencies) is written without the constraint names the server
    // chose (`dump`): each part is written as such, whatever dependencies it holds. One of another part says
    // so, and names nothing of this one.
    let catalog = current.dependencies.first();
    if let Some(first) = catalog {
        if rest.dependencies.is_empty() {
            rest.dependencies.push(first.clone());
        }
    }
    let into_schema = |p: TablePart| {
        let mut dependencies: Vec<schemadiff_model::Dependency> =
            p.dependencies.into_iter().cloned().collect();
        if dependencies.is_empty() {
            dependencies.extend(catalog.cloned());
        }
        Schema {
            tables: p.tables.to_vec(),
            grants: p.grants.into_iter().cloned().collect(),
            owners: p.owners.into_iter().cloned().collect(),
            triggers: p.triggers.into_iter().cloned().collect(),
            policies: p.policies.into_iter().cloned().collect(),
            dependencies,
            roles: current.roles.clone(),
            migrations: desired.migrations.clone(),
            ..Schema::default()
        }
    };
    let mut parts: Vec<Option<Result<Schema, TablePart>>> = std::iter::once(Ok(rest))
        .chain(tables.into_iter().map(Err))
        .map(Some)
        .collect();

    // The names of the current schema's objects, per schema, and how many objects have each.
    let mut names: std::collections::HashMap<(&str, &str), u32> = std::collections::HashMap::new();
    for t in &current.tables {
        let s = t.name.schema.as_str();
        for n in table_object_names(t).chain(std::iter::once(t.name.name.as_str())) {
            *names.entry((s, n)).or_default() += 1;
        }
    }
    for q in current
        .sequences
        .iter()
        .map(|x| &x.name)
        .chain(current.views.iter().map(|v| &v.name))
    {
        *names
            .entry((q.schema.as_str(), q.name.as_str()))
            .or_default() += 1;
    }
    for v in &current.views {
        for n in v.indexes.iter().filter_map(|i| i.name.as_deref()) {
            *names.entry((v.name.schema.as_str(), n)).or_default() += 1;
        }
    }
    let shared_name = |t: &Table| {
        table_object_names(t).any(|n| {
            names
                .get(&(t.name.schema.as_str(), n))
                .is_some_and(|&c| c > 1)
        })
    };
    let by_name = current.tables_by_name();

    // Each part on its own, on two threads.
    let compare = |part: Result<Schema, TablePart>, side: &mut CurrentSide| -> Option<()> {
        let CurrentSide { others, differing } = side;
        let written = {
            let part = part.unwrap_or_else(into_schema);
            let text = schemadiff_model::to_toml(&part);
            drop(part);
            schemadiff_model::load_str_unchecked(&loaded.file.name, text).ok()?
        };
        let Rendered {
            all,
            mut without_fks,
        } = rendered(&written);
        let mut written: std::collections::HashMap<QualifiedName, std::sync::Arc<Table>> = written
            .tables
            .into_iter()
            .map(|t| (t.name.clone(), t))
            .collect();
        for (key, text) in all {
            let Element::Table(name) = &key else {
                others.insert(key, text);
                continue;
            };
            let have_without_fks = without_fks.remove(&key).unwrap_or_default();
            let same = want.all.get(&key) == Some(&text)
                && want.without_fks.get(&key).map_or("", String::as_str) == have_without_fks;
            let had = by_name.get(name);
            let invalid = had.is_some_and(|c| c.indexes.iter().any(|i| i.invalid));
            let renamed = had.is_some_and(|c| shared_name(c))
                && written.get(name).is_some_and(|w| commented_unnamed(w));
            if !same || invalid || renamed {
                let written = written.remove(name)?;
                let Element::Table(name) = key else {
                    unreachable!("a table's element")
                };
                differing.insert(
                    name,
                    Differing {
                        all: text,
                        without_fks: have_without_fks,
                        written,
                    },
                );
            }
        }
        Some(())
    };
    let half = parts.len().div_ceil(2);
    let (left, right) = parts.split_at_mut(half);
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| {
            let mut side = CurrentSide::default();
            for p in right.iter_mut() {
                compare(p.take()?, &mut side)?;
            }
            Some(side)
        });
        let mut side = CurrentSide::default();
        let mine = left
            .iter_mut()
            .try_for_each(|p| compare(p.take()?, &mut side))
            .map(|()| side);
        (mine, other.join().expect("comparing a part does not panic"))
    });
    let (mut side, b) = (a?, b?);
    side.others.extend(b.others);
    side.differing.extend(b.differing);
    Some(side)
}

/// Some tables of a schema, and what is theirs of the rest (see [`current_side`]).
struct TablePart<'a> {
    tables: &'a [std::sync::Arc<schemadiff_model::Table>],
    grants: Vec<&'a schemadiff_model::grant::ObjectGrants>,
    owners: Vec<&'a schemadiff_model::ObjectOwner>,
    triggers: Vec<&'a schemadiff_model::trigger::Trigger>,
    policies: Vec<&'a schemadiff_model::policy::Policy>,
    dependencies: Vec<&'a schemadiff_model::Dependency>,
}

impl<'a> TablePart<'a> {
    fn of(tables: &'a [std::sync::Arc<schemadiff_model::Table>]) -> Self {
        TablePart {
            tables,
            grants: Vec::new(),
            owners: Vec::new(),
            triggers: Vec::new(),
            policies: Vec::new(),
            dependencies: Vec::new(),
        }
    }
}

/// The names of a table's constraints and indexes.
fn table_object_names(t: &schemadiff_model::Table) -> impl Iterator<Item = &str> {
    t.primary_key
        .iter()
        .filter_map(|p| p.name.as_deref())
        .chain(t.uniques.iter().filter_map(|u| u.name.as_deref()))
        .chain(t.exclusions.iter().filter_map(|e| e.name.as_deref()))
        .chain(t.indexes.iter().filter_map(|i| i.name.as_deref()))
        .chain(t.foreign_keys.iter().filter_map(|f| f.name.as_deref()))
        .chain(t.checks.iter().filter_map(|c| c.name.as_deref()))
}

/// Whether a table has a comment on a constraint or index without a name: one written with the name the
/// server chooses for it (see [`current_side`]).
fn commented_unnamed(t: &schemadiff_model::Table) -> bool {
    t.primary_key
        .iter()
        .any(|p| p.name.is_none() && p.comment.is_some())
        || t.uniques
            .iter()
            .any(|u| u.name.is_none() && u.comment.is_some())
        || t.exclusions
            .iter()
            .any(|e| e.name.is_none() && e.comment.is_some())
        || t.indexes
            .iter()
            .any(|i| i.name.is_none() && i.comment.is_some())
        || t.foreign_keys
            .iter()
            .any(|f| f.name.is_none() && f.comment.is_some())
}

/// The text of each element of a schema.toml, rendered once: what [`prepare_with`] compares with the current
/// side. It needs schema.toml alone, so it can be made while the live database is read.
pub struct DesiredText(Rendered);

/// [`DesiredText`] of `loaded`.
pub fn desired_text(loaded: &LoadedSchema) -> DesiredText {
    DesiredText(rendered(&loaded.schema))
}

/// Decide the incremental way for `loaded` against `current` (see the module's documentation). schema.toml's
/// text is rendered on a thread of its own while the current schema's is.
pub fn prepare(loaded: &LoadedSchema, current: &Schema) -> Prepared {
    Prepared(prepare_small(loaded, None, current))
}

/// [`prepare`] with schema.toml's text already rendered (`text`, of the same `loaded`).
pub fn prepare_with(loaded: &LoadedSchema, text: DesiredText, current: &Schema) -> Prepared {
    Prepared(prepare_small(loaded, Some(text), current))
}

fn prepare_small(
    loaded: &LoadedSchema,
    text: Option<DesiredText>,
    current: &Schema,
) -> Option<Small> {
    let desired = &loaded.schema;
    let DesiredText(want) = text.unwrap_or_else(|| desired_text(loaded));
    let CurrentSide {
        others: have_others,
        differing,
    } = current_side(loaded, current, &want, PART)?;
    let Rendered {
        all: want,
        without_fks,
    } = want;
    // Every element other than a table as it is in the current schema.
    let others_of_want = want.iter().filter(|(k, _)| matches!(k, Element::Other(_)));
    // An invalid index of a materialized view renders as a valid one (see below for tables).
    if !others_of_want.eq(have_others.iter())
        || current
            .views
            .iter()
            .any(|v| v.indexes.iter().any(|i| i.invalid))
    {
        tracing::debug!("incremental normalization: an element other than a table differs");
        return None;
    }
    drop(have_others);
    fn table_text<'m>(m: &'m BTreeMap<Element, String>, t: &QualifiedName) -> &'m str {
        m.get(&Element::Table(t.clone())).map_or("", String::as_str)
    }
    // The current side's text of a table: the same as schema.toml's where it does not differ.
    let have_text = |t: &QualifiedName| -> &str {
        differing
            .get(t)
            .map_or_else(|| table_text(&want, t), |d| d.all.as_str())
    };
    let have_text_without_fks = |t: &QualifiedName| -> &str {
        differing
            .get(t)
            .map_or_else(|| table_text(&without_fks, t), |d| d.without_fks.as_str())
    };
    let mut changed: BTreeSet<QualifiedName> = BTreeSet::new();
    let current_tables = current.tables_by_name();
    let desired_tables = desired.tables_by_name();
    for t in &desired.tables {
        // An invalid index renders as a valid one: its table is built again, so that the plan rebuilds it
        // (`current_side` counts such a table as differing).
        if !current_tables.contains_key(&t.name) || differing.contains_key(&t.name) {
            changed.insert(t.name.clone());
        }
    }
    let removed: BTreeSet<QualifiedName> = current
        .tables
        .iter()
        .filter(|t| !desired_tables.contains_key(&t.name))
        .map(|t| t.name.clone())
        .collect();
    if changed.is_empty() && removed.is_empty() {
        tracing::debug!("incremental normalization: nothing differs");
        return Some(Small {
            again: BTreeSet::new(),
            removed,
            small_scope: Scope::default(),
            schema: Schema::default(),
            scope: Scope::default(),
        });
    }
    let touched: BTreeSet<&str> = changed
        .iter()
        .chain(&removed)
        .map(|q| q.name.as_str())
        .collect();
    let names = |text: &str| -> bool { words(text).iter().any(|w| touched.contains(w.as_str())) };
    // What else names a changed table: a table is normalized again with it; anything else, the whole schema.
    for (k, text) in &want {
        if let Element::Other(path) = k {
            if names(text) {
                tracing::debug!("incremental normalization: {path:?} names a changed table");
                return None;
            }
        }
    }
    // A table whose text is the same on both sides and that names a changed table only through foreign keys to
    // a key that is the same on both sides reads back as it is: the server has nothing new to check of it.
    let key_kept = |fk: &schemadiff_model::ForeignKey| -> bool {
        if !changed.contains(&fk.references) {
            return !removed.contains(&fk.references);
        }
        // Both as schema.toml writes them (the key names PostgreSQL chose left out alike).
        let (Some(d), Some(c)) = (
            desired_tables.get(&fk.references),
            differing.get(&fk.references).map(|d| &d.written),
        ) else {
            return false;
        };
        let unique_indexes = |t: &schemadiff_model::Table| {
            t.indexes
                .iter()
                .filter(|i| i.unique)
                .cloned()
                .collect::<Vec<_>>()
        };
        let column = |t: &schemadiff_model::Table, name: &str| {
            t.column(name)
                .map(|c| (c.data_type.clone(), c.extras().collation.clone()))
        };
        d.primary_key == c.primary_key
            && d.uniques == c.uniques
            && unique_indexes(d) == unique_indexes(c)
            && fk
                .referenced_columns
                .iter()
                .all(|n| column(d, n).is_some() && column(d, n) == column(c, n))
    };
    let mut again: BTreeSet<QualifiedName> = changed.clone();
    for t in &desired.tables {
        if changed.contains(&t.name) || !names(table_text(&want, &t.name)) {
            continue;
        }
        let only_through_kept_keys =
            !names(table_text(&without_fks, &t.name)) && t.foreign_keys.iter().all(&key_kept);
        if !only_through_kept_keys {
            again.insert(t.name.clone());
        }
    }
    // The tables those name, which must exist for them to be created: as context only.
    // The tables by the words that name them: the name, and the name as an unquoted name folds.
    let mut by_word: std::collections::HashMap<String, Vec<&QualifiedName>> =
        std::collections::HashMap::new();
    for t in &desired.tables {
        let lower = t.name.name.to_lowercase();
        if lower != t.name.name {
            by_word.entry(lower).or_default().push(&t.name);
        }
        by_word
            .entry(t.name.name.clone())
            .or_default()
            .push(&t.name);
    }
    let mut context: BTreeSet<QualifiedName> = BTreeSet::new();
    for t in &again {
        for w in words(table_text(&want, t)) {
            for other in by_word.get(&w).into_iter().flatten() {
                if !again.contains(*other) {
                    context.insert((*other).clone());
                }
            }
        }
    }
    if (again.len() + context.len()) as f64 > MOST * desired.tables.len().max(1) as f64 {
        tracing::debug!("incremental normalization: most tables are involved");
        return None;
    }
    // Named by them only in their foreign keys: built as stubs.
    let is_named = |set: &BTreeSet<String>, q: &QualifiedName| {
        set.contains(&q.name) || set.contains(&q.name.to_lowercase())
    };
    let outside_fks: BTreeSet<String> = again
        .iter()
        .flat_map(|t| words(table_text(&without_fks, t)))
        .collect();
    // Of `context`, those no word of `outside` names.
    let stubs_of = |context: &BTreeSet<QualifiedName>, outside: &BTreeSet<String>| {
        context
            .iter()
            .filter(|c| !is_named(outside, c))
            .cloned()
            .collect::<BTreeSet<QualifiedName>>()
    };
    let small_scope = Scope {
        tables: again.clone(),
        context: context.clone(),
        stubs: stubs_of(&context, &outside_fks),
    };
    let small = small_scope.restrict(desired);
    tracing::debug!(
        "incremental normalization: {} tables of {} ({} changed, {} as context, {} of them as stubs)",
        small.tables.len(),
        desired.tables.len(),
        changed.len(),
        context.len(),
        small_scope.stubs.len()
    );
    // The scope: what differs, and every table either side of it names (the current side may name tables the
    // desired one no longer does).
    let tables: BTreeSet<QualifiedName> = again.iter().chain(&removed).cloned().collect();
    let mut named: BTreeSet<String> = BTreeSet::new();
    for t in &tables {
        named.extend(words(table_text(&want, t)));
        named.extend(words(have_text(t)));
    }
    let scope_context: BTreeSet<QualifiedName> = current
        .tables
        .iter()
        .filter(|t| !tables.contains(&t.name) && is_named(&named, &t.name))
        .map(|t| t.name.clone())
        .collect();
    let outside_fks: BTreeSet<String> = tables
        .iter()
        .flat_map(|t| {
            words(table_text(&without_fks, t))
                .into_iter()
                .chain(words(have_text_without_fks(t)))
        })
        .collect();
    let scope_stubs = stubs_of(&scope_context, &outside_fks);
    Some(Small {
        again,
        removed,
        small_scope,
        schema: small,
        scope: Scope {
            tables,
            context: scope_context,
            stubs: scope_stubs,
        },
    })
}

impl Small {
    /// Build the small database and make the canonical desired schema of it: None when the small database was
    /// refused or its context reads back otherwise (the whole schema is normalized then).
    async fn normalize(
        self,
        loaded: &LoadedSchema,
        current: &Schema,
        scratch: &ScratchServer,
    ) -> Option<(Schema, Scope)> {
        let Small {
            again,
            removed,
            small_scope,
            schema: small,
            scope,
        } = self;
        let desired = &loaded.schema;
        if again.is_empty() && removed.is_empty() {
            return Some((current.clone(), scope));
        }
        let small_loaded = LoadedSchema {
            schema: small,
            file: loaded.file.clone(),
            spans: loaded.spans.clone(),
        };
        let normal = if again.is_empty() {
            // Only removed tables, which nothing names: nothing to build.
            Schema::default()
        } else {
            // Read back in the form schema.toml has, the first round's result renders to the very statements
            // that built it: building it again would read back the same (the names PostgreSQL chose in the
            // first round it chooses again), so it is the fixpoint without a second round.
            let normal = async {
                let first = created_and_read(&small_loaded, scratch).await?;
                let settled = as_written(&small_loaded, &first)
                    .is_some_and(|w| rendered(&w).all == rendered(&small_loaded.schema).all);
                if settled {
                    tracing::debug!("incremental normalization: the first round is the fixpoint");
                    Ok(first)
                } else {
                    canonicalize(first, scratch).await
                }
            };
            match normal.await {
                Ok(s) => s,
                Err(e) => {
                    // Normalizing the whole schema reports each problem at its place.
                    tracing::debug!("incremental normalization: the small database failed ({e})");
                    return None;
                }
            }
        };
        // The context must read back as it is in the current schema (but for the foreign keys left out, or
        // as a stub).
        let current_tables = current.tables_by_name();
        // By name, as `tables_by_name` finds them, but the tables themselves: the canonical desired one shares them.
        let mut normal_tables = std::collections::HashMap::with_capacity(normal.tables.len());
        for t in &normal.tables {
            normal_tables.entry(&t.name).or_insert(t);
        }
        for name in &small_scope.context {
            let (Some(got), Some(had)) =
                (normal_tables.get(name).copied(), current_tables.get(name))
            else {
                return None;
            };
            let had = if small_scope.stubs.contains(name) {
                stub(had)
            } else {
                let mut had = (*had).clone();
                had.foreign_keys.clear();
                had
            };
            if **got != had {
                tracing::debug!(
                    "incremental normalization: context table {name} reads back otherwise"
                );
                return None;
            }
        }
        let mut out = current.clone();
        out.tables
            .retain(|t| !removed.contains(&t.name) && !again.contains(&t.name));
        for name in &again {
            out.tables
                .push(std::sync::Arc::clone(normal_tables.get(name)?));
        }
        // The owners of the tables normalized again are theirs as read back.
        let renewed = |o: &schemadiff_model::ObjectOwner| matches!(&o.target, GrantTarget::Table(t) if again.contains(t) || removed.contains(t));
        out.owners.retain(|o| !renewed(o));
        out.owners
            .extend(normal.owners.iter().filter(|o| renewed(o)).cloned());
        out.owners.sort();
        if !desired.owners.is_empty() {
            // Its roles are those its policies, grants and owners name, as when read.
            crate::introspect::keep_stated_owners(&mut out, desired);
        }
        // Listed as the catalog lists them.
        out.tables.sort_by(|a, b| a.name.cmp(&b.name));
        let on_table = |r: &ObjectRef| match r {
            ObjectRef::Column(t, _) | ObjectRef::Constraint(t, _) => Some(t.clone()),
            _ => None,
        };
        let gone =
            |r: &ObjectRef| on_table(r).is_some_and(|t| again.contains(&t) || removed.contains(&t));
        out.dependencies.retain(|d| !gone(&d.dependent));
        out.dependencies.extend(
            normal
                .dependencies
                .iter()
                .filter(|d| on_table(&d.dependent).is_some_and(|t| again.contains(&t)))
                .cloned(),
        );
        Some((out, scope))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema with a bit of everything a table part carries: foreign keys across parts, grants and column
    /// grants, owners, triggers, policies, comments on named and unnamed constraints and indexes; and what is
    /// not a table's: a sequence owned by a column, a view, a function, a trigger of a view.
    const SCHEMA: &str = r#"
[migrations]
manage_ownership = true

[roles]
app_user = {}
app_owner = {}

[functions."touch()"]
returns = "trigger"
language = "plpgsql"
body = "BEGIN RETURN NEW; END;"

[sequences.numbers]
owned_by = "t3.n"

[tables.t1]
primary_key = ["id"]
comment = "one"
owner = "app_owner"
grants = { app_user = ["select"] }

[tables.t1.columns]
id = "bigint"
name = { type = "text", comment = "its name" }

[[tables.t1.indexes]]
columns = ["name"]
comment = "by name"

[tables.t2]
primary_key = ["id"]

[tables.t2.columns]
id = "bigint"
t1 = "bigint"

[tables.t2.column_grants.t1]
app_user = ["select"]

[[tables.t2.foreign_keys]]
columns = ["t1"]
references = { table = "t1", columns = ["id"] }
on_delete = "cascade"
comment = "to t1"

[[tables.t2.triggers]]
name = "t2_touch"
timing = "before"
events = ["update"]
for_each = "row"
function = "touch"

[tables.t3]
row_level_security = true

[tables.t3.columns]
n = "bigint"
t2 = "bigint"

[[tables.t3.foreign_keys]]
columns = ["t2"]
references = { table = "t2", columns = ["id"] }

[[tables.t3.policies]]
name = "mine"
using = "n > 0"

[[tables.t3.checks]]
name = "t3_n_check"
expression = "n > 0"
comment = "positive"

[tables.t4]
unlogged = true

[tables.t4.columns]
x = "integer"

[views.v]
query = "SELECT id FROM t1"
"#;

    fn load(text: &str) -> LoadedSchema {
        schemadiff_model::load_str("schema.toml", text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// The tables that differ and the other elements, as comparing the whole schemas at once finds them.
    fn whole(
        loaded: &LoadedSchema,
        current: &Schema,
    ) -> (BTreeSet<QualifiedName>, Vec<(Element, String)>) {
        let want = rendered(&loaded.schema);
        let have = rendered(&as_written(loaded, current).expect("it loads"));
        let differ = |k: &Element| {
            want.all.get(k) != have.all.get(k) || want.without_fks.get(k) != have.without_fks.get(k)
        };
        let tables = have
            .all
            .keys()
            .filter_map(|k| match k {
                Element::Table(t) if differ(k) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let others = have
            .all
            .into_iter()
            .filter(|(k, _)| matches!(k, Element::Other(_)))
            .collect();
        (tables, others)
    }

    fn parts(
        loaded: &LoadedSchema,
        current: &Schema,
        part: usize,
    ) -> (BTreeSet<QualifiedName>, Vec<(Element, String)>) {
        let want = rendered(&loaded.schema);
        let side = current_side(loaded, current, &want, part).expect("every part loads");
        (
            side.differing.into_keys().collect(),
            side.others.into_iter().collect(),
        )
    }

    #[test]
    fn compared_a_part_at_a_time_as_whole() {
        let current = load(SCHEMA).schema;
        // The same schema, and one with a table changed, a table added and a table removed.
        let changed = SCHEMA
            .replace(
                "name = { type = \"text\", comment = \"its name\" }",
                "name = \"text\"",
            )
            .replace(
                "[tables.t4]\nunlogged = true\n\n[tables.t4.columns]",
                "[tables.t5.columns]",
            );
        for desired in [SCHEMA.to_string(), changed] {
            let loaded = load(&desired);
            let (tables, others) = whole(&loaded, &current);
            for part in [1, 2, 3, PART] {
                let (t, o) = parts(&loaded, &current, part);
                assert_eq!(t, tables, "part of {part}");
                assert_eq!(o, others, "part of {part}");
            }
            if desired != SCHEMA {
                let names: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
                assert_eq!(names, ["t1", "t4"]);
            } else {
                assert!(tables.is_empty());
            }
        }
    }

    #[test]
    fn a_commented_unnamed_constraint_whose_name_is_taken_elsewhere_differs() {
        // In the current schema, t2's foreign key has the name the server gives it, and a check of t3 has it
        // too: written without it, the key's name is numbered in the whole schema (its comment says so), not in
        // a part without t3, where it reads as schema.toml's. Compared as a whole, t2 differs: a part at a
        // time too.
        let current = load(
            &SCHEMA
                .replace("name = \"t3_n_check\"", "name = \"t2_t1_fkey\"")
                .replace(
                    "comment = \"to t1\"",
                    "name = \"t2_t1_fkey\"\ncomment = \"to t1\"",
                ),
        )
        .schema;
        let loaded = load(SCHEMA);
        let t2 = QualifiedName::new("public", "t2");
        assert!(whole(&loaded, &current).0.contains(&t2));
        for part in [1, 2, PART] {
            assert!(
                parts(&loaded, &current, part).0.contains(&t2),
                "part of {part}"
            );
        }
    }

    #[test]
    fn words_fold_unquoted_names_and_keep_quoted_ones() {
        let w = words(r#"REFERENCES public.Account_1 ("Id", x) DEFAULT 'a b'"#);
        for expected in ["references", "public", "account_1", "Id", "x", "a", "b"] {
            assert!(w.contains(expected), "{expected} in {w:?}");
        }
    }
}
