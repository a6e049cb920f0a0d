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

use schemadiff_model::{
    GrantTarget, LoadedSchema, ObjectPath, ObjectRef, QualifiedName, Schema, create_script,
};

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
    for stmt in create_script(schema) {
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
        c.statistics = None;
        c.storage = None;
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
    for e in &mut unpinned.extensions {
        if desired
            .extensions
            .iter()
            .any(|w| w.name == e.name && w.version.is_none())
        {
            e.version = None;
        }
    }
    let written = schemadiff_model::to_toml(&unpinned);
    drop(unpinned);
    schemadiff_model::load_str_without_spans(&loaded.file.name, written)
        .ok()
        .map(|read| read.schema)
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
    let (text, current_side) = std::thread::scope(|s| {
        let text = match text {
            Some(text) => Ok(text),
            None => Err(s.spawn(|| desired_text(loaded))),
        };
        let current_side = as_written(loaded, current).map(|w| (rendered(&w), w));
        let text = match text {
            Ok(text) => text,
            Err(rendering) => rendering
                .join()
                .expect("rendering schema.toml does not panic"),
        };
        (text, current_side)
    });
    let DesiredText(Rendered {
        all: want,
        without_fks,
    }) = text;
    let (
        Rendered {
            all: have,
            without_fks: have_without_fks,
        },
        as_written,
    ) = current_side?;
    // Every element other than a table as it is in the current schema.
    let others = |m: &BTreeMap<Element, String>| -> Vec<(Element, String)> {
        m.iter()
            .filter(|(k, _)| matches!(k, Element::Other(_)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    // An invalid index of a materialized view renders as a valid one (see below for tables).
    if others(&want) != others(&have)
        || current
            .views
            .iter()
            .any(|v| v.indexes.iter().any(|i| i.invalid))
    {
        tracing::debug!("incremental normalization: an element other than a table differs");
        return None;
    }
    fn table_text<'m>(m: &'m BTreeMap<Element, String>, t: &QualifiedName) -> &'m str {
        m.get(&Element::Table(t.clone())).map_or("", String::as_str)
    }
    let mut changed: BTreeSet<QualifiedName> = BTreeSet::new();
    let current_tables = current.tables_by_name();
    let desired_tables = desired.tables_by_name();
    for t in &desired.tables {
        // An invalid index renders as a valid one: its table is built again, so that the plan rebuilds it.
        if current_tables
            .get(&t.name)
            .is_none_or(|c| c.indexes.iter().any(|i| i.invalid))
            || table_text(&want, &t.name) != table_text(&have, &t.name)
        {
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
    let written_tables = as_written.tables_by_name();
    let key_kept = |fk: &schemadiff_model::ForeignKey| -> bool {
        if !changed.contains(&fk.references) {
            return !removed.contains(&fk.references);
        }
        // Both as schema.toml writes them (the key names PostgreSQL chose left out alike).
        let (Some(d), Some(c)) = (
            desired_tables.get(&fk.references),
            written_tables.get(&fk.references),
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
                .map(|c| (c.data_type.clone(), c.collation.clone()))
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
        named.extend(words(table_text(&have, t)));
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
                .chain(words(table_text(&have_without_fks, t)))
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
    use super::words;

    #[test]
    fn words_fold_unquoted_names_and_keep_quoted_ones() {
        let w = words(r#"REFERENCES public.Account_1 ("Id", x) DEFAULT 'a b'"#);
        for expected in ["references", "public", "account_1", "Id", "x", "a", "b"] {
            assert!(w.contains(expected), "{expected} in {w:?}");
        }
    }
}
