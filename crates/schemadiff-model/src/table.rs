//! Tables, the model stage: decoding `[tables.<name>]` with its columns, keys, foreign keys, checks,
//! exclusion constraints and indexes (rendering is in `render`, dumping in `dump`, checks in `validate`).

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::ident::QualifiedName;
use crate::load::{Decoder, Key, Obj, ObjectPath, Val, kind};
use crate::source::{Diagnostic, Span, did_you_mean};
use crate::types::*;

pub(crate) const TABLE_KEYS: &[&str] = &[
    "columns",
    "triggers",
    "primary_key",
    "unique",
    "foreign_keys",
    "checks",
    "exclusions",
    "indexes",
    "comment",
    "renamed_from",
    "row_level_security",
    "force_row_level_security",
    "policies",
    "unlogged",
    "with",
    "replica_identity",
    "partition_by",
    "partition_of",
    "bounds",
    "grants",
    "column_grants",
    "owner",
];
pub(crate) const COLUMN_KEYS: &[&str] = &[
    "type",
    "not_null",
    "default",
    "identity",
    "generated",
    "virtual",
    "collation",
    "comment",
    "renamed_from",
    "using",
    "storage",
    "compression",
    "statistics",
    "not_null_name",
];
pub(crate) const IDENTITY_KEYS: &[&str] = &[
    "generated",
    "start",
    "increment",
    "min_value",
    "max_value",
    "cache",
    "cycle",
];
pub(crate) const PRIMARY_KEY_KEYS: &[&str] = &[
    "columns",
    "name",
    "deferrable",
    "initially_deferred",
    "comment",
];
pub(crate) const UNIQUE_KEYS: &[&str] = &[
    "columns",
    "include",
    "name",
    "nulls_not_distinct",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
];
pub(crate) const FOREIGN_KEY_KEYS: &[&str] = &[
    "columns",
    "references",
    "on_delete",
    "on_delete_columns",
    "on_update",
    "match",
    "deferrable",
    "initially_deferred",
    "not_valid",
    "name",
    "comment",
    "renamed_from",
];
pub(crate) const REFERENCES_KEYS: &[&str] = &["table", "columns"];
pub(crate) const CHECK_KEYS: &[&str] = &[
    "expression",
    "name",
    "no_inherit",
    "not_valid",
    "comment",
    "renamed_from",
];
pub(crate) const EXCLUSION_KEYS: &[&str] = &[
    "elements",
    "method",
    "include",
    "where",
    "name",
    "deferrable",
    "initially_deferred",
    "comment",
];
pub(crate) const INDEX_KEYS: &[&str] = &[
    "columns",
    "name",
    "unique",
    "method",
    "include",
    "where",
    "nulls_not_distinct",
    "comment",
    "renamed_from",
];
pub(crate) const INDEX_KEY_KEYS: &[&str] = &[
    "column",
    "expression",
    "opclass",
    "collation",
    "order",
    "nulls",
];
pub(crate) const EXCLUSION_ELEMENT_KEYS: &[&str] = &[
    "column",
    "expression",
    "operator",
    "opclass",
    "collation",
    "order",
    "nulls",
];

impl Decoder {
    /// `table.column` or `schema.table.column`.
    pub(crate) fn column_ref(&mut self, text: &str, span: Span) -> Option<ColumnRef> {
        let (table, column) = match text.rsplit_once('.') {
            Some((t, c)) if !t.is_empty() && !c.is_empty() && !c.contains('"') => (t, c),
            _ => {
                self.error(
                    Diagnostic::new(span, format!("`{text}` does not name a column"))
                        .help("write `table.column` or `schema.table.column`"),
                );
                return None;
            }
        };
        let table = self.parse_name(table, span)?;
        Some(ColumnRef {
            table,
            column: column.to_string(),
        })
    }

    pub(crate) fn table_def(&mut self, k: &Key, v: &Val) -> Option<Table> {
        let name = self.declare("tables", "table", k)?;
        let what = format!("table `{name}`");
        let path = ObjectPath::Table(name.clone());
        let obj = self.element(
            path,
            k.span(),
            v,
            what.clone(),
            "write `[tables.name]` and `[tables.name.columns]`",
            TABLE_KEYS,
        )?;
        let mut table = Table::new(name.clone());
        table.comment = self.opt_string(&obj, "comment");
        table.renamed_from = self.qualified(&obj, "renamed_from");
        table.row_level_security = self.boolean(&obj, "row_level_security");
        table.force_row_level_security = self.boolean(&obj, "force_row_level_security");
        self.table_options(&obj, &mut table);
        self.partition_keys(&obj, &mut table);

        if let Some(cols) = obj.get("columns") {
            if let Some(ct) = self.table(cols, &format!("`columns` of {what}"), "write `[tables.name.columns]` with one `column = { type = \"...\" }` line per column") {
                table.columns.reserve_exact(ct.len());
                for (ck, cv) in ct.iter() {
                    if let Some(c) = self.column(&name, ck, cv) {
                        table.columns.push(c);
                    }
                }
            }
        }

        if let Some(pk) = obj.get("primary_key") {
            table.primary_key = self.primary_key(&name, pk);
        }
        table.uniques = self.array_of(&obj, "unique", |d, i, item| d.unique(&name, i, item));
        table.foreign_keys = self.array_of(&obj, "foreign_keys", |d, i, item| {
            d.foreign_key(&name, i, item)
        });
        table.checks = self.array_of(&obj, "checks", |d, i, item| d.check(&name, i, item));
        table.exclusions =
            self.array_of(&obj, "exclusions", |d, i, item| d.exclusion(&name, i, item));
        table.indexes = self.array_of(&obj, "indexes", |d, i, item| d.index(&name, i, item));
        let triggers = self.array_of(&obj, "triggers", |d, i, item| d.trigger(&name, i, item));
        self.triggers.extend(triggers);
        let policies = self.array_of(&obj, "policies", |d, i, item| d.policy(&name, i, item));
        self.policies.extend(policies);
        self.grants(&obj, crate::grant::GrantTarget::Table(name.clone()));
        self.column_grants(&obj, &name);
        self.owner(&obj, crate::grant::GrantTarget::Table(name.clone()));
        Some(table)
    }

    pub(crate) fn column(&mut self, table: &QualifiedName, k: &Key, v: &Val) -> Option<Column> {
        let name = k.get_ref().to_string();
        let what = format!("column `{name}` of table `{table}`");
        let path = ObjectPath::Column(table.clone(), name.clone());
        self.spans.insert(path.clone(), "", k.span());
        self.spans.insert(path.clone(), "name", k.span());
        // `name = "type"` is short for `name = { type = "type" }`.
        if let DeValue::String(ty) = v.get_ref() {
            self.spans.insert(path, "type", v.span());
            return Some(Column::new(name, ty.to_string()));
        }
        let t = self.table(
            v,
            &what,
            "write `name = { type = \"text\" }` or `name = \"text\"`",
        )?;
        let obj = Obj {
            table: t,
            what: what.clone(),
            path: Some((path, String::new())),
        };
        self.check_keys(&obj, COLUMN_KEYS);
        let data_type = match self.string(&obj, "type") {
            Some(t) => t.into_inner(),
            None => {
                if obj.get("type").is_none() {
                    self.error(
                        Diagnostic::new(k.span(), format!("{what} has no type"))
                            .label("`type` is missing")
                            .help("add `type = \"...\"` with a PostgreSQL type, e.g. `type = \"text\"`"),
                    );
                }
                String::new()
            }
        };
        // `identity = "always"`, or a table with the kind and the options of its sequence.
        let mut identity_options = IdentityOptions::default();
        let identity_kind = match obj.get("identity").map(|v| v.get_ref()) {
            Some(DeValue::Table(it)) => {
                let iobj = Obj {
                    table: it,
                    what: format!("`identity` of {what}"),
                    path: obj
                        .path
                        .as_ref()
                        .map(|(p, _)| (p.clone(), "identity".into())),
                };
                self.check_keys(&iobj, IDENTITY_KEYS);
                self.record(
                    &obj,
                    "identity",
                    obj.get("identity").expect("matched").span(),
                );
                identity_options = IdentityOptions {
                    start: self.integer(&iobj, "start"),
                    increment: self.integer(&iobj, "increment"),
                    min_value: self.integer(&iobj, "min_value"),
                    max_value: self.integer(&iobj, "max_value"),
                    cache: self.integer(&iobj, "cache"),
                    cycle: self.boolean(&iobj, "cycle"),
                };
                if identity_options.increment == Some(0) {
                    self.error(
                        Diagnostic::new(
                            obj.get("identity").expect("matched").span(),
                            format!("`increment` in the identity of {what} cannot be 0"),
                        )
                        .help("write a positive or negative step, or leave `increment` out"),
                    );
                }
                match self.string(&iobj, "generated") {
                    Some(s) => Some(s),
                    None => {
                        self.error(
                            Diagnostic::new(
                                obj.get("identity").expect("matched").span(),
                                format!("the `identity` of {what} has no `generated`"),
                            )
                            .help("add `generated = \"always\"` or `generated = \"by default\"`"),
                        );
                        None
                    }
                }
            }
            _ => self.string(&obj, "identity"),
        };
        let identity = match identity_kind {
            Some(s) => match s.get_ref().to_lowercase().replace('_', " ").as_str() {
                "always" => Some(Identity::Always),
                "by default" => Some(Identity::ByDefault),
                other => {
                    self.error(
                        Diagnostic::new(
                            s.span(),
                            format!("`identity` in {what} cannot be \"{other}\""),
                        )
                        .help("write `identity = \"always\"` or `identity = \"by default\"`"),
                    );
                    None
                }
            },
            None => None,
        };
        let mut column = Column {
            name,
            data_type,
            not_null: self.boolean(&obj, "not_null"),
            default: self.opt_string(&obj, "default"),
            identity,
            comment: self.opt_string(&obj, "comment"),
            extras: None,
        };
        let mut extras = ColumnExtras {
            identity_options,
            generated: self.opt_string(&obj, "generated"),
            generated_virtual: self.boolean(&obj, "virtual"),
            collation: self.reference(&obj, "collation"),
            renamed_from: self.opt_string(&obj, "renamed_from"),
            using: self.opt_string(&obj, "using"),
            ..ColumnExtras::DEFAULT
        };
        self.column_options(&obj, &mut column, &mut extras);
        column.set_extras(extras);
        Some(column)
    }

    pub(crate) fn primary_key(&mut self, table: &QualifiedName, v: &Val) -> Option<PrimaryKey> {
        let path = ObjectPath::PrimaryKey(table.clone());
        self.spans.insert(path.clone(), "", v.span());
        let what = format!("the primary key of table `{table}`");
        // `primary_key = ["id"]` is short for `primary_key = { columns = ["id"] }`.
        if let DeValue::Array(_) | DeValue::String(_) = v.get_ref() {
            let mut holder = DeTable::new();
            holder.insert(Spanned::new(v.span(), "columns".into()), v.clone());
            let obj = Obj {
                table: &holder,
                what,
                path: Some((path, String::new())),
            };
            let columns = self.required_list(&obj, "columns", v.span(), "`primary_key = [\"id\"]`");
            return Some(PrimaryKey {
                name: None,
                columns,
                deferrable: false,
                initially_deferred: false,
                comment: None,
            });
        }
        let t = self.table(v, &what, "write `primary_key = [\"id\"]` or `primary_key = { columns = [\"id\"], name = \"...\" }`")?;
        let obj = Obj {
            table: t,
            what,
            path: Some((path, String::new())),
        };
        self.check_keys(&obj, PRIMARY_KEY_KEYS);
        Some(PrimaryKey {
            columns: self.required_list(&obj, "columns", v.span(), "`columns = [\"id\"]`"),
            name: self.opt_string(&obj, "name"),
            deferrable: self.boolean(&obj, "deferrable"),
            initially_deferred: self.boolean(&obj, "initially_deferred"),
            comment: self.opt_string(&obj, "comment"),
        })
    }

    pub(crate) fn unique(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<Unique> {
        let path = ObjectPath::Unique(table.clone(), i);
        let what = format!("unique constraint #{} of table `{table}`", i + 1);
        let obj = self.element(
            path,
            v.span(),
            v,
            what,
            "write `[[tables.name.unique]]` with `columns = [...]`",
            UNIQUE_KEYS,
        )?;
        Some(Unique {
            columns: self.required_list(&obj, "columns", v.span(), "`columns = [\"email\"]`"),
            include: self.string_list(&obj, "include").unwrap_or_default(),
            name: self.opt_string(&obj, "name"),
            nulls_not_distinct: self.boolean(&obj, "nulls_not_distinct"),
            deferrable: self.boolean(&obj, "deferrable"),
            initially_deferred: self.boolean(&obj, "initially_deferred"),
            comment: self.opt_string(&obj, "comment"),
            renamed_from: self.opt_string(&obj, "renamed_from"),
        })
    }

    pub(crate) fn fk_action(&mut self, obj: &Obj, key: &str) -> FkAction {
        let Some(s) = self.string(obj, key) else {
            return FkAction::NoAction;
        };
        match FkAction::parse(s.get_ref()) {
            Some(a) => a,
            None => {
                let value = s.get_ref();
                let allowed = FkAction::NAMES.map(|n| format!("\"{n}\"")).join(", ");
                let help =
                    match did_you_mean(&value.to_lowercase().replace('_', " "), FkAction::NAMES) {
                        Some(m) => {
                            format!("did you mean \"{m}\"? The values allowed are: {allowed}")
                        }
                        None => format!("the values allowed are: {allowed}"),
                    };
                self.error(
                    Diagnostic::new(
                        s.span(),
                        format!("`{key}` in {} cannot be \"{value}\"", obj.what),
                    )
                    .label("not a referential action")
                    .help(help),
                );
                FkAction::NoAction
            }
        }
    }

    pub(crate) fn foreign_key(
        &mut self,
        table: &QualifiedName,
        i: usize,
        v: &Val,
    ) -> Option<ForeignKey> {
        let path = ObjectPath::ForeignKey(table.clone(), i);
        self.spans.insert(path.clone(), "", v.span());
        let what = format!("foreign key #{} of table `{table}`", i + 1);
        let t = self.table(
            v,
            &what,
            "write `[[tables.name.foreign_keys]]` with `columns` and `references`",
        )?;
        let obj = Obj {
            table: t,
            what: what.clone(),
            path: Some((path.clone(), String::new())),
        };
        self.check_keys(&obj, FOREIGN_KEY_KEYS);
        let columns = self.required_list(&obj, "columns", v.span(), "`columns = [\"user_id\"]`");
        let (references, referenced_columns) = match obj.get("references") {
            None => {
                self.error(
                    Diagnostic::new(v.span(), format!("{what} has no `references`"))
                        .label("`references` is missing")
                        .help("add `references = { table = \"users\", columns = [\"id\"] }`"),
                );
                (None, Vec::new())
            }
            Some(r) => match r.get_ref() {
                // `references = "users"` is short for the referenced table's primary key.
                DeValue::String(s) => {
                    self.spans
                        .insert(path.clone(), "references.table", r.span());
                    (self.parse_name(s, r.span()), Vec::new())
                }
                DeValue::Table(rt) => {
                    self.spans.insert(path.clone(), "references", r.span());
                    let robj = Obj {
                        table: rt,
                        what: format!("`references` of {what}"),
                        path: Some((path.clone(), "references".into())),
                    };
                    self.check_keys(&robj, REFERENCES_KEYS);
                    let table = self.qualified(&robj, "table");
                    if robj.get("table").is_none() {
                        self.error(
                            Diagnostic::new(
                                r.span(),
                                format!("`references` of {what} has no `table`"),
                            )
                            .help("add `table = \"...\"`, the referenced table"),
                        );
                    }
                    (
                        table,
                        self.string_list(&robj, "columns").unwrap_or_default(),
                    )
                }
                other => {
                    self.error(
                        Diagnostic::new(
                            r.span(),
                            format!(
                                "`references` in {what} must be a table, found {}",
                                kind(other)
                            ),
                        )
                        .help("write `references = { table = \"users\", columns = [\"id\"] }`"),
                    );
                    (None, Vec::new())
                }
            },
        };
        let fk = ForeignKey {
            name: self.opt_string(&obj, "name"),
            columns,
            references: references.unwrap_or_else(|| QualifiedName::new("", "")),
            referenced_columns,
            on_delete: self.fk_action(&obj, "on_delete"),
            on_delete_columns: self
                .string_list(&obj, "on_delete_columns")
                .unwrap_or_default(),
            on_update: self.fk_action(&obj, "on_update"),
            match_full: self.choice(&obj, "match", &["simple", "full"]).as_deref() == Some("full"),
            deferrable: self.boolean(&obj, "deferrable"),
            initially_deferred: self.boolean(&obj, "initially_deferred"),
            not_valid: self.boolean(&obj, "not_valid"),
            comment: self.opt_string(&obj, "comment"),
            renamed_from: self.opt_string(&obj, "renamed_from"),
        };
        Some(fk)
    }

    pub(crate) fn check(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<Check> {
        let path = ObjectPath::Check(table.clone(), i);
        let what = format!("check constraint #{} of table `{table}`", i + 1);
        let obj = self.element(
            path,
            v.span(),
            v,
            what.clone(),
            "write `[[tables.name.checks]]` with `expression = \"...\"`",
            CHECK_KEYS,
        )?;
        let expression = self.opt_string(&obj, "expression");
        if expression.is_none() && obj.get("expression").is_none() {
            self.error(
                Diagnostic::new(v.span(), format!("{what} has no `expression`"))
                    .help("add `expression = \"quantity > 0\"`"),
            );
        }
        Some(Check {
            name: self.opt_string(&obj, "name"),
            expression: expression.unwrap_or_default(),
            no_inherit: self.boolean(&obj, "no_inherit"),
            not_valid: self.boolean(&obj, "not_valid"),
            comment: self.opt_string(&obj, "comment"),
            renamed_from: self.opt_string(&obj, "renamed_from"),
        })
    }

    /// One key of an index or exclusion constraint: `"col"`, `"col DESC NULLS LAST"`, or a table.
    pub(crate) fn index_key(
        &mut self,
        what: &str,
        obj: &Obj,
        field: &str,
        v: &Val,
        allowed: &[&str],
    ) -> Option<IndexKey> {
        self.record(obj, field, v.span());
        match v.get_ref() {
            DeValue::String(s) => match parse_key_string(s) {
                Ok(k) => Some(k),
                Err(msg) => {
                    self.error(Diagnostic::new(v.span(), format!("{msg} in {what}")).help(
                        "write an expression as `{ expression = \"lower(email)\" }`; a plain key as \"column\", \"column DESC\" or \"column ASC NULLS FIRST\"",
                    ));
                    None
                }
            },
            DeValue::Table(t) => {
                let kobj = Obj {
                    table: t,
                    what: format!("a key of {what}"),
                    path: None,
                };
                self.check_keys(&kobj, allowed);
                let target = match (
                    self.opt_string(&kobj, "column"),
                    self.opt_string(&kobj, "expression"),
                ) {
                    (Some(c), None) => IndexTarget::Column(c),
                    (None, Some(e)) => IndexTarget::Expression(e),
                    _ => {
                        self.error(
                            Diagnostic::new(v.span(), format!("a key of {what} needs exactly one of `column` and `expression`"))
                                .help("write `{ column = \"email\" }` or `{ expression = \"lower(email)\" }`"),
                        );
                        return None;
                    }
                };
                let descending = matches!(
                    self.choice(&kobj, "order", &["asc", "desc"]).as_deref(),
                    Some("desc")
                );
                let nulls_first = self
                    .choice(&kobj, "nulls", &["first", "last"])
                    .map(|n| n == "first");
                Some(IndexKey {
                    target,
                    collation: self.reference(&kobj, "collation"),
                    opclass: self.reference(&kobj, "opclass"),
                    descending,
                    nulls_first,
                })
            }
            other => {
                self.error(Diagnostic::new(
                    v.span(),
                    format!(
                        "the keys of {what} must be strings or tables, found {}",
                        kind(other)
                    ),
                ));
                None
            }
        }
    }

    pub(crate) fn exclusion(
        &mut self,
        table: &QualifiedName,
        i: usize,
        v: &Val,
    ) -> Option<Exclusion> {
        let path = ObjectPath::Exclusion(table.clone(), i);
        let what = format!("exclusion constraint #{} of table `{table}`", i + 1);
        let obj = self.element(
            path,
            v.span(),
            v,
            what.clone(),
            "write `[[tables.name.exclusions]]` with `elements = [...]`",
            EXCLUSION_KEYS,
        )?;
        let mut elements = Vec::new();
        match obj.get("elements") {
            Some(list) => match list.get_ref() {
                DeValue::Array(items) if !items.is_empty() => {
                    for (j, item) in items.iter().enumerate() {
                        let Some(et) = self.table(item, &format!("an element of {what}"), "write `{ column = \"room\", operator = \"=\" }`") else {
                            continue;
                        };
                        let eobj = Obj { table: et, what: format!("an element of {what}"), path: None };
                        let operator = self.opt_string(&eobj, "operator");
                        let key = self.index_key(&what, &obj, &format!("elements.{j}"), item, EXCLUSION_ELEMENT_KEYS);
                        match (key, operator) {
                            (Some(key), Some(operator)) => elements.push(ExclusionElement { key, operator }),
                            (_, None) => self.error(
                                Diagnostic::new(item.span(), format!("an element of {what} has no `operator`"))
                                    .help("add `operator = \"=\"` (or `&&` for ranges)"),
                            ),
                            _ => {}
                        }
                    }
                }
                _ => self.error(
                    Diagnostic::new(list.span(), format!("`elements` of {what} must be a non-empty list of tables"))
                        .help("write `elements = [{ column = \"room\", operator = \"=\" }, { column = \"during\", operator = \"&&\" }]`"),
                ),
            },
            None => self.error(
                Diagnostic::new(v.span(), format!("{what} has no `elements`"))
                    .help("add `elements = [{ column = \"room\", operator = \"=\" }]`"),
            ),
        }
        Some(Exclusion {
            name: self.opt_string(&obj, "name"),
            method: self.opt_string(&obj, "method"),
            elements,
            include: self.string_list(&obj, "include").unwrap_or_default(),
            where_clause: self.opt_string(&obj, "where"),
            deferrable: self.boolean(&obj, "deferrable"),
            initially_deferred: self.boolean(&obj, "initially_deferred"),
            comment: self.opt_string(&obj, "comment"),
        })
    }

    pub(crate) fn index(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<Index> {
        let path = ObjectPath::Index(table.clone(), i);
        let what = format!("index #{} of table `{table}`", i + 1);
        let obj = self.element(
            path,
            v.span(),
            v,
            what.clone(),
            "write `[[tables.name.indexes]]` with `columns = [...]`",
            INDEX_KEYS,
        )?;
        let mut keys = Vec::new();
        match obj.get("columns") {
            Some(list) => match list.get_ref() {
                DeValue::String(_) => {
                    self.record(&obj, "columns", list.span());
                    if let Some(k) = self.index_key(&what, &obj, "columns.0", list, INDEX_KEY_KEYS)
                    {
                        keys.push(k);
                    }
                }
                DeValue::Array(items) if !items.is_empty() => {
                    self.record(&obj, "columns", list.span());
                    keys.reserve_exact(items.len());
                    for (j, item) in items.iter().enumerate() {
                        if let Some(k) = self.index_key(
                            &what,
                            &obj,
                            &format!("columns.{j}"),
                            item,
                            INDEX_KEY_KEYS,
                        ) {
                            keys.push(k);
                        }
                    }
                }
                _ => self.error(
                    Diagnostic::new(
                        list.span(),
                        format!("`columns` of {what} must be a non-empty list"),
                    )
                    .help("write `columns = [\"user_id\", \"created DESC\"]`"),
                ),
            },
            None => self.error(
                Diagnostic::new(v.span(), format!("{what} has no `columns`"))
                    .label("`columns` is missing")
                    .help("add `columns = [\"user_id\"]`"),
            ),
        }
        Some(Index {
            name: self.opt_string(&obj, "name"),
            unique: self.boolean(&obj, "unique"),
            method: self.opt_string(&obj, "method"),
            keys,
            include: self.string_list(&obj, "include").unwrap_or_default(),
            where_clause: self.opt_string(&obj, "where"),
            nulls_not_distinct: self.boolean(&obj, "nulls_not_distinct"),
            comment: self.opt_string(&obj, "comment"),
            renamed_from: self.opt_string(&obj, "renamed_from"),
            invalid: false,
        })
    }
}

/// Keys people bring from other tools, where a typo suggestion would mislead.
pub(crate) fn habit(key: &str, allowed: &[&str]) -> Option<&'static str> {
    if allowed != COLUMN_KEYS {
        return None;
    }
    Some(match key {
        "nullable" | "null" | "notnull" => "columns are nullable unless they say `not_null = true`",
        "primary_key" | "primary" | "pk" => {
            "declare the primary key on the table: `primary_key = [\"column\"]` under [tables.<name>]"
        }
        "unique" => {
            "declare a unique constraint on the table: `[[tables.<name>.unique]]` with `columns = [\"column\"]`"
        }
        "references" | "foreign_key" | "fk" => {
            "declare a foreign key on the table: `[[tables.<name>.foreign_keys]]` with `columns` and `references`"
        }
        "check" => {
            "declare a check on the table: `[[tables.<name>.checks]]` with `expression = \"...\"`"
        }
        _ => return None,
    })
}

/// Parse `"column [ASC|DESC] [NULLS FIRST|LAST]"`. Without a suffix the whole text is the column's exact
/// name (spaces included); a column whose name ends in such a word is written `{ column = "..." }`.
fn parse_key_string(text: &str) -> Result<IndexKey, String> {
    let mut rest = text;
    let mut nulls_first = None;
    let mut descending = false;
    fn strip<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
        let cut = text.len().checked_sub(suffix.len())?;
        (text.is_char_boundary(cut) && text[cut..].eq_ignore_ascii_case(suffix))
            .then(|| text[..cut].trim_end())
    }
    for (suffix, value) in [(" NULLS FIRST", true), (" NULLS LAST", false)] {
        if let Some(r) = strip(rest, suffix) {
            nulls_first = Some(value);
            rest = r;
            break;
        }
    }
    for (suffix, value) in [(" DESC", true), (" ASC", false)] {
        if let Some(r) = strip(rest, suffix) {
            descending = value;
            rest = r;
            break;
        }
    }
    if rest.trim().is_empty() {
        return Err(format!("the key \"{text}\" names no column"));
    }
    if rest.contains('(') {
        return Err(format!("the key \"{text}\" looks like an expression"));
    }
    Ok(IndexKey {
        target: IndexTarget::Column(rest.to_string()),
        collation: None,
        opclass: None,
        descending,
        nulls_first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_strings() {
        let k = parse_key_string("created DESC").unwrap();
        assert_eq!(k.target, IndexTarget::Column("created".into()));
        assert!(k.descending);
        let k = parse_key_string("a b asc nulls first").unwrap();
        assert_eq!(k.target, IndexTarget::Column("a b".into()));
        assert!(!k.descending);
        assert_eq!(k.nulls_first, Some(true));
        assert!(parse_key_string("lower(email)").is_err());
        let k = parse_key_string("  padded  ").unwrap();
        assert_eq!(k.target, IndexTarget::Column("  padded  ".into()));
        let k = parse_key_string("größe desc").unwrap();
        assert_eq!(k.target, IndexTarget::Column("größe".into()));
        assert!(parse_key_string(" DESC").is_err());
    }
}
