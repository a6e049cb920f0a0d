//! Loading schema.toml: TOML is parsed into a spanned tree, then decoded by hand so that every mistake is
//! reported (with file:line:column) instead of only the first, and so that every element keeps its position.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

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
    /// A function or procedure: its name and its argument list as written in its key.
    Function(QualifiedName, String),
    /// A trigger of a table or view: the relation and the trigger's name.
    Trigger(QualifiedName, String),
    /// A policy of a table: the table and the policy's name.
    Policy(QualifiedName, String),
    /// The grants of an object (`grants` under it, `column_grants.c` under a table).
    Grants(crate::grant::GrantTarget),
    /// The owner of an object (`owner` under it, see [`crate::owner`]).
    Owner(crate::grant::GrantTarget),
    Migrations,
    Erd,
}

/// Spans of elements (`field` "") and of their fields (`"columns.1"`, `"references.table"`).
///
/// Kept compact, as a large schema.toml records a million of them: one entry per element (its path stored
/// once), its fields a list of (field name, span) with each distinct field name stored once in the map, and
/// spans as pairs of `u32`.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    elements: BTreeMap<ObjectPath, Fields>,
    /// Every distinct field name, and its number.
    names: std::collections::HashMap<Box<str>, u32>,
    /// Records nothing (see [`load_str_without_spans`]).
    off: bool,
    /// Added to every span recorded: where the text being decoded starts in the file (a piece of it, see
    /// [`load_pieces`]).
    base: u32,
}

/// The spans recorded for one element: its own, and its fields' (the last recorded wins).
#[derive(Debug, Clone, Default)]
struct Fields {
    own: Option<(u32, u32)>,
    fields: Vec<(u32, u32, u32)>,
}

fn compact(span: Span) -> (u32, u32) {
    let at = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    (at(span.start), at(span.end))
}

fn wide((start, end): (u32, u32)) -> Span {
    start as usize..end as usize
}

impl SourceMap {
    /// A map that records nothing: every span is unknown, and every field counts as written (see
    /// [`SourceMap::has_field`]).
    fn off() -> SourceMap {
        SourceMap {
            off: true,
            ..SourceMap::default()
        }
    }

    pub fn insert(&mut self, path: ObjectPath, field: impl AsRef<str>, span: Span) {
        if self.off {
            return;
        }
        if !self.elements.contains_key(&path) {
            self.elements.insert(path.clone(), Fields::default());
        }
        self.record(&path, field.as_ref(), span);
    }

    /// [`SourceMap::insert`] with the path borrowed (copied only for an element not seen yet).
    pub(crate) fn record(&mut self, path: &ObjectPath, field: &str, span: Span) {
        if self.off {
            return;
        }
        let span = compact(span);
        let span = (
            span.0.saturating_add(self.base),
            span.1.saturating_add(self.base),
        );
        if !self.elements.contains_key(path) {
            self.elements.insert(path.clone(), Fields::default());
        }
        let entry = self.elements.get_mut(path).expect("inserted above");
        if field.is_empty() {
            entry.own = Some(span);
            return;
        }
        let id = match self.names.get(field) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.names.len()).expect("fewer than 2^32 field names");
                self.names.insert(field.into(), id);
                id
            }
        };
        match entry.fields.iter_mut().find(|(f, _, _)| *f == id) {
            Some(e) => (e.1, e.2) = span,
            None => entry.fields.push((id, span.0, span.1)),
        }
    }

    /// The span of an element's whole definition.
    pub fn object(&self, path: &ObjectPath) -> Option<Span> {
        self.elements.get(path)?.own.map(wide)
    }

    fn get(&self, path: &ObjectPath, field: &str) -> Option<Span> {
        if field.is_empty() {
            return self.object(path);
        }
        let id = *self.names.get(field)?;
        let e = self.elements.get(path)?;
        e.fields
            .iter()
            .find(|(f, _, _)| *f == id)
            .map(|&(_, start, end)| wide((start, end)))
    }

    /// Whether a field of an element was written (and decoded). A map that records nothing says yes: its
    /// users ask whether an empty value was written rather than left out, and leaving it out is a mistake of
    /// its own, so that the schema loads or not all the same.
    pub fn has_field(&self, path: &ObjectPath, field: &str) -> bool {
        self.off || self.get(path, field).is_some()
    }

    /// Free the room kept for more entries (the map is complete).
    fn shrink(&mut self) {
        for e in self.elements.values_mut() {
            e.fields.shrink_to_fit();
        }
        self.names.shrink_to_fit();
    }

    /// Every span moved by `by` bytes (a file added after others in a [`SourceFile`]).
    pub(crate) fn shifted(mut self, by: usize) -> SourceMap {
        let by = u32::try_from(by).unwrap_or(u32::MAX);
        let add = |x: &mut u32| *x = x.saturating_add(by);
        for e in self.elements.values_mut() {
            if let Some((start, end)) = &mut e.own {
                add(start);
                add(end);
            }
            for (_, start, end) in &mut e.fields {
                add(start);
                add(end);
            }
        }
        self
    }

    /// Add the spans of `other`, but those of the elements `skip` names.
    pub(crate) fn merge(&mut self, other: SourceMap, skip: &[ObjectPath]) {
        let names: Vec<&str> = {
            let mut n = vec![""; other.names.len()];
            for (name, &id) in &other.names {
                n[id as usize] = name;
            }
            n
        };
        for (path, e) in other.elements {
            if skip.contains(&path) {
                continue;
            }
            if let Some(own) = e.own {
                self.insert(path.clone(), "", wide(own));
            }
            for (id, start, end) in e.fields {
                self.insert(path.clone(), names[id as usize], wide((start, end)));
            }
        }
    }

    /// The span of one field of an element, or of the element when the field was not written.
    pub fn field(&self, path: &ObjectPath, field: &str) -> Option<Span> {
        self.get(path, field).or_else(|| self.object(path))
    }
}

/// A schema read from a file, with the file kept for error messages.
#[derive(Debug, Clone)]
pub struct LoadedSchema {
    pub schema: Schema,
    /// Shared (cloning a loaded schema does not copy its text).
    pub file: Arc<SourceFile>,
    pub spans: Spans,
}

/// Where each element of a loaded schema was written: its [`SourceMap`], found when first asked for. Once a
/// schema is loaded and checked only an error needs it, and a large schema.toml records a million spans: the
/// map is dropped after loading and found again, on first use, by decoding the kept text the way it was
/// loaded (the same spans). Clones share it.
#[derive(Debug, Clone)]
pub struct Spans(Arc<LazySpans>);

#[derive(Debug)]
struct LazySpans {
    file: Arc<SourceFile>,
    map: OnceLock<SourceMap>,
    /// Loaded without spans ([`load_str_without_spans`]): found as a map that records nothing.
    off: bool,
    rebuilt: AtomicBool,
    /// The map made while loading, to compare with the one found again.
    #[cfg(test)]
    loaded: SourceMap,
}

impl Spans {
    fn new(file: Arc<SourceFile>, map: SourceMap) -> Spans {
        Spans(Arc::new(LazySpans {
            file,
            map: OnceLock::new(),
            off: map.off,
            rebuilt: AtomicBool::new(false),
            #[cfg(test)]
            loaded: map,
        }))
    }

    /// The spans of a file loaded without recording them: found from its text on first use. (In tests, with
    /// the spans of the same file loaded recording them, to compare.)
    fn found_later(file: Arc<SourceFile>, #[cfg(test)] recorded: Spans) -> Spans {
        Spans(Arc::new(LazySpans {
            file,
            map: OnceLock::new(),
            off: false,
            rebuilt: AtomicBool::new(false),
            #[cfg(test)]
            loaded: Arc::try_unwrap(recorded.0)
                .map(|lazy| lazy.loaded)
                .unwrap_or_else(|shared| shared.loaded.clone()),
        }))
    }

    /// The map, found again from the file's text on first use.
    pub fn map(&self) -> &SourceMap {
        self.0.map.get_or_init(|| {
            if self.0.off {
                return SourceMap::off();
            }
            self.0.rebuilt.store(true, Ordering::Relaxed);
            spans_of(&self.0.file)
        })
    }

    /// Whether the map was found again after loading (only an error, or a report that points into the file,
    /// asks for it).
    pub fn rebuilt(&self) -> bool {
        self.0.rebuilt.load(Ordering::Relaxed)
    }

    /// See [`SourceMap::object`].
    pub fn object(&self, path: &ObjectPath) -> Option<Span> {
        self.map().object(path)
    }

    /// See [`SourceMap::field`].
    pub fn field(&self, path: &ObjectPath, field: &str) -> Option<Span> {
        self.map().field(path, field)
    }

    /// See [`SourceMap::has_field`].
    pub fn has_field(&self, path: &ObjectPath, field: &str) -> bool {
        self.map().has_field(path, field)
    }
}

/// The spans of a file loaded without mistakes, as loading recorded them: the main file decoded a piece at a
/// time when it can be (else whole), each included file decoded on its own and moved to where its text is.
fn spans_of(file: &SourceFile) -> SourceMap {
    let mut parts = file.parts();
    let mut spans = parts
        .next()
        .map(|(_, main)| main_spans(main))
        .unwrap_or_default();
    for (start, text) in parts {
        let (root, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            continue;
        }
        let mut d = Decoder::new(true);
        d.document(root.get_ref(), root.span());
        drop(root);
        spans.merge(d.spans.shifted(start), &[]);
    }
    spans.shrink();
    spans
}

/// The spans of the main file.
fn main_spans(text: &str) -> SourceMap {
    if let Some(pieces) = Pieces::of(text) {
        if let Some((_, errors, spans)) = decode_pieces(text, &pieces, true) {
            if errors.is_empty() {
                return spans;
            }
        }
    }
    let (root, _) = DeTable::parse_recoverable(text);
    let mut d = Decoder::new(true);
    d.document(root.get_ref(), root.span());
    d.spans
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
        Ok(text) => load(&name, text, dir, true, true).map_err(LoadError::Invalid),
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
    load(name, text.to_string(), Path::new("."), true, true)
}

/// [`load_str`] for a text schemadiff wrote itself, whose mistakes are never shown to the user: it records no
/// span of any element or field (an empty [`SourceMap`], a fraction of the memory for a large schema). It loads
/// exactly when [`load_str`] does; its errors point at the start of the file.
pub fn load_str_without_spans(name: &str, text: String) -> Result<LoadedSchema, Diagnostics> {
    load(name, text, Path::new("."), false, true)
}

/// [`load_str_without_spans`] without validation: the schema as decoded (with the referenced columns of its
/// foreign keys filled in where the referenced table is there), for a part of a schema that schemadiff wrote
/// itself (a few of its tables, say), which validation would refuse for what it lacks (the tables its foreign
/// keys name, the schemas and types its tables use). Decoding errors are still errors.
pub fn load_str_unchecked(name: &str, text: String) -> Result<Schema, Diagnostics> {
    load(name, text, Path::new("."), false, false).map(|loaded| loaded.schema)
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

fn load(
    name: &str,
    text: String,
    dir: &Path,
    spanned: bool,
    check: bool,
) -> Result<LoadedSchema, Diagnostics> {
    if !(spanned && check) {
        return load_recording(name, text, dir, spanned, check);
    }
    // A file without mistakes is decoded and checked without recording its spans (a large one records a
    // million): they are found from its text if an error or a report needs them later (see [`Spans`]).
    // Checked without spans, every field counts as written, which can only find more mistakes; a file with
    // any is loaded again recording them, so that each mistake found is shown at its place, as always.
    let text = match load_recording(name, text, dir, false, true) {
        Ok(loaded) => {
            #[cfg(test)]
            let recorded = load_recording(
                name,
                loaded
                    .file
                    .parts()
                    .next()
                    .map_or("", |(_, t)| t)
                    .to_string(),
                dir,
                true,
                true,
            )
            .expect("a file loaded without spans loads with them")
            .spans;
            let file = loaded.file;
            return Ok(LoadedSchema {
                schema: loaded.schema,
                spans: Spans::found_later(
                    file.clone(),
                    #[cfg(test)]
                    recorded,
                ),
                file,
            });
        }
        Err(mistakes) => {
            let main = mistakes.file.parts().next().map(|(_, main)| main.len());
            let mut text = mistakes.file.text;
            text.truncate(main.unwrap_or(text.len()));
            text
        }
    };
    load_recording(name, text, dir, true, true)
}

/// [`load`], recording spans while decoding with `spanned`.
fn load_recording(
    name: &str,
    mut text: String,
    dir: &Path,
    spanned: bool,
    check: bool,
) -> Result<LoadedSchema, Diagnostics> {
    if let Some(pieces) = Pieces::of(&text) {
        match load_pieces(SourceFile::new(name, text), &pieces, spanned, check) {
            Ok(done) => return done,
            Err(file) => text = file.text,
        }
    }
    load_whole(name, text, dir, spanned, check)
}

/// [`load`] with the file parsed whole.
fn load_whole(
    name: &str,
    text: String,
    dir: &Path,
    spanned: bool,
    check: bool,
) -> Result<LoadedSchema, Diagnostics> {
    // The text is kept once, in `file`; the parsed tree borrows it until the main file is decoded.
    let mut file = SourceFile::new(name, text);
    let (root, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        let items = parse_errors(&errors, 0);
        drop(root);
        return Err(Diagnostics::new(file, items));
    }
    let mut d = Decoder::new(spanned);
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
    // The tree is done with: the included files are parsed and decoded one at a time.
    drop(root);
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
            let mut d = Decoder::new(spanned);
            let part = d.document(root.get_ref(), root.span());
            drop(root);
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
            for o in part.functions {
                let seen = schema.functions.iter().any(|x| {
                    x.name == o.name
                        && x.arguments
                            .split_whitespace()
                            .eq(o.arguments.split_whitespace())
                });
                let what = format!("{} `{}`", o.kind_sql().to_lowercase(), o.key());
                if again(
                    ObjectPath::Function(o.name.clone(), o.arguments.clone()),
                    what,
                    seen,
                ) {
                    schema.functions.push(o);
                }
            }
            schema.triggers.extend(part.triggers);
            schema.policies.extend(part.policies);
            schema.grants.extend(part.grants);
            schema.owners.extend(part.owners);
            for r in part.roles {
                if !schema.roles.contains(&r) {
                    schema.roles.push(r);
                }
            }
            spans.merge(part_spans, &twice);
        }
    }
    finish(schema, file, spans, errors, check)
}

/// Validate a decoded schema: the loaded schema, or every mistake found.
fn finish(
    mut schema: Schema,
    file: SourceFile,
    mut spans: SourceMap,
    mut errors: Vec<Diagnostic>,
    check: bool,
) -> Result<LoadedSchema, Diagnostics> {
    spans.shrink();
    if check {
        errors.extend(validate::validate(&schema, &spans, &file));
    }
    if errors.is_empty() {
        validate::fill_referenced_columns(&mut schema);
        // The map is dropped (outside tests): found again if an error needs it.
        let file = Arc::new(file);
        Ok(LoadedSchema {
            schema,
            spans: Spans::new(file.clone(), spans),
            file,
        })
    } else {
        Err(Diagnostics::new(file, errors))
    }
}

/// A file cut in pieces that parse on their own: what comes before the first table, each table (its headers
/// `[tables.<key>...]` and `[[tables.<key>...]]` one after the other), and what comes after the last. Parsing a
/// piece at a time keeps the parser's memory to one table's; see [`load_pieces`].
struct Pieces {
    /// Where the tables start and where they end.
    start: usize,
    end: usize,
    /// Each table's text.
    tables: Vec<Range<usize>>,
}

impl Pieces {
    /// The pieces of a text, cut at lines that start a table's header; None without tables. A line that only
    /// looks like a header (in a multi-line string or array) cuts a piece where it does not parse: see
    /// [`load_pieces`].
    fn of(text: &str) -> Option<Pieces> {
        let mut tables: Vec<Range<usize>> = Vec::new();
        let mut key: &str = "";
        let mut end = text.len();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let header = line
                .strip_prefix("[[tables.")
                .or_else(|| line.strip_prefix("[tables."));
            match header.map(raw_key) {
                // Another table's first header.
                Some(k) if end == text.len() && (tables.is_empty() || k != key) => {
                    if let Some(last) = tables.last_mut() {
                        last.end = start;
                    }
                    tables.push(start..text.len());
                    key = k;
                }
                // One more header of the same table.
                Some(_) if end == text.len() => {}
                // A table after the end of the tables: the file is not cut.
                Some(_) => return None,
                None if line.starts_with('[') && !tables.is_empty() && end == text.len() => {
                    end = start;
                    if let Some(last) = tables.last_mut() {
                        last.end = start;
                    }
                }
                None => {}
            }
        }
        Some(Pieces {
            start: tables.first()?.start,
            end,
            tables,
        })
    }
}

/// The first key of a header as written (`users` of `users.columns]`, `"app.users"` of `"app.users"]`): two
/// spellings of one key make two pieces, which [`load_pieces`] finds declaring one table twice.
fn raw_key(rest: &str) -> &str {
    let bytes = rest.as_bytes();
    let end = match bytes.first() {
        Some(b'"') => {
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i + 1
        }
        Some(b'\'') => rest[1..].find('\'').map_or(rest.len(), |i| i + 2),
        _ => rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len()),
    };
    &rest[..end.min(rest.len())]
}

/// Load a file a piece at a time (see [`Pieces`]): what surrounds the tables is parsed as one document, and
/// each table's piece is parsed and decoded in its turn where the tables are decoded, then dropped. The
/// schema is the one the whole file decodes to, as long as every piece parses, declares tables only, and
/// declares none declared before; else the file is given back (`Err`) to be loaded whole.
///
/// With `spanned`, every span is recorded where it is in the file (each piece's moved by where the piece
/// starts, see [`SourceMap`]'s `base`), and a file with any mistake is given back too: loaded whole, its
/// mistakes are reported as they always are.
fn load_pieces(
    file: SourceFile,
    pieces: &Pieces,
    spanned: bool,
    check: bool,
) -> Result<Result<LoadedSchema, Diagnostics>, SourceFile> {
    let Some((schema, errors, spans)) = decode_pieces(&file.text, pieces, spanned) else {
        return Err(file);
    };
    if !spanned {
        return Ok(finish(schema, file, spans, errors, check));
    }
    if !errors.is_empty() {
        return Err(file);
    }
    match finish(schema, file, spans, errors, check) {
        Ok(loaded) => Ok(Ok(loaded)),
        Err(mistakes) => Err(mistakes.file),
    }
}

/// The decoding part of [`load_pieces`]: the schema, the mistakes and the spans, or None when the file must be
/// loaded whole.
fn decode_pieces(
    text: &str,
    pieces: &Pieces,
    spanned: bool,
) -> Option<(Schema, Vec<Diagnostic>, SourceMap)> {
    // Spanned, what follows the tables is parsed in its place: the text with the tables blanked out (as
    // many bytes, spaces on one line), so that its spans are the file's.
    let around: Option<String> = (spanned && pieces.end < text.len()).then(|| {
        let mut around = String::with_capacity(text.len());
        around.push_str(&text[..pieces.start]);
        around.extend(std::iter::repeat_n(' ', pieces.end - pieces.start - 1));
        // The tables end at the start of a line.
        around.push('\n');
        around.push_str(&text[pieces.end..]);
        around
    });
    let (mut root, errors) = match &around {
        Some(around) => DeTable::parse_recoverable(around.as_str()),
        None => DeTable::parse_recoverable(&text[..pieces.start]),
    };
    if !errors.is_empty() {
        return None;
    }
    if !spanned {
        let (after, more) = DeTable::parse_recoverable(&text[pieces.end..]);
        if !more.is_empty() {
            return None;
        }
        for (k, v) in after.into_inner() {
            if root.get_ref().contains_key(k.get_ref().as_ref()) {
                return None;
            }
            root.get_mut().insert(k, v);
        }
    }
    if ["tables", "include"]
        .iter()
        .any(|k| root.get_ref().contains_key(*k))
    {
        return None;
    }
    let mut d = Decoder::new(spanned);
    let schema = d.document_with(root.get_ref(), text, &pieces.tables)?;
    Some((schema, d.errors, d.spans))
}

pub(crate) fn kind(v: &DeValue) -> &'static str {
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
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) spans: SourceMap,
    /// Where each qualified name was first declared, per section: `users` and `public.users` are one table.
    pub(crate) declared: BTreeMap<(&'static str, QualifiedName), Span>,
    /// Triggers decoded under their tables and views, for `Schema::triggers`.
    pub(crate) triggers: Vec<crate::trigger::Trigger>,
    /// Policies decoded under their tables, for `Schema::policies`.
    pub(crate) policies: Vec<crate::policy::Policy>,
    /// Grants decoded under their objects, for `Schema::grants`.
    pub(crate) grant_lists: Vec<crate::grant::ObjectGrants>,
    /// Owners decoded under their objects, for `Schema::owners`.
    pub(crate) owners: Vec<crate::owner::ObjectOwner>,
}

impl Decoder {
    /// A decoder that records spans, or not (see [`load_str_without_spans`]).
    pub(crate) fn new(spanned: bool) -> Decoder {
        Decoder {
            errors: Vec::new(),
            spans: if spanned {
                SourceMap::default()
            } else {
                SourceMap::off()
            },
            declared: BTreeMap::new(),
            triggers: Vec::new(),
            policies: Vec::new(),
            grant_lists: Vec::new(),
            owners: Vec::new(),
        }
    }
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
    "functions",
    "procedures",
    "migrations",
    "include",
    "filter",
    "erd",
    "postgres_version",
    "roles",
    "default_privileges",
];
const FILTER_KEYS: &[&str] = &[
    "include",
    "exclude",
    "exclude_schemas",
    "ignore_unsupported",
];
const EXTENSION_KEYS: &[&str] = &["version", "schema"];
const SCHEMA_KEYS: &[&str] = &["comment", "grants", "owner"];
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
    "manage_ownership",
];
const ERD_KEYS: &[&str] = &["file", "schemas", "exclude"];

impl Decoder {
    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub(crate) fn record(&mut self, obj: &Obj, field: &str, span: Span) {
        if let Some((path, prefix)) = &obj.path {
            match (prefix.is_empty(), field.is_empty()) {
                (true, _) => self.spans.record(path, field, span),
                (false, true) => self.spans.record(path, prefix, span),
                (false, false) => self.spans.record(path, &format!("{prefix}.{field}"), span),
            }
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
    pub(crate) fn settings<'a, 'i>(
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

    pub(crate) fn table<'a, 'i>(
        &mut self,
        v: &'a Val<'i>,
        what: &str,
        hint: &str,
    ) -> Option<&'a DeTable<'i>> {
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
                crate::table::habit(key, allowed),
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

    pub(crate) fn integer(&mut self, obj: &Obj, key: &str) -> Option<i64> {
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
                let mut out = Vec::with_capacity(items.len());
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
    pub(crate) fn required_list(
        &mut self,
        obj: &Obj,
        key: &str,
        at: Span,
        example: &str,
    ) -> Vec<String> {
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
    pub(crate) fn reference(&mut self, obj: &Obj, key: &str) -> Option<String> {
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
    pub(crate) fn qualified(&mut self, obj: &Obj, key: &str) -> Option<QualifiedName> {
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
        let shown = name.to_string();
        self.declare_name(section, what, name.clone(), &shown, k.span())?;
        Some(name)
    }

    /// Record `name` as declared in `section` at `span`; `None` (and an error) when it already is.
    pub(crate) fn declare_name(
        &mut self,
        section: &'static str,
        what: &str,
        name: QualifiedName,
        shown: &str,
        span: Span,
    ) -> Option<()> {
        if let Some(first) = self.declared.get(&(section, name.clone())) {
            let first = first.clone();
            self.error(
                Diagnostic::new(span, format!("{what} `{shown}` is declared twice"))
                    .label("second declaration")
                    .note(first.clone(), "first declared here")
                    .help("a name without a schema is in `public`; keep one of them"),
            );
            return None;
        }
        self.declared.insert((section, name), span);
        Some(())
    }

    /// A number (`cost = 10`, `rows = 2.5`), as SQL writes it.
    pub(crate) fn number(&mut self, obj: &Obj, key: &str) -> Option<String> {
        let v = obj.get(key)?;
        let text = match v.get_ref() {
            DeValue::Integer(_) => self.integer(obj, key).map(|n| n.to_string()),
            DeValue::Float(f) => {
                let text = f.as_str().replace('_', "");
                match text.parse::<f64>() {
                    Ok(n) if n.is_finite() && n >= 0.0 => Some(format!("{n}")),
                    _ => None,
                }
            }
            _ => None,
        };
        match text {
            Some(t) if !t.starts_with('-') => {
                self.record(obj, key, v.span());
                Some(t)
            }
            _ => {
                self.error(Diagnostic::new(
                    v.span(),
                    format!("`{key}` in {} must be a positive number", obj.what),
                ));
                None
            }
        }
    }

    /// A table of strings (`set = { search_path = "public, pg_temp" }`), as (key, value) pairs.
    pub(crate) fn string_map(&mut self, obj: &Obj, key: &str) -> Vec<(String, String)> {
        let Some(v) = obj.get(key) else {
            return Vec::new();
        };
        let what = format!("`{key}` of {}", obj.what);
        let Some(t) = self.table(v, &what, "write `{ name = \"value\" }`") else {
            return Vec::new();
        };
        self.record(obj, key, v.span());
        let mut out = Vec::new();
        for (k, val) in t.iter() {
            match val.get_ref() {
                DeValue::String(s) => out.push((k.get_ref().to_string(), s.to_string())),
                DeValue::Integer(i) => out.push((k.get_ref().to_string(), i.as_str().to_string())),
                DeValue::Boolean(b) => out.push((k.get_ref().to_string(), b.to_string())),
                other => self.error(Diagnostic::new(
                    val.span(),
                    format!(
                        "`{}` in {what} must be a string, found {}",
                        k.get_ref(),
                        kind(other)
                    ),
                )),
            }
        }
        out
    }

    pub(crate) fn parse_name(&mut self, text: &str, span: Span) -> Option<QualifiedName> {
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
    pub(crate) fn section<'a, 'i>(
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

    pub(crate) fn document(&mut self, root: &DeTable, _span: Span) -> Schema {
        self.document_with(root, "", &[])
            .expect("no piece of tables to refuse")
    }

    /// [`Decoder::document`], with the tables of `pieces` of `text` too (see [`load_pieces`]), each parsed
    /// where the tables are decoded; None when a piece does not parse, declares anything but tables, or a
    /// table declared before.
    fn document_with(
        &mut self,
        root: &DeTable,
        text: &str,
        pieces: &[Range<usize>],
    ) -> Option<Schema> {
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
            self.grants(&obj, crate::grant::GrantTarget::Schema(name.clone()));
            self.owner(&obj, crate::grant::GrantTarget::Schema(name.clone()));
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
                schema.tables.push(Arc::new(t));
            }
        }
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for piece in pieces {
            let (part, errors) = DeTable::parse_recoverable(&text[piece.clone()]);
            if !errors.is_empty() || part.get_ref().len() != 1 {
                return None;
            }
            let DeValue::Table(tables) = part.get_ref().get("tables")?.get_ref() else {
                return None;
            };
            // Its spans are the piece's: moved to where the piece is in the file.
            self.spans.base = u32::try_from(piece.start).unwrap_or(u32::MAX);
            for (k, v) in tables.iter() {
                if !seen.insert(k.get_ref().to_string()) {
                    self.spans.base = 0;
                    return None;
                }
                if let Some(t) = self.table_def(k, v) {
                    schema.tables.push(Arc::new(t));
                }
            }
            self.spans.base = 0;
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

        for procedure in [false, true] {
            let (key, hint) = if procedure {
                (
                    "procedures",
                    "write `[procedures.\"name(arguments)\"]` for each procedure",
                )
            } else {
                (
                    "functions",
                    "write `[functions.\"name(arguments)\"]` for each function",
                )
            };
            for (k, v) in self.section(root, key, hint) {
                if let Some(f) = self.function(k, v, procedure) {
                    schema.functions.push(f);
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
                manage_ownership: self.boolean(&obj, "manage_ownership"),
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
        schema.triggers = std::mem::take(&mut self.triggers);
        schema.policies = std::mem::take(&mut self.policies);
        self.default_privileges(root);
        schema.grants = std::mem::take(&mut self.grant_lists);
        schema.owners = std::mem::take(&mut self.owners);
        schema.roles = self.roles(root);
        Some(schema)
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
            DeValue::Array(items) => {
                // Sized from the array (a filtered iterator would grow it, keeping room unused).
                let mut out = Vec::with_capacity(items.len());
                out.extend(
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, item)| each(self, i, item)),
                );
                out
            }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of `a` is in `b` and the other way round.
    fn same_spans(a: &SourceMap, b: &SourceMap) -> Result<(), String> {
        fn names(m: &SourceMap) -> Vec<&str> {
            let mut n = vec![""; m.names.len()];
            for (name, &id) in &m.names {
                n[id as usize] = &**name;
            }
            n
        }
        for (x, y) in [(a, b), (b, a)] {
            let x_names = names(x);
            for (path, e) in &x.elements {
                if y.object(path) != e.own.map(wide) {
                    return Err(format!("{path:?}: {:?} vs {:?}", e.own, y.object(path)));
                }
                for &(id, start, end) in &e.fields {
                    let field = x_names[id as usize];
                    if y.get(path, field) != Some(wide((start, end))) {
                        return Err(format!(
                            "{path:?} {field}: {start}..{end} vs {:?}",
                            y.get(path, field)
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Loaded a piece at a time (when it can be) and whole: the same schema with the same spans, or the same
    /// mistakes.
    fn same(text: &str) {
        let whole = load_whole("t.toml", text.to_string(), Path::new("."), true, true);
        let spanned = load_str("t.toml", text);
        let pieces = load_str_without_spans("t.toml", text.to_string());
        match (whole, spanned, pieces) {
            (Ok(w), Ok(s), Ok(p)) => {
                assert_eq!(w.schema, p.schema, "{text}");
                assert_eq!(w.schema, s.schema, "{text}");
                if let Err(e) = same_spans(&w.spans.0.loaded, &s.spans.0.loaded) {
                    panic!("{e}\n{text}");
                }
            }
            (Err(w), Err(s), Err(_)) => assert_eq!(w.to_string(), s.to_string(), "{text}"),
            (w, s, p) => panic!(
                "whole: {:?}\nspanned: {:?}\npieces: {:?}\n{text}",
                w.is_ok(),
                s.is_ok(),
                p.is_ok()
            ),
        }
    }

    /// The map found again answers like the one made while loading, for every element of `loaded`; it is
    /// found only when asked for.
    fn found_again_as_loaded(loaded: &LoadedSchema, what: &str) {
        assert!(!loaded.spans.rebuilt(), "{what}: found again before asked");
        let again = loaded.spans.map();
        assert!(loaded.spans.rebuilt(), "{what}");
        if let Err(e) = same_spans(&loaded.spans.0.loaded, again) {
            panic!("{what}: {e}");
        }
        // Clones share it: it is found once.
        assert!(std::ptr::eq(loaded.clone().spans.map(), again), "{what}");
    }

    /// The ```toml blocks of docs/schema-toml.md (every kind is documented with an example).
    fn doc_examples() -> Vec<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema-toml.md");
        let markdown = std::fs::read_to_string(&path).expect("the reference");
        let mut blocks = Vec::new();
        let mut current: Option<String> = None;
        for line in markdown.lines() {
            match current.as_mut() {
                None if line.trim_end() == "```toml" => current = Some(String::new()),
                None => {}
                Some(_) if line.trim_end().starts_with("```") => blocks.extend(current.take()),
                Some(text) => {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
        blocks
    }

    #[test]
    fn spans_found_again_are_the_spans_found_while_loading() {
        let mut kinds = std::collections::BTreeSet::new();
        let mut texts = doc_examples();
        assert!(texts.len() >= 20, "{}", texts.len());
        // This file's own examples: loaded a piece at a time, with what follows the tables, and whole.
        texts.push(
            "postgres_version = 15\n\n[tables.a]\ncomment = \"x\"\nprimary_key = [\"id\"]\n\n[tables.a.columns]\n\
             id = \"bigint\"\nname = { type = \"text\", comment = \"\u{e9}\" }\n\n[[tables.a.indexes]]\n\
             columns = [\"id\"]\n\n[tables.b.columns]\nid = \"bigint\"\na_id = \"bigint\"\n\n\
             [[tables.b.foreign_keys]]\ncolumns = [\"a_id\"]\nreferences = { table = \"a\", columns = [\"id\"] }\n\n\
             [[tables.b.checks]]\nexpression = \"id > 0\"\n\n[views.v]\nquery = \"SELECT 1\"\n\n\
             [migrations]\ndir = \"m\"\n\n[erd]\n"
                .to_string(),
        );
        texts.push("[tables.a]\n[views.v]\nquery = \"SELECT 1\"\n[tables.b]\n".to_string());
        for (n, text) in texts.iter().enumerate() {
            let what = format!("example {}:\n{text}", n + 1);
            let loaded = load_str("t.toml", text).unwrap_or_else(|e| panic!("{what}\n{e}"));
            for path in loaded.spans.0.loaded.elements.keys() {
                let name = format!("{path:?}");
                kinds.insert(name[..name.find('(').unwrap_or(name.len())].to_string());
            }
            found_again_as_loaded(&loaded, &what);
        }
        // Every kind of element.
        let every = [
            "Extension",
            "Schema",
            "Enum",
            "Domain",
            "CompositeType",
            "RangeType",
            "Sequence",
            "Table",
            "Column",
            "PrimaryKey",
            "Unique",
            "ForeignKey",
            "Check",
            "Exclusion",
            "Index",
            "View",
            "Function",
            "Trigger",
            "Policy",
            "Grants",
            "Owner",
            "Migrations",
            "Erd",
        ];
        let missing: Vec<&str> = every
            .iter()
            .copied()
            .filter(|k| !kinds.contains(*k))
            .collect();
        assert!(
            missing.is_empty(),
            "no example has {missing:?} (has {kinds:?})"
        );

        // Included files: each one's spans moved to where its text is kept.
        let dir = std::env::temp_dir().join(format!("schemadiff-spans-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("more")).unwrap();
        std::fs::write(
            dir.join("schema.toml"),
            "include = [\"more\"]\n\n[enums.mood]\nvalues = [\"ok\"]\n\n[tables.a]\nprimary_key = [\"id\"]\n\n\
             [tables.a.columns]\nid = \"bigint\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("more/b.toml"),
            "[tables.b.columns]\nid = \"bigint\"\na_id = { type = \"bigint\", not_null = true }\n\n\
             [[tables.b.foreign_keys]]\ncolumns = [\"a_id\"]\nreferences = { table = \"a\", columns = [\"id\"] }\n",
        )
        .unwrap();
        std::fs::write(dir.join("more/c.toml"), "[views.c]\nquery = \"SELECT 1\"\n").unwrap();
        let loaded = load_file(&dir.join("schema.toml"));
        std::fs::remove_dir_all(&dir).unwrap();
        let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
        found_again_as_loaded(&loaded, "included files");
        let q = |n: &str| QualifiedName::new("public".to_string(), n.to_string());
        let span = loaded
            .spans
            .field(&ObjectPath::View(q("c")), "query")
            .unwrap();
        assert_eq!(&loaded.file.text[span.clone()], "\"SELECT 1\"");
        assert!(
            loaded.file.location(span.start).ends_with("c.toml:2:9"),
            "{}",
            loaded.file.location(span.start)
        );

        // Loaded without spans: nothing is found, and nothing is decoded again.
        let loaded = load_str_without_spans("t.toml", texts[0].clone()).unwrap();
        assert!(loaded.spans.object(&ObjectPath::Migrations).is_none());
        assert!(loaded.spans.map().elements.is_empty() && !loaded.spans.rebuilt());
    }

    /// Whether a file is loaded a piece at a time (spanned, a file without mistakes only).
    fn by_pieces(text: &str, spanned: bool) -> bool {
        let pieces = Pieces::of(text).expect("tables");
        load_pieces(SourceFile::new("t.toml", text), &pieces, spanned, true).is_ok()
    }

    #[test]
    fn a_file_loaded_a_piece_at_a_time_is_the_whole_file() {
        let clean = "postgres_version = 15\n\n[enums.mood]\nvalues = [\"ok\"]\n\n\
            [tables.a]\ncomment = \"x\"\n\n[tables.a.columns]\nid = \"bigint\"\n\n\
            [[tables.a.indexes]]\ncolumns = [\"id\"]\n\n[tables.\"public.b\"]\n\n\
            [tables.\"public.b\".columns]\nid = { type = \"bigint\", comment = '''\nline\n''' }\n\
            a_id = \"bigint\"\n\n[[tables.\"public.b\".foreign_keys]]\ncolumns = [\"a_id\"]\n\
            references = { table = \"a\", columns = [\"id\"] }\n\n[views.v]\nquery = \"SELECT 1\"\n";
        assert!(by_pieces(clean, false));
        same(clean);
        // Loaded whole: a header in a multi-line string, a table's headers apart, a table after a view.
        for text in [
            "[tables.a]\n\n[tables.a.columns]\nid = { type = \"int\", comment = '''\n[tables.c]\n''' }\n",
            "[tables.a]\n[tables.b]\n[tables.b.columns]\nx = \"int\"\n[tables.a.columns]\ny = \"text\"\n",
            "[tables.a]\n[views.v]\nquery = \"SELECT 1\"\n[tables.b]\n",
        ] {
            assert!(Pieces::of(text).is_none_or(|p| {
                load_pieces(SourceFile::new("t.toml", text), &p, false, true).is_err()
                    && load_pieces(SourceFile::new("t.toml", text), &p, true, true).is_err()
            }));
            same(text);
        }
        // Mistakes are mistakes either way.
        for text in [
            "[tables.a]\n[tables.a]\n",
            "[tables.a.columns]\nx = \"\"\n",
            "[tables.a.columns]\nx = \"int\"\n[tables.b.columns]\ny = \"nosuchtype(\"\n",
            "[tables.a]\n[tables.public.a]\n",
            "[tables.a.columns]\nx = \"int\"\n[tables.b.columns]\ny = \"int\"\n[views.v]\nquery = \"SELECT nosuch FROM\"\n",
            "[tables.a.columns]\nx = \"int\"\n[[tables.a.foreign_keys]]\ncolumns = [\"x\"]\nreferences = { table = \"b\", columns = [\"y\"] }\n",
        ] {
            same(text);
        }
        // Spanned, each piece's spans are where the piece is in the file, and so are those after the tables.
        let text = "postgres_version = 15\n\n[tables.a]\ncomment = \"x\"\nprimary_key = [\"id\"]\n\n[tables.a.columns]\n\
            id = \"bigint\"\nname = { type = \"text\", comment = \"é\" }\n\n[[tables.a.indexes]]\n\
            columns = [\"id\"]\n\n[tables.b.columns]\nid = \"bigint\"\na_id = \"bigint\"\n\n\
            [[tables.b.foreign_keys]]\ncolumns = [\"a_id\"]\nreferences = { table = \"a\", columns = [\"id\"] }\n\n\
            [[tables.b.checks]]\nexpression = \"id > 0\"\n\n[views.v]\nquery = \"SELECT 1\"\n\n\
            [migrations]\ndir = \"m\"\n";
        assert!(by_pieces(text, true));
        same(text);
        let loaded = load_str("t.toml", text).expect("loads");
        let at = |path: ObjectPath, field: &str| {
            let span = loaded.spans.field(&path, field).expect("recorded");
            &text[span]
        };
        let q = |n: &str| QualifiedName::new("public".to_string(), n.to_string());
        assert_eq!(
            at(ObjectPath::Column(q("a"), "name".into()), "type"),
            "\"text\""
        );
        assert_eq!(at(ObjectPath::Check(q("b"), 0), "expression"), "\"id > 0\"");
        assert_eq!(at(ObjectPath::View(q("v")), "query"), "\"SELECT 1\"");
    }
}
