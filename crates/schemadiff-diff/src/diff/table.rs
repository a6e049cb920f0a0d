//! Tables, the diff stage: created and dropped with their keys, constraints, indexes, foreign keys and
//! comments; altered element by element.

use std::borrow::Cow;

use super::*;

/// What a column needs to exist: its table, its enum type, the sequence of its default.
pub(super) fn column_needs(t: &QualifiedName, c: &Column, types: &TypeNames) -> Vec<Res> {
    let mut r = vec![Res::Table(t.clone())];
    r.extend(column_uses(t, c, types));
    r
}

/// What a column of `t` uses: its enum type, the sequence of its default.
pub(super) fn column_uses(t: &QualifiedName, c: &Column, types: &TypeNames) -> Vec<Res> {
    let mut r = Vec::new();
    r.extend(types.enum_of(&c.data_type));
    r.extend(types.column_types(t, &c.name));
    if c.default.is_some() {
        r.extend(types.default_sequences(t, &c.name));
    }
    r
}

pub(super) fn sorted(cols: &[String]) -> Vec<String> {
    let mut v = cols.to_vec();
    v.sort();
    v
}

pub(super) fn key_columns(idx: &Index) -> Vec<String> {
    idx.keys
        .iter()
        .filter_map(|k| match &k.target {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expression(_) => None,
        })
        .chain(idx.include.iter().cloned())
        .collect()
}

/// The keys (for foreign keys to stand on) a table offers: primary key, unique constraints, plain unique indexes.
pub(super) fn table_keys(t: &Table) -> Vec<Res> {
    let mut keys = Vec::new();
    if let Some(pk) = &t.primary_key {
        keys.push(Res::Key(t.name.clone(), sorted(&pk.columns)));
    }
    for u in &t.uniques {
        keys.push(Res::Key(t.name.clone(), sorted(&u.columns)));
    }
    keys.dedup();
    for i in &t.indexes {
        if i.unique
            && i.where_clause.is_none()
            && i.keys
                .iter()
                .all(|k| matches!(k.target, IndexTarget::Column(_)))
        {
            keys.push(Res::Key(t.name.clone(), sorted(&key_columns(i))));
        }
    }
    keys
}

pub(super) fn tables(
    current: &Schema,
    desired: &Schema,
    types: &TypeNames,
    directives: &Directives,
    rebuilt: &BTreeSet<QualifiedName>,
    out: &mut Vec<Change>,
) {
    // A table rebuilt to change its partitioning is dropped and created, as if its name were another's.
    let des: BTreeMap<&QualifiedName, &Table> = desired
        .tables
        .iter()
        .filter(|t| !rebuilt.contains(&t.name))
        .map(|t| (&t.name, &**t))
        .collect();
    // Constraints and indexes that only changed name are renamed, not rebuilt. A table equal to its desired
    // one (most of them) has nothing to rename, and is not copied; `same` marks it.
    let renamed: Vec<(Cow<Table>, bool)> = current
        .tables
        .iter()
        .map(|t| match des.get(&t.name) {
            Some(d) if same_table(t, d) => (Cow::Borrowed(&**t), true),
            Some(d) => (Cow::Owned(rename_same_definitions(t, d, out)), false),
            None => (Cow::Borrowed(&**t), false),
        })
        .collect();
    let cur: BTreeMap<&QualifiedName, (&Table, bool)> = renamed
        .iter()
        .map(|(t, same)| (&t.name, (t.as_ref(), *same)))
        .collect();
    // Keys that go away (or are made anew): foreign keys standing on them must be made anew too. An equal
    // table keeps all its keys.
    let mut dropped_keys: BTreeSet<Res> = BTreeSet::new();
    for (name, (t, same)) in &cur {
        match des.get(name) {
            None => dropped_keys.extend(table_keys(t)),
            Some(_) if *same => {}
            Some(d) => {
                let kept: BTreeSet<Res> = table_keys(d).into_iter().collect();
                // A key whose definition changes is dropped and made again.
                let unchanged = unchanged_key_sources(t, d);
                for k in table_keys(t) {
                    if !kept.contains(&k) || !unchanged.contains(&k) {
                        dropped_keys.insert(k);
                    }
                }
            }
        }
    }
    for t in &desired.tables {
        match cur.get(&t.name).filter(|_| !rebuilt.contains(&t.name)) {
            None => {
                create_table_changes(t, types, out);
                super::partition::created(current, t, out);
            }
            Some(&(c, same)) => {
                // An equal table changes only to make anew its foreign keys onto dropped keys.
                if !same || !keys_kept(c, &dropped_keys) {
                    alter_table_changes(c, t, types, directives, &dropped_keys, out);
                }
                super::partition::altered(c, t, out);
            }
        }
    }
    for (t, _) in &renamed {
        if !des.contains_key(&t.name) {
            drop_table_changes(t, types, out);
            super::partition::dropped(t, out);
        }
    }
}

/// Whether `c` and `d` are equal, with every column, constraint and index named, each name once (as read
/// from a server): then nothing of theirs differs, each element is found by its name on the other side, and
/// the table diffs to nothing but what [`keys_kept`] excludes.
pub(super) fn same_table(c: &Table, d: &Table) -> bool {
    c == d && names_distinct(c)
}

fn names_distinct(t: &Table) -> bool {
    fn distinct<'a>(names: impl Iterator<Item = Option<&'a String>>) -> bool {
        let mut seen: Vec<&String> = Vec::new();
        for n in names {
            let Some(n) = n else { return false };
            if seen.contains(&n) {
                return false;
            }
            seen.push(n);
        }
        true
    }
    distinct(t.columns.iter().map(|c| Some(&c.name)))
        && distinct(
            t.primary_key
                .iter()
                .map(|p| p.name.as_ref())
                .chain(t.uniques.iter().map(|u| u.name.as_ref()))
                .chain(t.checks.iter().map(|c| c.name.as_ref()))
                .chain(t.exclusions.iter().map(|x| x.name.as_ref())),
        )
        && distinct(t.indexes.iter().map(|i| i.name.as_ref()))
        && distinct(t.foreign_keys.iter().map(|f| f.name.as_ref()))
}

/// Whether no foreign key of `t` stands on a key in `dropped_keys`.
pub(super) fn keys_kept(t: &Table, dropped_keys: &BTreeSet<Res>) -> bool {
    dropped_keys.is_empty()
        || t.foreign_keys.iter().all(|f| {
            !dropped_keys.contains(&Res::Key(
                f.references.clone(),
                sorted(&f.referenced_columns),
            ))
        })
}

/// `c` with the constraints and indexes that `d` has under another name (and the very same definition)
/// renamed, emitting those renames: cheaper than rebuilding, and what follows sees the new names.
pub(super) fn rename_same_definitions(c: &Table, d: &Table, out: &mut Vec<Change>) -> Table {
    let mut t = c.clone();
    let q = t.name.sql();
    let rename = |out: &mut Vec<Change>,
                  kind: ChangeKind,
                  object: String,
                  sql: String,
                  old: &str,
                  new: &str,
                  relation: bool| {
        let mut change = Change::new(kind, Action::Alter, Phase::Rename, object)
            .group(format!("table {q}"))
            .sql(sql)
            .hazard(Hazard::AccessExclusiveLock)
            .requires([Res::Table(c.name.clone())])
            .removes([Res::Named(c.name.clone(), old.to_string())])
            .provides([Res::Named(c.name.clone(), new.to_string())]);
        // An index's name (its own, or its key's) is a relation's: it is freed and taken.
        if relation {
            change = change
                .removes([Res::relation(&c.name.schema, old)])
                .provides([Res::relation(&c.name.schema, new)]);
        }
        out.push(change);
    };
    let constraint = |out: &mut Vec<Change>, old: &str, new: &str, relation: bool| {
        rename(
            out,
            ChangeKind::RenameConstraint,
            format!("constraint {} on {q}", quote_ident(new)),
            format!(
                "ALTER TABLE {q} RENAME CONSTRAINT {} TO {}",
                quote_ident(old),
                quote_ident(new)
            ),
            old,
            new,
            relation,
        );
    };
    if let (Some(a), Some(b)) = (&mut t.primary_key, &d.primary_key) {
        if a.name != b.name
            && (&a.columns, a.deferrable, a.initially_deferred)
                == (&b.columns, b.deferrable, b.initially_deferred)
        {
            constraint(out, &name_of(&a.name), &name_of(&b.name), true);
            a.name = b.name.clone();
        }
    }
    for (i, new) in pairs(&c.uniques, &d.uniques, |u| &u.name, same_unique) {
        constraint(out, &name_of(&t.uniques[i].name), &name_of(&new), true);
        t.uniques[i].name = new;
    }
    for (i, new) in pairs(
        &c.checks,
        &d.checks,
        |x| &x.name,
        |a, b| {
            (&a.expression, a.no_inherit, a.not_valid) == (&b.expression, b.no_inherit, b.not_valid)
        },
    ) {
        constraint(out, &name_of(&t.checks[i].name), &name_of(&new), false);
        t.checks[i].name = new;
    }
    let exclusion = |x: &schemadiff_model::Exclusion| {
        exclusion_clause(&schemadiff_model::Exclusion {
            name: None,
            comment: None,
            ..x.clone()
        })
    };
    for (i, new) in pairs(
        &c.exclusions,
        &d.exclusions,
        |x| &x.name,
        |a, b| exclusion(a) == exclusion(b),
    ) {
        constraint(out, &name_of(&t.exclusions[i].name), &name_of(&new), true);
        t.exclusions[i].name = new;
    }
    for (i, new) in pairs(&c.foreign_keys, &d.foreign_keys, |f| &f.name, same_fk) {
        constraint(
            out,
            &name_of(&t.foreign_keys[i].name),
            &name_of(&new),
            false,
        );
        t.foreign_keys[i].name = new;
    }
    for (i, new) in pairs(&c.indexes, &d.indexes, |x| &x.name, same_index) {
        let (old, to) = (name_of(&t.indexes[i].name), name_of(&new));
        let from = QualifiedName::new(t.name.schema.clone(), old.clone()).sql();
        let object = format!(
            "index {}",
            QualifiedName::new(t.name.schema.clone(), to.clone()).sql()
        );
        rename(
            out,
            ChangeKind::RenameIndex,
            object,
            format!("ALTER INDEX {from} RENAME TO {}", quote_ident(&to)),
            &old,
            &to,
            true,
        );
        t.indexes[i].name = new;
    }
    t
}

/// (position in `old`, new name) for each element of `new` whose name is not in `old` but whose definition
/// equals that of an element of `old` whose name is not in `new`.
pub(super) fn pairs<T>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &Option<String>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<(usize, Option<String>)> {
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for n in new {
        if old.iter().any(|o| name(o) == name(n)) {
            continue;
        }
        let found = old.iter().enumerate().find(|(i, o)| {
            !used.contains(i) && !new.iter().any(|x| name(x) == name(o)) && same(o, n)
        });
        if let Some((i, _)) = found {
            used.insert(i);
            out.push((i, name(n).clone()));
        }
    }
    out
}

/// Keys of `c` whose defining constraint or index is the same in `d` (so they are not dropped).
pub(super) fn unchanged_key_sources(c: &Table, d: &Table) -> BTreeSet<Res> {
    let mut out = BTreeSet::new();
    if let (Some(a), Some(b)) = (&c.primary_key, &d.primary_key) {
        if a.name == b.name && primary_key_clause(a) == primary_key_clause(b) {
            out.insert(Res::Key(c.name.clone(), sorted(&a.columns)));
        }
    }
    for u in &c.uniques {
        if d.uniques.iter().any(|v| same_unique(u, v)) {
            out.insert(Res::Key(c.name.clone(), sorted(&u.columns)));
        }
    }
    for i in &c.indexes {
        if d.indexes.iter().any(|j| same_index(i, j)) {
            out.insert(Res::Key(c.name.clone(), sorted(&key_columns(i))));
        }
    }
    out
}

pub(super) fn same_unique(a: &schemadiff_model::Unique, b: &schemadiff_model::Unique) -> bool {
    (
        &a.columns,
        &a.include,
        a.nulls_not_distinct,
        a.deferrable,
        a.initially_deferred,
    ) == (
        &b.columns,
        &b.include,
        b.nulls_not_distinct,
        b.deferrable,
        b.initially_deferred,
    )
}

pub(super) fn same_index(a: &Index, b: &Index) -> bool {
    (
        a.unique,
        &a.method,
        &a.keys,
        &a.include,
        &a.where_clause,
        a.nulls_not_distinct,
        a.invalid,
    ) == (
        b.unique,
        &b.method,
        &b.keys,
        &b.include,
        &b.where_clause,
        b.nulls_not_distinct,
        b.invalid,
    )
}

pub(super) fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    let key = |f: &ForeignKey| {
        (
            f.columns.clone(),
            f.references.clone(),
            f.referenced_columns.clone(),
            f.on_delete,
            f.on_delete_columns.clone(),
            f.on_update,
            f.match_full,
            f.deferrable,
            f.initially_deferred,
            f.not_valid,
        )
    };
    key(a) == key(b)
}

pub(super) fn name_of(n: &Option<String>) -> String {
    n.clone().unwrap_or_default()
}

pub(super) fn create_table_changes(t: &Table, types: &TypeNames, out: &mut Vec<Change>) {
    let q = t.name.sql();
    let group = format!("table {q}");
    let mut requires = vec![in_schema(&t.name)];
    for c in &t.columns {
        requires.extend(column_uses(&t.name, c, types));
    }
    // A table is also a type (its row type), in the namespace of enums.
    let mut provides = vec![Res::Table(t.name.clone()), Res::Type(t.name.clone())];
    provides.extend(index_backed_relations(t, false));
    provides.extend(
        t.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.name.clone())),
    );
    provides.extend(
        t.primary_key
            .iter()
            .filter(|pk| !pk.deferrable)
            .map(|pk| Res::Key(t.name.clone(), sorted(&pk.columns))),
    );
    provides.extend(
        t.uniques
            .iter()
            .filter(|u| !u.deferrable)
            .map(|u| Res::Key(t.name.clone(), sorted(&u.columns))),
    );
    for n in t
        .primary_key
        .iter()
        .map(|p| &p.name)
        .chain(t.uniques.iter().map(|u| &u.name))
        .chain(t.checks.iter().map(|c| &c.name))
        .chain(t.exclusions.iter().map(|x| &x.name))
    {
        provides.push(Res::Named(t.name.clone(), name_of(n)));
    }
    let mut create = Change::new(
        ChangeKind::CreateTable,
        Action::Create,
        Phase::CreateTable,
        group.clone(),
    )
    .sql(create_table(t));
    for (_, sql) in table_additions(t) {
        create = create.sql(sql);
    }
    out.push(create.requires(requires).provides(provides));
    // The table is empty and nobody uses it yet: its indexes block no one, and its rows fail no key.
    for idx in &t.indexes {
        out.push(create_index_change(t, idx, true));
    }
    for fk in &t.foreign_keys {
        out.push(add_fk_change(t, fk, true));
    }
    comments_of_new_table(t, out);
}

pub(super) fn comments_of_new_table(t: &Table, out: &mut Vec<Change>) {
    let q = t.name.sql();
    let group = format!("table {q}");
    if t.comment.is_some() {
        out.push(comment_change(
            group.clone(),
            group.clone(),
            &format!("TABLE {q}"),
            &t.comment,
            vec![Res::Table(t.name.clone())],
        ));
    }
    for c in &t.columns {
        if c.comment.is_some() {
            out.push(comment_change(
                format!("column {q}.{}", quote_ident(&c.name)),
                group.clone(),
                &format!("COLUMN {q}.{}", quote_ident(&c.name)),
                &c.comment,
                vec![Res::Column(t.name.clone(), c.name.clone())],
            ));
        }
    }
    for (name, comment) in constraint_comments(t) {
        if comment.is_some() {
            out.push(comment_change(
                format!("constraint {} on {q}", quote_ident(&name)),
                group.clone(),
                &format!("CONSTRAINT {} ON {q}", quote_ident(&name)),
                &comment,
                vec![Res::Named(t.name.clone(), name.clone())],
            ));
        }
    }
    for i in &t.indexes {
        if i.comment.is_some() {
            let iq = QualifiedName::new(t.name.schema.clone(), name_of(&i.name)).sql();
            out.push(comment_change(
                format!("index {iq}"),
                group.clone(),
                &format!("INDEX {iq}"),
                &i.comment,
                vec![Res::Named(t.name.clone(), name_of(&i.name))],
            ));
        }
    }
}

/// Every constraint of a table by name, with its comment.
pub(super) fn constraint_comments(t: &Table) -> Vec<(String, Option<String>)> {
    let mut v = Vec::new();
    if let Some(pk) = &t.primary_key {
        v.push((name_of(&pk.name), pk.comment.clone()));
    }
    v.extend(
        t.uniques
            .iter()
            .map(|u| (name_of(&u.name), u.comment.clone())),
    );
    v.extend(
        t.checks
            .iter()
            .map(|c| (name_of(&c.name), c.comment.clone())),
    );
    v.extend(
        t.exclusions
            .iter()
            .map(|x| (name_of(&x.name), x.comment.clone())),
    );
    v.extend(
        t.foreign_keys
            .iter()
            .map(|f| (name_of(&f.name), f.comment.clone())),
    );
    v
}

/// A new index on `t`; `new_table` when the plan creates `t` (empty, unused: no hazard).
pub(super) fn create_index_change(t: &Table, idx: &Index, new_table: bool) -> Change {
    let iq = QualifiedName::new(t.name.schema.clone(), name_of(&idx.name)).sql();
    let mut provides = vec![
        Res::Named(t.name.clone(), name_of(&idx.name)),
        Res::relation(&t.name.schema, &name_of(&idx.name)),
    ];
    let cols = key_columns(idx);
    if idx.unique && idx.where_clause.is_none() && cols.len() == idx.keys.len() + idx.include.len()
    {
        provides.push(Res::Key(t.name.clone(), sorted(&cols)));
    }
    let change = Change::new(
        ChangeKind::CreateIndex,
        Action::Create,
        Phase::CreateIndex,
        format!("index {iq}"),
    )
    .group(format!("table {}", t.name.sql()))
    .sql(create_index(&t.name, idx));
    let change = match (new_table, idx.unique) {
        (true, _) => change,
        (false, false) => change.hazard(Hazard::BuildsIndexBlockingWrites),
        (false, true) => change
            .hazard(Hazard::BuildsIndexBlockingWrites)
            .hazard(Hazard::MayFailOnExistingData),
    };
    change
        .requires([Res::Table(t.name.clone())])
        .requires(cols.into_iter().map(|c| Res::Column(t.name.clone(), c)))
        .provides(provides)
}

pub(super) fn drop_index_change(t: &Table, idx: &Index) -> Change {
    let iq = QualifiedName::new(t.name.schema.clone(), name_of(&idx.name)).sql();
    let mut removes = vec![
        Res::Named(t.name.clone(), name_of(&idx.name)),
        Res::relation(&t.name.schema, &name_of(&idx.name)),
    ];
    if idx.unique {
        removes.push(Res::Key(t.name.clone(), sorted(&key_columns(idx))));
    }
    Change::new(
        ChangeKind::DropIndex,
        Action::Drop,
        Phase::DropIndexOrConstraint,
        format!("index {iq}"),
    )
    .group(format!("table {}", t.name.sql()))
    .sql(format!("DROP INDEX {iq}"))
    .hazard(Hazard::AccessExclusiveLock)
    .removes(removes)
    .releases(
        key_columns(idx)
            .into_iter()
            .map(|c| Res::Column(t.name.clone(), c)),
    )
}

/// A new foreign key on `t`; `new_table` when the plan creates `t` (no rows to check).
pub(super) fn add_fk_change(t: &Table, fk: &ForeignKey, new_table: bool) -> Change {
    let q = t.name.sql();
    let change = Change::new(
        ChangeKind::AddForeignKey,
        Action::Create,
        Phase::AddForeignKey,
        format!("foreign key {} on {q}", quote_ident(&name_of(&fk.name))),
    )
    .group(format!("table {q}"))
    .sql(format!("ALTER TABLE {q} ADD {}", foreign_key_clause(fk)));
    // A NOT VALID foreign key leaves the existing rows alone.
    let change = if fk.not_valid || new_table {
        change
    } else {
        change.hazard(Hazard::MayFailOnExistingData)
    };
    change
        .requires([
            Res::Table(t.name.clone()),
            Res::Table(fk.references.clone()),
        ])
        .requires(
            fk.columns
                .iter()
                .map(|c| Res::Column(t.name.clone(), c.clone())),
        )
        .requires([Res::Key(
            fk.references.clone(),
            sorted(&fk.referenced_columns),
        )])
        .provides([Res::Named(t.name.clone(), name_of(&fk.name))])
}

pub(super) fn drop_fk_change(t: &Table, fk: &ForeignKey) -> Change {
    let q = t.name.sql();
    Change::new(
        ChangeKind::DropForeignKey,
        Action::Drop,
        Phase::DropForeignKey,
        format!("foreign key {} on {q}", quote_ident(&name_of(&fk.name))),
    )
    .group(format!("table {q}"))
    .sql(format!(
        "ALTER TABLE {q} DROP CONSTRAINT {}",
        quote_ident(&name_of(&fk.name))
    ))
    .removes([Res::Named(t.name.clone(), name_of(&fk.name))])
    .releases([
        Res::Table(fk.references.clone()),
        Res::Key(fk.references.clone(), sorted(&fk.referenced_columns)),
    ])
    .releases(
        fk.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.clone())),
    )
    .releases(
        fk.referenced_columns
            .iter()
            .map(|c| Res::Column(fk.references.clone(), c.clone())),
    )
}

pub(super) fn drop_table_changes(t: &Table, types: &TypeNames, out: &mut Vec<Change>) {
    let q = t.name.sql();
    // Its foreign keys first, so that tables referencing each other can all go.
    for fk in &t.foreign_keys {
        out.push(drop_fk_change(t, fk));
    }
    let mut removes = vec![Res::Table(t.name.clone()), Res::Type(t.name.clone())];
    removes.extend(index_backed_relations(t, true));
    removes.extend(
        t.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.name.clone())),
    );
    removes.extend(table_keys(t));
    let mut releases = vec![in_schema(&t.name)];
    for c in &t.columns {
        releases.extend(column_uses(&t.name, c, types));
    }
    out.push(
        Change::new(
            ChangeKind::DropTable,
            Action::Drop,
            Phase::DropTable,
            format!("table {q}"),
        )
        .sql(format!("DROP TABLE {q}"))
        .hazard(Hazard::DeletesData)
        .removes(removes)
        .releases(releases),
    );
}

/// The names `t` takes in its schema's namespace of relations: its own, those of its keys' and exclusion
/// constraints' indexes, and (`with_indexes`) those of its indexes.
pub(super) fn index_backed_relations(t: &Table, with_indexes: bool) -> Vec<Res> {
    let s = &t.name.schema;
    let mut out = vec![Res::relation_of(&t.name)];
    let names = t
        .primary_key
        .iter()
        .map(|p| &p.name)
        .chain(t.uniques.iter().map(|u| &u.name))
        .chain(t.exclusions.iter().map(|x| &x.name))
        .chain(t.indexes.iter().map(|i| &i.name).filter(|_| with_indexes));
    out.extend(names.map(|n| Res::relation(s, &name_of(n))));
    out
}

/// A table-level constraint other than a foreign key, as (name, clause, columns, is_key, definition key).
pub(super) struct Constraint {
    name: String,
    clause: String,
    columns: Vec<String>,
    key: Option<Vec<String>>,
    definition: String,
    /// A NOT VALID check: its definition once validated (what `VALIDATE CONSTRAINT` turns it into).
    validated: Option<String>,
    /// Whether it has an index (primary key, unique, exclusion), whose name is a relation's.
    index_backed: bool,
    comment: Option<String>,
    hazards: Vec<Hazard>,
}

pub(super) fn constraints(t: &Table) -> Vec<Constraint> {
    let mut v = Vec::new();
    if let Some(pk) = &t.primary_key {
        v.push(Constraint {
            name: name_of(&pk.name),
            clause: primary_key_clause(pk),
            columns: pk.columns.clone(),
            key: (!pk.deferrable).then(|| sorted(&pk.columns)),
            definition: primary_key_clause(pk),
            validated: None,
            index_backed: true,
            comment: pk.comment.clone(),
            hazards: vec![
                Hazard::MayFailOnExistingData,
                Hazard::BuildsIndexBlockingWrites,
                Hazard::AccessExclusiveLock,
            ],
        });
    }
    for u in &t.uniques {
        v.push(Constraint {
            name: name_of(&u.name),
            clause: unique_clause(u),
            columns: u.columns.iter().chain(&u.include).cloned().collect(),
            key: (!u.deferrable).then(|| sorted(&u.columns)),
            definition: unique_clause(u),
            validated: None,
            index_backed: true,
            comment: u.comment.clone(),
            hazards: vec![
                Hazard::MayFailOnExistingData,
                Hazard::BuildsIndexBlockingWrites,
                Hazard::AccessExclusiveLock,
            ],
        });
    }
    for c in &t.checks {
        v.push(Constraint {
            name: name_of(&c.name),
            clause: check_clause(c),
            columns: t
                .columns
                .iter()
                .filter(|col| c.expression.contains(&col.name))
                .map(|col| col.name.clone())
                .collect(),
            key: None,
            definition: check_clause(c),
            validated: c.not_valid.then(|| {
                check_clause(&schemadiff_model::Check {
                    not_valid: false,
                    ..c.clone()
                })
            }),
            index_backed: false,
            comment: c.comment.clone(),
            // A NOT VALID check leaves the existing rows alone.
            hazards: if c.not_valid {
                vec![Hazard::AccessExclusiveLock]
            } else {
                vec![Hazard::MayFailOnExistingData, Hazard::AccessExclusiveLock]
            },
        });
    }
    for x in &t.exclusions {
        v.push(Constraint {
            name: name_of(&x.name),
            clause: exclusion_clause(x),
            columns: x
                .elements
                .iter()
                .filter_map(|e| match &e.key.target {
                    IndexTarget::Column(c) => Some(c.clone()),
                    IndexTarget::Expression(_) => None,
                })
                .collect(),
            key: None,
            definition: exclusion_clause(x),
            validated: None,
            index_backed: true,
            comment: x.comment.clone(),
            hazards: vec![
                Hazard::MayFailOnExistingData,
                Hazard::BuildsIndexBlockingWrites,
                Hazard::AccessExclusiveLock,
            ],
        });
    }
    v
}

pub(super) fn alter_table_changes(
    c: &Table,
    d: &Table,
    types: &TypeNames,
    directives: &Directives,
    dropped_keys: &BTreeSet<Res>,
    out: &mut Vec<Change>,
) {
    let q = d.name.sql();
    let group = format!("table {q}");
    let tres = Res::Table(d.name.clone());

    // Columns. New ones are added in declaration order (each after the new one declared before it), so the
    // table ends as a table created from the model would.
    let mut previous_new: Option<Res> = None;
    for col in &d.columns {
        let cres = Res::Column(d.name.clone(), col.name.clone());
        let object = format!("column {q}.{}", quote_ident(&col.name));
        match c.column(&col.name) {
            None => {
                let mut change = Change::new(
                    ChangeKind::AddColumn,
                    Action::Create,
                    Phase::AlterColumn,
                    object.clone(),
                )
                .group(group.clone())
                .sql(format!(
                    "ALTER TABLE {q} ADD COLUMN {}",
                    column_definition_in(&d.name, col)
                ))
                .hazard(Hazard::AccessExclusiveLock)
                .requires(column_needs(&d.name, col, types))
                .requires(previous_new.replace(cres.clone()))
                .provides([cres.clone()]);
                if col.not_null
                    && col.default.is_none()
                    && col.identity.is_none()
                    && col.extras().generated.is_none()
                {
                    change = change.hazard(Hazard::MayFailOnExistingData);
                }
                // A non-volatile default is stored once (PostgreSQL 11+); a volatile one is computed per row.
                if col.extras().generated.is_some()
                    || col.identity.is_some()
                    || col
                        .default
                        .as_deref()
                        .is_some_and(crate::rewrites::volatile_default)
                {
                    change = change.hazard(Hazard::RewritesTable);
                }
                out.push(change);
                if col.comment.is_some() {
                    out.push(comment_change(
                        object.clone(),
                        group.clone(),
                        &format!("COLUMN {q}.{}", quote_ident(&col.name)),
                        &col.comment,
                        vec![cres],
                    ));
                }
            }
            Some(old) => {
                let using = directives.using(&d.name, &col.name);
                if let Some(mut change) = alter_column(&d.name, old, col, using, types) {
                    // A column made anew goes to the end too, in its place among the new ones.
                    if change.kind == ChangeKind::RecreateColumn && change.statements.len() > 1 {
                        change = change
                            .requires(previous_new.replace(cres.clone()))
                            .provides([cres.clone()]);
                    }
                    out.push(change.group(group.clone()));
                }
                if old.comment != col.comment {
                    out.push(comment_change(
                        object,
                        group.clone(),
                        &format!("COLUMN {q}.{}", quote_ident(&col.name)),
                        &col.comment,
                        vec![],
                    ));
                }
            }
        }
    }
    for old in &c.columns {
        if d.column(&old.name).is_none() {
            let mut releases = column_uses(&c.name, old, types);
            releases.push(tres.clone());
            out.push(
                Change::new(
                    ChangeKind::DropColumn,
                    Action::Drop,
                    Phase::DropColumn,
                    format!("column {q}.{}", quote_ident(&old.name)),
                )
                .group(group.clone())
                .sql(format!(
                    "ALTER TABLE {q} DROP COLUMN {}",
                    quote_ident(&old.name)
                ))
                .hazard(Hazard::DeletesData)
                .hazard(Hazard::AccessExclusiveLock)
                .removes([Res::Column(d.name.clone(), old.name.clone())])
                .releases(releases),
            );
        }
    }

    // Constraints other than foreign keys: by name; a changed definition is dropped and added again.
    let old_cons = constraints(c);
    let new_cons = constraints(d);
    for n in &new_cons {
        let old = old_cons.iter().find(|o| o.name == n.name);
        // A NOT VALID check that is to be valid is validated in place (it checks the rows, without a rebuild).
        if let Some(o) = old.filter(|o| o.validated.as_ref() == Some(&n.definition)) {
            out.push(validate_change(d, &o.name));
            if o.comment != n.comment {
                out.push(comment_change(
                    format!("constraint {} on {q}", quote_ident(&n.name)),
                    group.clone(),
                    &format!("CONSTRAINT {} ON {q}", quote_ident(&n.name)),
                    &n.comment,
                    vec![],
                ));
            }
            continue;
        }
        let changed = old.is_some_and(|o| o.definition != n.definition);
        if let Some(o) = old.filter(|_| changed) {
            out.push(drop_constraint(d, o));
        }
        if old.is_none() || changed {
            let mut provides = vec![Res::Named(d.name.clone(), n.name.clone())];
            provides.extend(n.key.iter().map(|k| Res::Key(d.name.clone(), k.clone())));
            if n.index_backed {
                provides.push(Res::relation(&d.name.schema, &n.name));
            }
            let mut change = Change::new(
                ChangeKind::AddConstraint,
                Action::Create,
                Phase::AddConstraint,
                format!("constraint {} on {q}", quote_ident(&n.name)),
            )
            .group(group.clone())
            .sql(format!("ALTER TABLE {q} ADD {}", n.clause))
            .requires([tres.clone()])
            .requires(
                n.columns
                    .iter()
                    .map(|col| Res::Column(d.name.clone(), col.clone())),
            )
            .provides(provides);
            for h in &n.hazards {
                change = change.hazard(*h);
            }
            out.push(change);
        }
        if (old.is_none() && n.comment.is_some())
            || old.is_some_and(|o| o.comment != n.comment)
            || (changed && n.comment.is_some())
        {
            out.push(comment_change(
                format!("constraint {} on {q}", quote_ident(&n.name)),
                group.clone(),
                &format!("CONSTRAINT {} ON {q}", quote_ident(&n.name)),
                &n.comment,
                vec![Res::Named(d.name.clone(), n.name.clone())],
            ));
        }
    }
    for o in &old_cons {
        if !new_cons.iter().any(|n| n.name == o.name) {
            out.push(drop_constraint(d, o));
        }
    }

    // Indexes: by name; a changed definition is dropped and built again.
    for idx in &d.indexes {
        let old = c.indexes.iter().find(|o| o.name == idx.name);
        let changed = old.is_some_and(|o| !same_index(o, idx));
        if let Some(o) = old.filter(|_| changed) {
            out.push(drop_index_change(d, o));
        }
        if old.is_none() || changed {
            out.push(create_index_change(d, idx, false));
        }
        let comment_differs = match old {
            None => idx.comment.is_some(),
            Some(o) => o.comment != idx.comment || (changed && idx.comment.is_some()),
        };
        if comment_differs {
            let iq = QualifiedName::new(d.name.schema.clone(), name_of(&idx.name)).sql();
            out.push(comment_change(
                format!("index {iq}"),
                group.clone(),
                &format!("INDEX {iq}"),
                &idx.comment,
                vec![Res::Named(d.name.clone(), name_of(&idx.name))],
            ));
        }
    }
    for o in &c.indexes {
        if !d.indexes.iter().any(|i| i.name == o.name) {
            out.push(drop_index_change(d, o));
        }
    }

    // Foreign keys: by name; changed, or standing on a key that is dropped, means dropped and added again.
    for fk in &d.foreign_keys {
        let old = c.foreign_keys.iter().find(|o| o.name == fk.name);
        let validated_only = old.is_some_and(|o| {
            o.not_valid
                && !fk.not_valid
                && same_fk(
                    &ForeignKey {
                        not_valid: false,
                        ..o.clone()
                    },
                    fk,
                )
                && !dropped_keys.contains(&Res::Key(
                    o.references.clone(),
                    sorted(&o.referenced_columns),
                ))
        });
        if validated_only {
            out.push(validate_change(d, &name_of(&fk.name)));
            if old.is_some_and(|o| o.comment != fk.comment) {
                out.push(comment_change(
                    format!("constraint {} on {q}", quote_ident(&name_of(&fk.name))),
                    group.clone(),
                    &format!("CONSTRAINT {} ON {q}", quote_ident(&name_of(&fk.name))),
                    &fk.comment,
                    vec![],
                ));
            }
            continue;
        }
        let rebuilt = old.is_some_and(|o| {
            !same_fk(o, fk)
                || dropped_keys.contains(&Res::Key(
                    o.references.clone(),
                    sorted(&o.referenced_columns),
                ))
        });
        if let Some(o) = old.filter(|_| rebuilt) {
            out.push(drop_fk_change(c, o));
        }
        if old.is_none() || rebuilt {
            out.push(add_fk_change(d, fk, false));
        }
        let comment_differs = match old {
            None => fk.comment.is_some(),
            Some(o) => o.comment != fk.comment || (rebuilt && fk.comment.is_some()),
        };
        if comment_differs {
            out.push(comment_change(
                format!("constraint {} on {q}", quote_ident(&name_of(&fk.name))),
                group.clone(),
                &format!("CONSTRAINT {} ON {q}", quote_ident(&name_of(&fk.name))),
                &fk.comment,
                vec![Res::Named(d.name.clone(), name_of(&fk.name))],
            ));
        }
    }
    for o in &c.foreign_keys {
        if !d.foreign_keys.iter().any(|f| f.name == o.name) {
            out.push(drop_fk_change(c, o));
        }
    }

    if c.comment != d.comment {
        out.push(comment_change(
            group.clone(),
            group.clone(),
            &format!("TABLE {q}"),
            &d.comment,
            vec![],
        ));
    }
}

/// `VALIDATE CONSTRAINT`: a NOT VALID check or foreign key made valid, checking the existing rows (with a
/// SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on).
pub(super) fn validate_change(t: &Table, name: &str) -> Change {
    let q = t.name.sql();
    Change::new(
        ChangeKind::ValidateConstraint,
        Action::Alter,
        Phase::AddForeignKey,
        format!("constraint {} on {q}", quote_ident(name)),
    )
    .group(format!("table {q}"))
    .sql(format!(
        "ALTER TABLE {q} VALIDATE CONSTRAINT {}",
        quote_ident(name)
    ))
    .hazard(Hazard::MayFailOnExistingData)
    .requires([Res::Named(t.name.clone(), name.to_string())])
}

pub(super) fn drop_constraint(t: &Table, o: &Constraint) -> Change {
    let q = t.name.sql();
    let mut removes = vec![Res::Named(t.name.clone(), o.name.clone())];
    removes.extend(o.key.iter().map(|k| Res::Key(t.name.clone(), k.clone())));
    if o.index_backed {
        removes.push(Res::relation(&t.name.schema, &o.name));
    }
    Change::new(
        ChangeKind::DropConstraint,
        Action::Drop,
        Phase::DropIndexOrConstraint,
        format!("constraint {} on {q}", quote_ident(&o.name)),
    )
    .group(format!("table {q}"))
    .sql(format!(
        "ALTER TABLE {q} DROP CONSTRAINT {}",
        quote_ident(&o.name)
    ))
    .hazard(Hazard::AccessExclusiveLock)
    .removes(removes)
    .releases(
        o.columns
            .iter()
            .map(|c| Res::Column(t.name.clone(), c.clone())),
    )
}
