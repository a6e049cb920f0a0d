//! Loading schema.toml: TOML is parsed into a spanned tree, then decoded by hand so that every mistake is
//! reported (with file:line:column) instead of only the first, and so that every element keeps its position.

use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::ident::QualifiedName;
use crate::source::{Diagnostic, Diagnostics, SourceFile, Span, did_you_mean};
use crate::types::*;
use crate::validate;

pub(crate) type Val<'i> = Spanned<DeValue<'i>>;
pub(crate) type Key<'i> = Spanned<DeString<'i>>;

/// Where each element of a loaded schema was written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectPath {
    Extension(String),
    Schema(String),
    Enum(QualifiedName),
    /// A domain (its checks are fields `checks.<i>`).
    Domain(QualifiedName),
    /// A composite type (its attributes are fields `attributes.<name>`).
    CompositeType(QualifiedName),
    /// A range type.
    RangeType(QualifiedName),
    Sequence(QualifiedName),
    Table(QualifiedName),
    Column(QualifiedName, String),
    PrimaryKey(QualifiedName),
    Unique(QualifiedName, usize),
    ForeignKey(QualifiedName, usize),
    Check(QualifiedName, usize),
    Exclusion(QualifiedName, usize),
    Index(QualifiedName, usize),
    /// A view or materialized view (its indexes are `Index` of its name).
    View(QualifiedName),
    Migrations,
    Erd,
}

/// Spans of elements (`field` "") and of their fields (`"columns.1"`, `"references.table"`).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    spans: BTreeMap<(ObjectPath, String), Span>,
}

impl SourceMap {
    pub fn insert(&mut self, path: ObjectPath, field: impl Into<String>, span: Span) {
        self.spans.insert((path, field.into()), span);
    }

    /// The span of an element's whole definition.
    pub fn object(&self, path: &ObjectPath) -> Option<Span> {
        self.spans.get(&(path.clone(), String::new())).cloned()
    }

    /// Whether a field of an element was written (and decoded).
    pub fn has_field(&self, path: &ObjectPath, field: &str) -> bool {
        self.spans.contains_key(&(path.clone(), field.to_string()))
    }

    /// Every span moved by `by` bytes (a file added after others in a [`SourceFile`]).
    fn shifted(self, by: usize) -> SourceMap {
        SourceMap {
            spans: self
                .spans
                .into_iter()
                .map(|(k, v)| (k, v.start + by..v.end + by))
                .collect(),
        }
    }

    /// Add the spans of `other`, but those of the elements `skip` names.
    fn merge(&mut self, other: SourceMap, skip: &[ObjectPath]) {
        self.spans.extend(
            other
                .spans
                .into_iter()
                .filter(|((p, _), _)| !skip.contains(p)),
        );
    }

    /// The span of one field of an element, or of the element when the field was not written.
    pub fn field(&self, path: &ObjectPath, field: &str) -> Option<Span> {
        self.spans
            .get(&(path.clone(), field.to_string()))
            .cloned()
            .or_else(|| self.object(path))
    }
}

/// A schema read from a file, with the file kept for error messages.
#[derive(Debug, Clone)]
pub struct LoadedSchema {
    pub schema: Schema,
    pub file: SourceFile,
    pub spans: SourceMap,
}

#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Io { path: String, error: std::io::Error },
    /// The file was read and has mistakes: every one found.
    Invalid(Diagnostics),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { path, error } => write!(f, "cannot read {path}: {error}"),
            LoadError::Invalid(d) => d.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

/// Read, parse and validate a schema file, and the files it includes (relative to it).
pub fn load_file(path: &Path) -> Result<LoadedSchema, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| LoadError::Io {
        path: name.clone(),
        error,
    })?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match String::from_utf8(bytes) {
        Ok(text) => load(&name, &text, dir).map_err(LoadError::Invalid),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = SourceFile::new(name, text);
            let d = Diagnostic::new(at..at + 1, "the file is not valid UTF-8")
                .help("save schema.toml as UTF-8 (TOML files must be UTF-8)");
            Err(LoadError::Invalid(Diagnostics::new(file, vec![d])))
        }
    }
}

/// Parse and validate schema.toml text; `name` is what errors call the file. Included files are read relative
/// to the current directory.
pub fn load_str(name: &str, text: &str) -> Result<LoadedSchema, Diagnostics> {
    load(name, text, Path::new("."))
}

/// The TOML parse errors of a file, as diagnostics (spans moved by `base`).
fn parse_errors(errors: &[toml::de::Error], base: usize) -> Vec<Diagnostic> {
    errors
        .iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim_end_matches('\n');
            let mut d = Diagnostic::new(
                span.start + base..span.end + base,
                format!("invalid TOML: {msg}"),
            );
            if msg.contains("duplicate key") {
                d = d.help("a key may appear once in a table: remove one, or rename it");
            }
            d
        })
        .collect()
}

/// A diagnostic moved by `by` bytes.
fn shifted(mut d: Diagnostic, by: usize) -> Diagnostic {
    d.span = d.span.start + by..d.span.end + by;
    for (span, _) in &mut d.notes {
        *span = span.start + by..span.end + by;
    }
    d
}

/// The oldest PostgreSQL major version schemadiff supports (see docs/versions.md).
pub const MIN_POSTGRES_VERSION: u32 = 13;
/// The newest PostgreSQL major version schemadiff supports.
pub const MAX_POSTGRES_VERSION: u32 = 18;

/// Keys only the main file may hold.
const MAIN_ONLY_KEYS: &[&str] = &["migrations", "filter", "erd", "include", "postgres_version"];

/// The files an `include` entry names: a file, a directory (its `*.toml` files), or a glob in its last part
/// (`tables/*.toml`); sorted.
fn included_files(dir: &Path, entry: &str) -> Result<Vec<std::path::PathBuf>, String> {
    // Paths as the user sees them: `tables/a.toml` rather than `./tables/a.toml`.
    let path = if dir == Path::new(".") {
        std::path::PathBuf::from(entry)
    } else {
        dir.join(entry)
    };
    if path.is_dir() {
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&path)
            .map_err(|e| format!("cannot read the directory {}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        return Ok(files);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if !name.contains(['*', '?', '[']) {
        return if path.is_file() {
            Ok(vec![path])
        } else {
            Err(format!("{} does not exist", path.display()))
        };
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let glob = globset::Glob::new(&name)
        .map_err(|e| format!("`{entry}` is not a valid pattern: {e}"))?
        .compile_matcher();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(parent)
        .map_err(|e| format!("cannot read the directory {}: {e}", parent.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| glob.is_match(n)))
        .map(|p| p.strip_prefix("./").map(Path::to_path_buf).unwrap_or(p))
        .collect();
    files.sort();
    Ok(files)
}

fn load(name: &str, text: &str, dir: &Path) -> Result<LoadedSchema, Diagnostics> {
    let mut file = SourceFile::new(name, text);
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let items = parse_errors(&errors, 0);
        return Err(Diagnostics::new(file, items));
    }
    let mut d = Decoder {
        errors: Vec::new(),
        spans: SourceMap::default(),
        declared: BTreeMap::new(),
    };
    let mut schema = d.document(root.get_ref(), root.span());
    let (mut errors, mut spans) = (d.errors, d.spans);

    // Included files: each decoded on its own, its places moved to where its text is kept.
    let entries: Vec<(String, Span)> = match root.get_ref().get("include") {
        None => Vec::new(),
        Some(v) => match v.get_ref() {
            DeValue::String(s) => vec![(s.to_string(), v.span())],
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    DeValue::String(s) => Some((s.to_string(), i.span())),
                    _ => {
                        errors.push(
                            Diagnostic::new(i.span(), "`include` lists file paths, as strings")
                                .help("write `include = [\"tables/*.toml\", \"enums.toml\"]`"),
                        );
                        None
                    }
                })
                .collect(),
            _ => {
                errors.push(
                    Diagnostic::new(v.span(), "`include` lists file paths, as strings")
                        .help("write `include = [\"tables/*.toml\", \"enums.toml\"]`"),
                );
                Vec::new()
            }
        },
    };
    let mut seen: Vec<std::path::PathBuf> = Vec::new();
    for (entry, at) in entries {
        let files = match included_files(dir, &entry) {
            Ok(f) if f.is_empty() => {
                errors.push(
                    Diagnostic::new(
                        at.clone(),
                        format!("`include` entry `{entry}` matches no file"),
                    )
                    .label("no file")
                    .help("check the path: it is relative to this file"),
                );
                continue;
            }
            Ok(f) => f,
            Err(e) => {
                errors.push(
                    Diagnostic::new(at.clone(), format!("`include` entry `{entry}`: {e}"))
                        .label("here")
                        .help("check the path: it is relative to this file"),
                );
                continue;
            }
        };
        for path in files {
            let canonical = path.canonicalize().unwrap_or(path.clone());
            if seen.contains(&canonical) {
                continue;
            }
            seen.push(canonical);
            let part_name = path.display().to_string();
            let text = match std::fs::read(&path).map(String::from_utf8) {
                Ok(Ok(t)) => t,
                Ok(Err(_)) => {
                    errors.push(
                        Diagnostic::new(at.clone(), format!("{part_name} is not valid UTF-8"))
                            .label("included here"),
                    );
                    continue;
                }
                Err(e) => {
                    errors.push(
                        Diagnostic::new(at.clone(), format!("cannot read {part_name}: {e}"))
                            .label("included here"),
                    );
                    continue;
                }
            };
            let base = file.add(part_name.clone(), &text);
            let (root, parse) = DeTable::parse_recoverable(&text);
            if !parse.is_empty() {
                errors.extend(parse_errors(&parse, base));
                continue;
            }
            for (k, _) in root.get_ref().iter() {
                if MAIN_ONLY_KEYS.contains(&k.get_ref().as_ref()) {
                    let key = k.span();
                    errors.push(
                        Diagnostic::new(
                            key.start + base..key.end + base,
                            format!("`{}` belongs in the main file, {name}", k.get_ref()),
                        )
                        .label("not in an included file")
                        .note(at.clone(), "included here")
                        .help("move it to the main file"),
                    );
                }
            }
            let mut d = Decoder {
                errors: Vec::new(),
                spans: SourceMap::default(),
                declared: BTreeMap::new(),
            };
            let part = d.document(root.get_ref(), root.span());
            errors.extend(d.errors.into_iter().map(|e| shifted(e, base)));
            let part_spans = d.spans.shifted(base);
            // An element declared in an earlier file too: shown in both, and kept from the first.
            let mut twice: Vec<ObjectPath> = Vec::new();
            let mut again = |path: ObjectPath, what: String, seen: bool| {
                if !seen {
                    return true;
                }
                errors.push(
                    Diagnostic::new(
                        part_spans.object(&path).unwrap_or(0..0),
                        format!("{what} is declared twice"),
                    )
                    .label("second declaration")
                    .note(spans.object(&path).unwrap_or(0..0), "first declared here")
                    .help("declare it once, in one of the files"),
                );
                twice.push(path);
                false
            };
            macro_rules! take {
                ($field:ident, $path:ident, $what:literal) => {
                    for o in part.$field {
                        let seen = schema.$field.iter().any(|x| x.name == o.name);
                        let what = format!(concat!($what, " `{}`"), o.name);
                        if again(ObjectPath::$path(o.name.clone()), what, seen) {
                            schema.$field.push(o);
                        }
                    }
                };
            }
            take!(tables, Table, "table");
            take!(enums, Enum, "enum");
            take!(domains, Domain, "domain");
            take!(composite_types, CompositeType, "composite type");
            take!(range_types, RangeType, "range type");
            take!(sequences, Sequence, "sequence");
            take!(extensions, Extension, "extension");
            take!(schemas, Schema, "schema");
            take!(views, View, "view");
            spans.merge(part_spans, &twice);
        }
    }
    errors.extend(validate::validate(&schema, &spans, &file));
    if errors.is_empty() {
        validate::fill_referenced_columns(&mut schema);
        Ok(LoadedSchema {
            schema,
            file,
            spans,
        })
    } else {
        Err(Diagnostics::new(file, errors))
    }
}

fn kind(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A TOML table being decoded: its entries, where it is, and what to call it in errors.
pub(crate) struct Obj<'a, 'i> {
    pub(crate) table: &'a DeTable<'i>,
    pub(crate) what: String,
    /// The path and field prefix under which field spans are recorded.
    pub(crate) path: Option<(ObjectPath, String)>,
}

impl<'a, 'i> Obj<'a, 'i> {
    pub(crate) fn get(&self, key: &str) -> Option<&'a Val<'i>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }
}

pub(crate) struct Decoder {
    errors: Vec<Diagnostic>,
    spans: SourceMap,
    /// Where each qualified name was first declared, per section: `users` and `public.users` are one table.
    declared: BTreeMap<(&'static str, QualifiedName), Span>,
}

pub(crate) const TOP_KEYS: &[&str] = &[
    "extensions",
    "schemas",
    "enums",
    "domains",
    "composite_types",
    "range_types",
    "sequences",
    "tables",
    "views",
    "materialized_views",
    "migrations",
    "include",
    "filter",
    "erd",
    "postgres_version",
];
const FILTER_KEYS: &[&str] = &[
    "include",
    "exclude",
    "exclude_schemas",
    "ignore_unsupported",
];
const EXTENSION_KEYS: &[&str] = &["version", "schema"];
const SCHEMA_KEYS: &[&str] = &["comment"];
const ENUM_KEYS: &[&str] = &["values", "comment", "renamed_from"];
const ENUM_VALUE_KEYS: &[&str] = &["name", "renamed_from"];
const SEQUENCE_KEYS: &[&str] = &[
    "type",
    "start",
    "increment",
    "min_value",
    "max_value",
    "cache",
    "cycle",
    "owned_by",
    "comment",
    "renamed_from",
];
const TABLE_KEYS: &[&str] = &[
    "columns",
    "primary_key",
    "unique",
    "foreign_keys",
    "checks",
    "exclusions",
    "indexes",
    "comment",
    "renamed_from",
];
const COLUMN_KEYS: &[&str] = &[
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
];
const IDENTITY_KEYS: &[&str] = &[
    "generated",
    "start",
    "increment",
    "min_value",
    "max_value",
    "cache",
    "cycle",
];
const PRIMARY_KEY_KEYS: &[&str] = &[
    "columns",
    "name",
    "deferrable",
    "initially_deferred",
    "comment",
];
const UNIQUE_KEYS: &[&str] = &[
    "columns",
    "include",
    "name",
    "nulls_not_distinct",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
];
const FOREIGN_KEY_KEYS: &[&str] = &[
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
const REFERENCES_KEYS: &[&str] = &["table", "columns"];
const CHECK_KEYS: &[&str] = &[
    "expression",
    "name",
    "no_inherit",
    "not_valid",
    "comment",
    "renamed_from",
];
const EXCLUSION_KEYS: &[&str] = &[
    "elements",
    "method",
    "include",
    "where",
    "name",
    "deferrable",
    "initially_deferred",
    "comment",
];
const INDEX_KEYS: &[&str] = &[
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
const INDEX_KEY_KEYS: &[&str] = &[
    "column",
    "expression",
    "opclass",
    "collation",
    "order",
    "nulls",
];
const EXCLUSION_ELEMENT_KEYS: &[&str] = &[
    "column",
    "expression",
    "operator",
    "opclass",
    "collation",
    "order",
    "nulls",
];
const MIGRATIONS_KEYS: &[&str] = &[
    "dir",
    "format",
    "naming",
    "split",
    "online",
    "lock_timeout",
    "statement_timeout",
    "long_statement_timeout",
    "allow_hazards",
];
const ERD_KEYS: &[&str] = &["file", "schemas", "exclude"];

impl Decoder {
    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub(crate) fn record(&mut self, obj: &Obj, field: &str, span: Span) {
        if let Some((path, prefix)) = &obj.path {
            let f = match (prefix.is_empty(), field.is_empty()) {
                (true, _) => field.to_string(),
                (false, true) => prefix.clone(),
                (false, false) => format!("{prefix}.{field}"),
            };
            self.spans.insert(path.clone(), f, span);
        }
    }

    /// Start decoding an element: record where it is, expect a table, check its keys.
    pub(crate) fn element<'a, 'i>(
        &mut self,
        path: ObjectPath,
        at: Span,
        v: &'a Val<'i>,
        what: String,
        hint: &str,
        keys: &[&str],
    ) -> Option<Obj<'a, 'i>> {
        self.spans.insert(path.clone(), "", at);
        let table = self.table(v, &what, hint)?;
        let obj = Obj {
            table,
            what,
            path: Some((path, String::new())),
        };
        self.check_keys(&obj, keys);
        Some(obj)
    }

    /// Expect a table; report what was found otherwise.
    /// Start decoding a settings section (`[migrations]`, `[erd]`, `[filter]`): find it, record where it is
    /// (under `path`, when errors elsewhere point at it), expect a table, check its keys.
    fn settings<'a, 'i>(
        &mut self,
        root: &'a DeTable<'i>,
        key: &str,
        path: Option<ObjectPath>,
        hint: &str,
        keys: &[&str],
    ) -> Option<Obj<'a, 'i>> {
        let (k, v) = root.iter().find(|(k, _)| k.get_ref().as_ref() == key)?;
        if let Some(p) = &path {
            self.spans.insert(p.clone(), "", k.span());
        }
        let table = self.table(v, &format!("`{key}`"), hint)?;
        let obj = Obj {
            table,
            what: format!("`[{key}]`"),
            path: path.map(|p| (p, String::new())),
        };
        self.check_keys(&obj, keys);
        Some(obj)
    }

    fn table<'a, 'i>(&mut self, v: &'a Val<'i>, what: &str, hint: &str) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(
                    Diagnostic::new(
                        v.span(),
                        format!("{what} must be a table, found {}", kind(other)),
                    )
                    .help(hint.to_string()),
                );
                None
            }
        }
    }

    /// Report keys that are not allowed here, with the closest allowed key.
    pub(crate) fn check_keys(&mut self, obj: &Obj, allowed: &[&str]) {
        for (k, _) in obj.table.iter() {
            let key: &str = k.get_ref();
            if allowed.contains(&key) {
                continue;
            }
            let help = match (
                habit(key, allowed),
                did_you_mean(key, allowed.iter().copied()),
            ) {
                (Some(h), _) => h.to_string(),
                (None, Some(s)) => format!("did you mean `{s}`?"),
                (None, None) => format!("the keys allowed here are: {}", allowed.join(", ")),
            };
            self.error(
                Diagnostic::new(k.span(), format!("unknown key `{key}` in {}", obj.what))
                    .label("unknown key")
                    .help(help),
            );
        }
    }

    pub(crate) fn string(&mut self, obj: &Obj, key: &str) -> Option<Spanned<String>> {
        let v = obj.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                self.record(obj, key, v.span());
                Some(Spanned::new(v.span(), s.to_string()))
            }
            other => {
                self.error(Diagnostic::new(
                    v.span(),
                    format!(
                        "`{key}` in {} must be a string, found {}",
                        obj.what,
                        kind(other)
                    ),
                ));
                None
            }
        }
    }

    pub(crate) fn opt_string(&mut self, obj: &Obj, key: &str) -> Option<String> {
        self.string(obj, key).map(Spanned::into_inner)
    }

    pub(crate) fn boolean(&mut self, obj: &Obj, key: &str) -> bool {
        let Some(v) = obj.get(key) else { return false };
        match v.get_ref() {
            DeValue::Boolean(b) => {
                self.record(obj, key, v.span());
                *b
            }
            other => {
                let mut d = Diagnostic::new(
                    v.span(),
                    format!(
                        "`{key}` in {} must be a boolean (true or false), found {}",
                        obj.what,
                        kind(other)
                    ),
                );
                if let DeValue::String(s) = other {
                    if s == "true" || s == "false" {
                        d = d.help(format!("write {s} without quotes"));
                    }
                }
                self.error(d);
                false
            }
        }
    }

    fn integer(&mut self, obj: &Obj, key: &str) -> Option<i64> {
        let v = obj.get(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => {
                let parsed = i64::from_str_radix(
                    &i.as_str()
                        .replace('_', "")
                        .replace("0x", "")
                        .replace("0o", "")
                        .replace("0b", ""),
                    i.radix(),
                );
                match parsed {
                    Ok(n) => {
                        self.record(obj, key, v.span());
                        Some(n)
                    }
                    Err(_) => {
                        self.error(Diagnostic::new(
                            v.span(),
                            format!("`{key}` in {} does not fit in a 64-bit integer", obj.what),
                        ));
                        None
                    }
                }
            }
            other => {
                self.error(Diagnostic::new(
                    v.span(),
                    format!(
                        "`{key}` in {} must be an integer, found {}",
                        obj.what,
                        kind(other)
                    ),
                ));
                None
            }
        }
    }

    /// A list of strings (`["a", "b"]`); a single string is taken as a list of one.
    pub(crate) fn string_list(&mut self, obj: &Obj, key: &str) -> Option<Vec<String>> {
        let v = obj.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                self.record(obj, &format!("{key}.0"), v.span());
                self.record(obj, key, v.span());
                Some(vec![s.to_string()])
            }
            DeValue::Array(items) => {
                self.record(obj, key, v.span());
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.get_ref() {
                        DeValue::String(s) => {
                            self.record(obj, &format!("{key}.{i}"), item.span());
                            out.push(s.to_string());
                        }
                        other => self.error(Diagnostic::new(
                            item.span(),
                            format!(
                                "`{key}` in {} must be a list of strings, found {} in it",
                                obj.what,
                                kind(other)
                            ),
                        )),
                    }
                }
                Some(out)
            }
            other => {
                self.error(Diagnostic::new(
                    v.span(),
                    format!(
                        "`{key}` in {} must be a list of strings, found {}",
                        obj.what,
                        kind(other)
                    ),
                ));
                None
            }
        }
    }

    /// Like `string_list`, but the list must be there and not be empty.
    fn required_list(&mut self, obj: &Obj, key: &str, at: Span, example: &str) -> Vec<String> {
        match self.string_list(obj, key) {
            Some(list) if !list.is_empty() => list,
            Some(_) => {
                let span = obj.get(key).map(|v| v.span()).unwrap_or(at);
                self.error(
                    Diagnostic::new(span, format!("`{key}` in {} is empty", obj.what))
                        .help(format!("name at least one column, e.g. {example}")),
                );
                Vec::new()
            }
            None => {
                if obj.get(key).is_none() {
                    self.error(
                        Diagnostic::new(at, format!("{} has no `{key}`", obj.what))
                            .label(format!("`{key}` is missing"))
                            .help(format!("add {example}")),
                    );
                }
                Vec::new()
            }
        }
    }

    /// A collation or operator class: `name` or `schema.name` (checked, kept as written).
    fn reference(&mut self, obj: &Obj, key: &str) -> Option<String> {
        let s = self.string(obj, key)?;
        match QualifiedName::parse_reference(s.get_ref()) {
            Ok(_) => Some(s.into_inner()),
            Err(msg) => {
                self.error(Diagnostic::new(
                    s.span(),
                    format!("invalid `{key}` in {}: {msg}", obj.what),
                ));
                None
            }
        }
    }

    /// A schema-qualified name given as a string value.
    fn qualified(&mut self, obj: &Obj, key: &str) -> Option<QualifiedName> {
        let s = self.string(obj, key)?;
        self.parse_name(s.get_ref(), s.span())
    }

    /// The name of a new element of a section; `None` (and an error) when the section already has it.
    pub(crate) fn declare(
        &mut self,
        section: &'static str,
        what: &str,
        k: &Key,
    ) -> Option<QualifiedName> {
        let name = self.parse_name(k.get_ref(), k.span())?;
        if let Some(first) = self.declared.get(&(section, name.clone())) {
            let first = first.clone();
            self.error(
                Diagnostic::new(k.span(), format!("{what} `{name}` is declared twice"))
                    .label("second declaration")
                    .note(first.clone(), "first declared here")
                    .help("a name without a schema is in `public`; keep one of them"),
            );
            return None;
        }
        self.declared.insert((section, name.clone()), k.span());
        Some(name)
    }

    fn parse_name(&mut self, text: &str, span: Span) -> Option<QualifiedName> {
        match QualifiedName::parse(text) {
            Ok(q) => Some(q),
            Err(msg) => {
                self.error(Diagnostic::new(span, format!("invalid name: {msg}")));
                None
            }
        }
    }

    /// Each entry of a section (`[tables]`, `[enums]`, ...) as (key, value) pairs, after checking the section
    /// is a table.
    fn section<'a, 'i>(
        &mut self,
        root: &'a DeTable<'i>,
        key: &str,
        hint: &str,
    ) -> Vec<(&'a Key<'i>, &'a Val<'i>)> {
        let Some((_, v)) = root.iter().find(|(k, _)| k.get_ref().as_ref() == key) else {
            return Vec::new();
        };
        match self.table(v, &format!("`{key}`"), hint) {
            Some(t) => t.iter().collect(),
            None => Vec::new(),
        }
    }

    fn document(&mut self, root: &DeTable, _span: Span) -> Schema {
        let top = Obj {
            table: root,
            what: "the top level of the file".into(),
            path: None,
        };
        self.check_keys(&top, TOP_KEYS);
        let mut schema = Schema::default();
        if let Some(v) = self.integer(&top, "postgres_version") {
            let span = top
                .get("postgres_version")
                .map(|v| v.span())
                .unwrap_or_default();
            if (MIN_POSTGRES_VERSION as i64..=MAX_POSTGRES_VERSION as i64).contains(&v) {
                schema.postgres_version = Some(v as u32);
            } else {
                self.error(
                    Diagnostic::new(
                        span,
                        format!("`postgres_version` must be a supported PostgreSQL major version, found {v}"),
                    )
                    .help(format!(
                        "write the major version alone, {MIN_POSTGRES_VERSION} to {MAX_POSTGRES_VERSION}, e.g. `postgres_version = 17`"
                    )),
                );
            }
        }

        for (k, v) in self.section(
            root,
            "extensions",
            "write `[extensions]` with one `name = {}` line per extension",
        ) {
            let name = k.get_ref().to_string();
            let what = format!("extension `{name}`");
            let path = ObjectPath::Extension(name.clone());
            let Some(obj) = self.element(
                path,
                k.span(),
                v,
                what,
                "write `name = {}`, or `name = { version = \"1.1\", schema = \"extensions\" }`",
                EXTENSION_KEYS,
            ) else {
                continue;
            };
            schema.extensions.push(Extension {
                name,
                version: self.opt_string(&obj, "version"),
                schema: self.opt_string(&obj, "schema"),
            });
        }

        for (k, v) in self.section(root, "schemas", "write `[schemas.name]` for each schema") {
            let name = k.get_ref().to_string();
            let what = format!("schema `{name}`");
            let path = ObjectPath::Schema(name.clone());
            let Some(obj) = self.element(
                path,
                k.span(),
                v,
                what,
                "write `[schemas.name]` or `name = {}` under `[schemas]`",
                SCHEMA_KEYS,
            ) else {
                continue;
            };
            schema.schemas.push(SchemaDef {
                name,
                comment: self.opt_string(&obj, "comment"),
            });
        }

        for (k, v) in self.section(root, "enums", "write `[enums.name]` with `values = [...]`") {
            if let Some(e) = self.enum_type(k, v) {
                schema.enums.push(e);
            }
        }

        for (k, v) in self.section(
            root,
            "domains",
            "write `[domains.name]` with `type = \"...\"`",
        ) {
            if let Some(d) = self.domain(k, v) {
                schema.domains.push(d);
            }
        }

        for (k, v) in self.section(
            root,
            "range_types",
            "write `[range_types.name]` with `subtype = \"...\"`",
        ) {
            if let Some(r) = self.range_type(k, v) {
                schema.range_types.push(r);
            }
        }

        for (k, v) in self.section(
            root,
            "composite_types",
            "write `[composite_types.name.attributes]` for each composite type",
        ) {
            if let Some(t) = self.composite_type(k, v) {
                schema.composite_types.push(t);
            }
        }

        for (k, v) in self.section(
            root,
            "sequences",
            "write `[sequences.name]` for each sequence",
        ) {
            if let Some(s) = self.sequence(k, v) {
                schema.sequences.push(s);
            }
        }

        for (k, v) in self.section(root, "tables", "write `[tables.name]` for each table") {
            if let Some(t) = self.table_def(k, v) {
                schema.tables.push(t);
            }
        }

        for materialized in [false, true] {
            let (key, hint) = if materialized {
                (
                    "materialized_views",
                    "write `[materialized_views.name]` for each materialized view",
                )
            } else {
                ("views", "write `[views.name]` for each view")
            };
            for (k, v) in self.section(root, key, hint) {
                if let Some(view) = self.view(k, v, materialized) {
                    schema.views.push(view);
                }
            }
        }

        if let Some(obj) = self.settings(
            root,
            "migrations",
            Some(ObjectPath::Migrations),
            "write `[migrations]` with `dir`, `format` and `naming`",
            MIGRATIONS_KEYS,
        ) {
            let dir = self.opt_string(&obj, "dir");
            let format = self.choice(&obj, "format", &MigrationsConfig::FORMATS);
            let naming = self.choice(&obj, "naming", &MigrationsConfig::NAMINGS);
            let split = self.choice(&obj, "split", &MigrationsConfig::SPLITS);
            let online = self.boolean(&obj, "online");
            let mut duration = |key: &str| {
                let s = self.string(&obj, key)?;
                if MigrationsConfig::is_duration(s.get_ref()) {
                    return Some(s.into_inner());
                }
                self.error(
                    Diagnostic::new(
                        s.span(),
                        format!(
                            "`{key}` in `[migrations]` must be a duration PostgreSQL reads, found \"{}\"",
                            s.get_ref()
                        ),
                    )
                    .help("write a whole number and a unit: \"5s\", \"500ms\", \"2min\", \"1h\" (\"0\" for no limit)"),
                );
                None
            };
            let lock_timeout = duration("lock_timeout");
            let statement_timeout = duration("statement_timeout");
            let long_statement_timeout = duration("long_statement_timeout");
            let allow_hazards = self.string_list(&obj, "allow_hazards").unwrap_or_default();
            for h in &allow_hazards {
                if !MigrationsConfig::HAZARDS.contains(&h.as_str()) {
                    // The list's item when it is a list, else the value.
                    let value = obj.get("allow_hazards");
                    let item = value.and_then(|v| match v.get_ref() {
                        DeValue::Array(items) => items
                            .iter()
                            .find(|i| matches!(i.get_ref(), DeValue::String(x) if x == h))
                            .map(|i| i.span()),
                        _ => None,
                    });
                    let span = item.or(value.map(|v| v.span())).unwrap_or_default();
                    let help = match did_you_mean(h, MigrationsConfig::HAZARDS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => {
                            format!("the hazards are: {}", MigrationsConfig::HAZARDS.join(", "))
                        }
                    };
                    self.error(
                        Diagnostic::new(
                            span,
                            format!(
                                "`allow_hazards` in `[migrations]` names an unknown hazard \"{h}\""
                            ),
                        )
                        .help(help),
                    );
                }
            }
            schema.migrations = Some(MigrationsConfig {
                dir,
                format,
                naming,
                split,
                online,
                lock_timeout,
                statement_timeout,
                long_statement_timeout,
                allow_hazards,
            });
        }

        if let Some(obj) = self.settings(
            root,
            "erd",
            Some(ObjectPath::Erd),
            "write `[erd]` with `file = \"docs/diagrams/database_erd.mmd\"`",
            ERD_KEYS,
        ) {
            let file = self.string(&obj, "file").and_then(|f| {
                if f.get_ref().chars().any(crate::fragment::needs_escape) {
                    self.error(
                        Diagnostic::new(
                            f.span(),
                            "`file` in `[erd]` holds a control character (a line break?)",
                        )
                        .help("write the path on one line, without control characters"),
                    );
                    return None;
                }
                if ErdConfig::format_of(f.get_ref()).is_some() {
                    return Some(f.into_inner());
                }
                let allowed: Vec<String> = ErdConfig::EXTENSIONS
                    .iter()
                    .map(|(e, f)| format!(".{e} ({f})"))
                    .collect();
                self.error(
                    Diagnostic::new(
                        f.span(),
                        format!(
                            "`file` in `[erd]` must name a diagram format by its extension: \"{}\"",
                            f.get_ref()
                        ),
                    )
                    .help(format!("end the name with one of {}", allowed.join(", "))),
                );
                None
            });
            let schemas = self.string_list(&obj, "schemas").unwrap_or_default();
            let exclude = self.string_list(&obj, "exclude").unwrap_or_default();
            schema.erd = Some(ErdConfig {
                file,
                schemas,
                exclude,
            });
        }
        if let Some(obj) = self.settings(
            root,
            "filter",
            None,
            "write `[filter]` with `include`, `exclude` and `exclude_schemas` lists",
            FILTER_KEYS,
        ) {
            let mut list = |key| self.string_list(&obj, key).unwrap_or_default();
            let (include, exclude, exclude_schemas) =
                (list("include"), list("exclude"), list("exclude_schemas"));
            schema.filter = Some(FilterConfig {
                include,
                exclude,
                exclude_schemas,
                ignore_unsupported: self.boolean(&obj, "ignore_unsupported"),
            });
        }
        schema
    }

    /// A string that must be one of a few values.
    pub(crate) fn choice(&mut self, obj: &Obj, key: &str, allowed: &[&str]) -> Option<String> {
        let s = self.string(obj, key)?;
        let value = s.get_ref().as_str();
        let lower = value.to_lowercase();
        if allowed.contains(&lower.as_str()) {
            return Some(lower);
        }
        let help = match did_you_mean(value, allowed.iter().copied()) {
            Some(m) => format!(
                "did you mean \"{m}\"? The values allowed are: {}",
                allowed.join(", ")
            ),
            None => format!("the values allowed are: {}", allowed.join(", ")),
        };
        self.error(
            Diagnostic::new(
                s.span(),
                format!("`{key}` in {} cannot be \"{value}\"", obj.what),
            )
            .help(help),
        );
        None
    }

    fn enum_type(&mut self, k: &Key, v: &Val) -> Option<EnumType> {
        let name = self.declare("enums", "enum", k)?;
        let what = format!("enum `{name}`");
        let path = ObjectPath::Enum(name.clone());
        let obj = self.element(
            path,
            k.span(),
            v,
            what.clone(),
            "write `[enums.name]` with `values = [\"a\", \"b\"]`",
            ENUM_KEYS,
        )?;
        let mut values = Vec::new();
        match obj.get("values") {
            None => self.error(
                Diagnostic::new(k.span(), format!("{what} has no `values`"))
                    .label("`values` is missing")
                    .help(
                        "add `values = [\"first\", \"second\"]`, in the order the type sorts them",
                    ),
            ),
            Some(list) => {
                match list.get_ref() {
                    DeValue::Array(items) => {
                        self.record(&obj, "values", list.span());
                        for (i, item) in items.iter().enumerate() {
                            self.record(&obj, &format!("values.{i}"), item.span());
                            match item.get_ref() {
                                DeValue::String(s) => values.push(EnumValue {
                                    name: s.to_string(),
                                    renamed_from: None,
                                }),
                                DeValue::Table(t) => {
                                    let vobj = Obj {
                                        table: t,
                                        what: format!("a value of {what}"),
                                        path: obj
                                            .path
                                            .as_ref()
                                            .map(|(p, _)| (p.clone(), format!("values.{i}"))),
                                    };
                                    self.check_keys(&vobj, ENUM_VALUE_KEYS);
                                    match self.opt_string(&vobj, "name") {
                                    Some(n) => values.push(EnumValue {
                                        name: n,
                                        renamed_from: self.opt_string(&vobj, "renamed_from"),
                                    }),
                                    None => self.error(
                                        Diagnostic::new(item.span(), format!("a value of {what} has no `name`"))
                                            .help("write `{ name = \"new\", renamed_from = \"old\" }`"),
                                    ),
                                }
                                }
                                other => self.error(Diagnostic::new(
                                    item.span(),
                                    format!(
                                        "the values of {what} must be strings, found {}",
                                        kind(other)
                                    ),
                                )),
                            }
                        }
                    }
                    other => self.error(Diagnostic::new(
                        list.span(),
                        format!(
                            "`values` in {what} must be a list of strings, found {}",
                            kind(other)
                        ),
                    )),
                }
            }
        }
        let renamed_from = self.qualified(&obj, "renamed_from");
        Some(EnumType {
            name,
            values,
            comment: self.opt_string(&obj, "comment"),
            renamed_from,
        })
    }

    fn sequence(&mut self, k: &Key, v: &Val) -> Option<Sequence> {
        let name = self.declare("sequences", "sequence", k)?;
        let what = format!("sequence `{name}`");
        let path = ObjectPath::Sequence(name.clone());
        let obj = self.element(
            path,
            k.span(),
            v,
            what,
            "write `[sequences.name]` with its options, or `name = {}`",
            SEQUENCE_KEYS,
        )?;
        let owned_by = match self.string(&obj, "owned_by") {
            Some(s) => self.column_ref(s.get_ref(), s.span()),
            None => None,
        };
        Some(Sequence {
            name,
            data_type: self.choice(&obj, "type", &["smallint", "integer", "bigint"]),
            start: self.integer(&obj, "start"),
            increment: self.integer(&obj, "increment"),
            min_value: self.integer(&obj, "min_value"),
            max_value: self.integer(&obj, "max_value"),
            cache: self.integer(&obj, "cache"),
            cycle: self.boolean(&obj, "cycle"),
            owned_by,
            comment: self.opt_string(&obj, "comment"),
            renamed_from: self.qualified(&obj, "renamed_from"),
        })
    }

    /// `table.column` or `schema.table.column`.
    fn column_ref(&mut self, text: &str, span: Span) -> Option<ColumnRef> {
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

    fn table_def(&mut self, k: &Key, v: &Val) -> Option<Table> {
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

        if let Some(cols) = obj.get("columns") {
            if let Some(ct) = self.table(cols, &format!("`columns` of {what}"), "write `[tables.name.columns]` with one `column = { type = \"...\" }` line per column") {
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
        Some(table)
    }

    /// An array of tables (`[[tables.t.indexes]]` or `indexes = [{...}]`), each decoded by `each`.
    pub(crate) fn array_of<T>(
        &mut self,
        obj: &Obj,
        key: &str,
        mut each: impl FnMut(&mut Self, usize, &Val) -> Option<T>,
    ) -> Vec<T> {
        let Some(v) = obj.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| each(self, i, item))
                .collect(),
            other => {
                self.error(
                    Diagnostic::new(
                        v.span(),
                        format!(
                            "`{key}` in {} must be an array of tables, found {}",
                            obj.what,
                            kind(other)
                        ),
                    )
                    .help(format!("write each one as `[[tables.<name>.{key}]]`")),
                );
                Vec::new()
            }
        }
    }

    fn column(&mut self, table: &QualifiedName, k: &Key, v: &Val) -> Option<Column> {
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
        Some(Column {
            name,
            data_type,
            not_null: self.boolean(&obj, "not_null"),
            default: self.opt_string(&obj, "default"),
            identity,
            identity_options,
            generated: self.opt_string(&obj, "generated"),
            generated_virtual: self.boolean(&obj, "virtual"),
            collation: self.reference(&obj, "collation"),
            comment: self.opt_string(&obj, "comment"),
            renamed_from: self.opt_string(&obj, "renamed_from"),
            using: self.opt_string(&obj, "using"),
        })
    }

    fn primary_key(&mut self, table: &QualifiedName, v: &Val) -> Option<PrimaryKey> {
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

    fn unique(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<Unique> {
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

    fn fk_action(&mut self, obj: &Obj, key: &str) -> FkAction {
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

    fn foreign_key(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<ForeignKey> {
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

    fn check(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<Check> {
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
    fn index_key(
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

    fn exclusion(&mut self, table: &QualifiedName, i: usize, v: &Val) -> Option<Exclusion> {
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
        })
    }
}

/// Keys people bring from other tools, where a typo suggestion would mislead.
fn habit(key: &str, allowed: &[&str]) -> Option<&'static str> {
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
