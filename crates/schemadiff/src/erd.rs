//! Entity-relationship diagrams of a schema, in Mermaid (`erDiagram`, which GitHub renders), PlantUML (IE
//! notation) and Graphviz dot.
//!
//! The schema is first reduced to a [`Diagram`] (tables with their columns and key markers, enums, and one
//! relationship per foreign key with its cardinality), then written by one small function per format, so the
//! three always say the same thing. Cardinality comes from the foreign key's own columns: all NOT NULL means
//! every row has exactly one parent (else zero or one), and a primary key or unique constraint on exactly
//! those columns means a parent has at most one such row (else any number). A foreign key whose columns are
//! part of the primary key is drawn as identifying (solid), the others as non-identifying (dashed).
//!
//! Names come from users and may be anything PostgreSQL accepts; each format gets them in a form its syntax
//! cannot mistake for anything else (quoted, escaped, or with the offending characters replaced), so a hostile
//! name can change a label but never the diagram's structure. Output depends only on the schema: same schema,
//! same bytes.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use schemadiff_model::fragment::needs_escape;
use schemadiff_model::{QualifiedName, Schema, Table};

/// The formats `erd` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    PlantUml,
    Dot,
}

impl Format {
    /// The format of a file, from its extension (the ones `[erd] file` accepts).
    pub fn of_file(file: &str) -> Option<Format> {
        match schemadiff_model::ErdConfig::format_of(file)? {
            "mermaid" => Some(Format::Mermaid),
            "plantuml" => Some(Format::PlantUml),
            "dot" => Some(Format::Dot),
            _ => None,
        }
    }
}

/// Which tables to draw: only those of `schemas` (all when empty), and none whose name matches one of the
/// `exclude` globs (`*` and `?`; matched against the bare name and against `schema.name`).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub schemas: Vec<String>,
    pub exclude: Vec<String>,
}

impl Filter {
    fn keeps_schema(&self, schema: &str) -> bool {
        self.schemas.is_empty() || self.schemas.iter().any(|s| s == schema)
    }

    fn keeps(&self, name: &QualifiedName) -> bool {
        self.keeps_schema(&name.schema)
            && !self
                .exclude
                .iter()
                .any(|g| glob(g, &name.name) || glob(g, &format!("{}.{}", name.schema, name.name)))
    }
}

/// `*` matches any run of characters, `?` any one character; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The diagram `[erd]` of schema.toml keeps in a file: where (relative to schema.toml's directory) and
/// what it must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub path: PathBuf,
    pub format: Format,
    pub text: String,
}

impl Committed {
    /// The diagram of `[erd] file`, drawn from `schema` (as written) with `[erd]`'s filters; `None` without
    /// `[erd] file`.
    pub fn of(schema: &Schema, schema_file: &Path) -> Option<Committed> {
        let config = schema.erd.as_ref()?;
        let file = config.file.as_ref()?;
        let format = Format::of_file(file)?;
        let path = match schema_file.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(base) => base.join(file),
            None => PathBuf::from(file),
        };
        let filter = Filter {
            schemas: config.schemas.clone(),
            exclude: config.exclude.clone(),
        };
        Some(Committed {
            path,
            format,
            text: Diagram::of(schema, &filter).render(format),
        })
    }

    /// A unified diff from the file as it is to what it must hold; `None` when it holds it.
    pub fn drift(&self) -> Option<String> {
        let now = std::fs::read_to_string(&self.path).unwrap_or_default();
        if now == self.text {
            return None;
        }
        let name = self.path.display().to_string();
        Some(
            similar::TextDiff::from_lines(&now, &self.text)
                .unified_diff()
                .context_radius(3)
                .header(&name, "schema.toml")
                .to_string(),
        )
    }
}

/// A column as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub data_type: String,
    pub not_null: bool,
    pub pk: bool,
    pub fk: bool,
    pub uk: bool,
}

impl Attribute {
    fn keys(&self) -> Vec<&'static str> {
        let mut k = Vec::new();
        if self.pk {
            k.push("PK");
        }
        if self.fk {
            k.push("FK");
        }
        if self.uk {
            k.push("UK");
        }
        k
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// As schema.toml writes it: bare in `public`, else `schema.name`.
    pub name: String,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumBox {
    pub name: String,
    pub values: Vec<String>,
}

/// One foreign key: `child.columns` reference `parent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub parent: String,
    pub child: String,
    /// The foreign key's columns, for the label.
    pub columns: Vec<String>,
    /// Some column of the key may be NULL: a child row may have no parent.
    pub parent_optional: bool,
    /// The key's columns are unique in the child: a parent has at most one child row.
    pub child_unique: bool,
    /// The key's columns are part of the child's primary key.
    pub identifying: bool,
}

/// What a diagram shows, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagram {
    pub entities: Vec<Entity>,
    pub enums: Vec<EnumBox>,
    pub relationships: Vec<Relationship>,
}

/// A name as drawn: bare in `public`, else `schema.name`; never quoted (each format quotes in its own way).
fn display(q: &QualifiedName) -> String {
    if q.schema == "public" {
        q.name.clone()
    } else {
        format!("{}.{}", q.schema, q.name)
    }
}

fn unique_sets(t: &Table) -> Vec<BTreeSet<&str>> {
    let mut sets: Vec<BTreeSet<&str>> = Vec::new();
    if let Some(pk) = &t.primary_key {
        sets.push(pk.columns.iter().map(String::as_str).collect());
    }
    sets.extend(
        t.uniques
            .iter()
            .map(|u| u.columns.iter().map(String::as_str).collect()),
    );
    sets.extend(
        t.indexes
            .iter()
            .filter(|i| i.unique && i.where_clause.is_none())
            .filter_map(|i| i.plain_columns())
            .map(|c| c.into_iter().collect()),
    );
    sets
}

impl Diagram {
    pub fn of(schema: &Schema, filter: &Filter) -> Diagram {
        // A partition is drawn as its partitioned table: it has that table's columns and keys.
        let tables: Vec<&Table> = schema
            .tables
            .iter()
            .filter(|t| filter.keeps(&t.name) && t.partition_of.is_none())
            .map(|t| &**t)
            .collect();
        let mut d = Diagram::default();
        for t in &tables {
            let pk: BTreeSet<&str> = t
                .primary_key
                .iter()
                .flat_map(|p| p.columns.iter().map(String::as_str))
                .collect();
            let fk: BTreeSet<&str> = t
                .foreign_keys
                .iter()
                .flat_map(|f| f.columns.iter().map(String::as_str))
                .collect();
            let uniques = unique_sets(t);
            let uk: BTreeSet<&str> = uniques
                .iter()
                .skip(usize::from(t.primary_key.is_some()))
                .flatten()
                .copied()
                .collect();
            d.entities.push(Entity {
                name: display(&t.name),
                attributes: t
                    .columns
                    .iter()
                    .map(|c| Attribute {
                        name: c.name.clone(),
                        data_type: c.data_type.clone(),
                        not_null: c.not_null || pk.contains(c.name.as_str()),
                        pk: pk.contains(c.name.as_str()),
                        fk: fk.contains(c.name.as_str()),
                        uk: uk.contains(c.name.as_str()),
                    })
                    .collect(),
            });
            for f in &t.foreign_keys {
                if !tables.iter().any(|p| p.name == f.references) {
                    continue;
                }
                let cols: BTreeSet<&str> = f.columns.iter().map(String::as_str).collect();
                let not_null = |c: &str| pk.contains(c) || t.column(c).is_some_and(|c| c.not_null);
                d.relationships.push(Relationship {
                    parent: display(&f.references),
                    child: display(&t.name),
                    columns: f.columns.clone(),
                    parent_optional: !f.columns.iter().all(|c| not_null(c)),
                    child_unique: uniques.contains(&cols),
                    identifying: !cols.is_empty() && cols.is_subset(&pk),
                });
            }
        }
        d.enums = schema
            .enums
            .iter()
            .filter(|e| filter.keeps_schema(&e.name.schema))
            .map(|e| EnumBox {
                name: display(&e.name),
                values: e.values.iter().map(|v| v.name.clone()).collect(),
            })
            .collect();
        d
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Mermaid => self.mermaid(),
            Format::PlantUml => self.plantuml(),
            Format::Dot => self.dot(),
        }
    }

    /// Mermaid `erDiagram`.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("erDiagram\n");
        for e in &self.entities {
            let _ = writeln!(out, "    {} {{", mermaid_entity(&e.name));
            for a in &e.attributes {
                let _ = write!(
                    out,
                    "        {} {}",
                    mermaid_type(&a.data_type),
                    mermaid_attribute(&a.name)
                );
                let keys = a.keys();
                if !keys.is_empty() {
                    let _ = write!(out, " {}", keys.join(", "));
                }
                if !a.not_null {
                    out.push_str(" \"nullable\"");
                }
                out.push('\n');
            }
            out.push_str("    }\n");
        }
        for e in &self.enums {
            let _ = writeln!(
                out,
                "    {} {{",
                mermaid_entity(&format!("{} (enum)", e.name))
            );
            for v in &e.values {
                let _ = writeln!(out, "        value {}", mermaid_attribute(v));
            }
            out.push_str("    }\n");
        }
        for r in &self.relationships {
            let left = if r.parent_optional { "|o" } else { "||" };
            let line = if r.identifying { "--" } else { ".." };
            let right = if r.child_unique { "o|" } else { "o{" };
            let _ = writeln!(
                out,
                "    {} {left}{line}{right} {} : {}",
                mermaid_entity(&r.parent),
                mermaid_entity(&r.child),
                mermaid_string(&r.columns.join(", "))
            );
        }
        out
    }

    /// PlantUML, entities in Information Engineering notation (`*` marks a mandatory column).
    pub fn plantuml(&self) -> String {
        let mut out = String::from("@startuml\nhide circle\nskinparam linetype ortho\n\n");
        let aliases = Aliases::new(self);
        for e in &self.entities {
            let _ = writeln!(
                out,
                "entity \"{}\" as {} {{",
                plantuml_text(&e.name),
                aliases.of(&e.name)
            );
            let (keys, rest): (Vec<&Attribute>, Vec<&Attribute>) =
                e.attributes.iter().partition(|a| a.pk);
            let line = |out: &mut String, a: &Attribute| {
                let stereo: Vec<String> = a.keys().iter().map(|k| format!("<<{k}>>")).collect();
                let _ = writeln!(
                    out,
                    "  {}{} : {}{}",
                    if a.not_null { "* " } else { "  " },
                    plantuml_text(&a.name),
                    plantuml_text(&a.data_type),
                    if stereo.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", stereo.join(" "))
                    }
                );
            };
            for a in &keys {
                line(&mut out, a);
            }
            out.push_str("  --\n");
            for a in &rest {
                line(&mut out, a);
            }
            out.push_str("}\n\n");
        }
        for e in &self.enums {
            let _ = writeln!(
                out,
                "enum \"{}\" as {} {{",
                plantuml_text(&e.name),
                aliases.of_enum(&e.name)
            );
            for v in &e.values {
                let _ = writeln!(out, "  {}", plantuml_text(v));
            }
            out.push_str("}\n\n");
        }
        for r in &self.relationships {
            let left = if r.parent_optional { "|o" } else { "||" };
            let line = if r.identifying { "--" } else { ".." };
            let right = if r.child_unique { "o|" } else { "o{" };
            let _ = writeln!(
                out,
                "{} {left}{line}{right} {} : \"{}\"",
                aliases.of(&r.parent),
                aliases.of(&r.child),
                plantuml_text(&r.columns.join(", "))
            );
        }
        out.push_str("@enduml\n");
        out
    }

    /// Graphviz dot: one HTML-like table per entity, crow's feet on the edges.
    pub fn dot(&self) -> String {
        let mut out = String::from(
            "digraph erd {\n    graph [rankdir=LR];\n    node [shape=plaintext, fontname=\"Helvetica\"];\n    edge [dir=both, fontname=\"Helvetica\", fontsize=10];\n\n",
        );
        for e in &self.entities {
            let _ = writeln!(
                out,
                "    {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">",
                dot_id(&e.name)
            );
            let _ = writeln!(
                out,
                "        <tr><td colspan=\"3\" bgcolor=\"lightgrey\"><b>{}</b></td></tr>",
                html(&e.name)
            );
            for a in &e.attributes {
                let _ = writeln!(
                    out,
                    "        <tr><td align=\"left\">{}</td><td align=\"left\">{}{}</td><td>{}</td></tr>",
                    html(&a.name),
                    html(&a.data_type),
                    if a.not_null { " not null" } else { "" },
                    a.keys().join(", ")
                );
            }
            out.push_str("    </table>>];\n");
        }
        for e in &self.enums {
            let _ = writeln!(
                out,
                "    {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">",
                dot_id(&format!("{} (enum)", e.name))
            );
            let _ = writeln!(
                out,
                "        <tr><td bgcolor=\"lightyellow\"><b>{}</b> <i>enum</i></td></tr>",
                html(&e.name)
            );
            for v in &e.values {
                let _ = writeln!(out, "        <tr><td align=\"left\">{}</td></tr>", html(v));
            }
            out.push_str("    </table>>];\n");
        }
        if !self.relationships.is_empty() {
            out.push('\n');
        }
        for r in &self.relationships {
            // From the child (many side) to the parent (one side).
            let head = if r.parent_optional {
                "teeodot"
            } else {
                "teetee"
            };
            let tail = if r.child_unique {
                "teeodot"
            } else {
                "crowodot"
            };
            let _ = writeln!(
                out,
                "    {} -> {} [arrowhead={head}, arrowtail={tail}, style={}, label={}];",
                dot_id(&r.child),
                dot_id(&r.parent),
                if r.identifying { "solid" } else { "dashed" },
                dot_id(&r.columns.join(", "))
            );
        }
        out.push_str("}\n");
        out
    }
}

/// Mermaid keywords that a bare entity name would be read as.
const MERMAID_WORDS: &[&str] = &[
    "erdiagram",
    "style",
    "classdef",
    "class",
    "subgraph",
    "end",
    "direction",
    "acctitle",
    "accdescr",
    "one",
    "many",
    "only",
    "zero",
    "to",
    "optionally",
    "u",
    "o",
];

fn plain_word(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An entity name: bare when it is a plain word that is no keyword, else in double quotes, with the
/// characters a quoted name cannot hold (`"`, `%`, `\`, control characters) replaced by `_`.
fn mermaid_entity(name: &str) -> String {
    if plain_word(name) && !MERMAID_WORDS.contains(&name.to_lowercase().as_str()) {
        return name.to_string();
    }
    let inner: String = name
        .chars()
        .map(|c| {
            if c == '"' || c == '%' || c == '\\' || needs_escape(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("\"{inner}\"")
}

/// An attribute name: bare when it is a plain word other than the key markers, else in backticks (with
/// backticks, `%` and control characters replaced).
fn mermaid_attribute(name: &str) -> String {
    let lower = name.to_lowercase();
    if plain_word(name) && !["pk", "fk", "uk"].contains(&lower.as_str()) {
        return name.to_string();
    }
    let inner: String = name
        .chars()
        .map(|c| {
            if c == '`' || c == '%' || needs_escape(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("`{inner}`")
}

/// A type, as one word of the characters Mermaid allows in one (`varchar(255)`, `numeric(10,2)`,
/// `text[]`); others (spaces, quotes) become `_`.
fn mermaid_type(t: &str) -> String {
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || "-_[]().,*".contains(c)
            || (c as u32 >= 0xC0 && c != '\u{FEFF}' && !needs_escape(c))
    };
    let mut out: String = t
        .chars()
        .map(|c| if allowed(c) { c } else { '_' })
        .collect();
    if !out
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '*' || c as u32 >= 0xC0)
    {
        out.insert(0, '_');
    }
    out
}

/// A double-quoted Mermaid string: `"` becomes `'`, `%` (which could start a `%%{init}%%` directive
/// anywhere in the text) `_`, control characters a space.
fn mermaid_string(s: &str) -> String {
    let inner: String = s
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '%' => '_',
            c if needs_escape(c) => ' ',
            c => c,
        })
        .collect();
    format!("\"{inner}\"")
}

/// Text inside PlantUML quotes or an entity body: no quotes, braces or line breaks, and no leading
/// character that PlantUML reads as a separator, visibility marker, comment or preprocessor line.
fn plantuml_text(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '{' => '(',
            '}' => ')',
            c if needs_escape(c) => ' ',
            c => c,
        })
        .collect();
    if out.starts_with(['-', '.', '=', '_', '*', '+', '#', '~', '@', '!', '\'', ' '])
        || out.trim().is_empty()
    {
        out.insert(0, '\u{a0}');
    }
    out
}

/// PlantUML words a bare alias could be read as.
const PLANTUML_WORDS: &[&str] = &[
    "abstract",
    "actor",
    "annotation",
    "as",
    "bottom",
    "circle",
    "class",
    "component",
    "diamond",
    "down",
    "end",
    "entity",
    "enum",
    "footer",
    "header",
    "hide",
    "interface",
    "json",
    "left",
    "legend",
    "map",
    "namespace",
    "note",
    "object",
    "package",
    "remove",
    "right",
    "set",
    "show",
    "skinparam",
    "struct",
    "title",
    "together",
    "top",
    "up",
    "usecase",
];

/// PlantUML aliases: the name when it is a plain word and no keyword, else `e<n>` (in drawing order), never
/// two alike.
struct Aliases(Vec<(String, String)>);

impl Aliases {
    fn new(d: &Diagram) -> Self {
        let mut taken = BTreeSet::new();
        let mut out = Vec::new();
        let names = d
            .entities
            .iter()
            .map(|e| e.name.clone())
            .chain(d.enums.iter().map(|e| format!("{} (enum)", e.name)));
        for (i, name) in names.enumerate() {
            let mut alias =
                if plain_word(&name) && !PLANTUML_WORDS.contains(&name.to_lowercase().as_str()) {
                    name.clone()
                } else {
                    format!("e{}", i + 1)
                };
            while !taken.insert(alias.to_lowercase()) {
                alias.push('_');
            }
            out.push((name, alias));
        }
        Aliases(out)
    }

    fn of(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a.as_str())
            .expect("every entity has an alias")
    }

    fn of_enum(&self, name: &str) -> &str {
        self.of(&format!("{name} (enum)"))
    }
}

/// A dot ID: always double-quoted, with `\` and `"` escaped and line breaks made spaces.
fn dot_id(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside an HTML-like dot label.
fn html(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if needs_escape(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"
[enums.mood]
values = ["happy", "so-so"]

[tables.users]
primary_key = ["id"]

[tables.users.columns]
id    = { type = "uuid" }
email = { type = "varchar(255)", not_null = true }
mood  = { type = "mood" }

[[tables.users.unique]]
columns = ["email"]

[tables.profiles]
primary_key = ["user_id"]

[tables.profiles.columns]
user_id = { type = "uuid" }
bio     = { type = "text" }

[[tables.profiles.foreign_keys]]
columns = ["user_id"]
references = { table = "users" }

[tables.posts]
primary_key = ["id"]

[tables.posts.columns]
id        = { type = "bigint" }
author_id = { type = "uuid", not_null = true }
editor_id = { type = "uuid" }
price     = { type = "numeric(10,2)" }
at        = { type = "timestamp with time zone" }

[[tables.posts.foreign_keys]]
columns = ["author_id"]
references = { table = "users" }

[[tables.posts.foreign_keys]]
columns = ["editor_id"]
references = { table = "users" }

[[tables.posts.indexes]]
unique = true
columns = ["editor_id"]
"#;

    fn diagram(toml: &str, filter: &Filter) -> Diagram {
        let loaded = schemadiff_model::load_str("schema.toml", toml).unwrap();
        Diagram::of(&loaded.schema, filter)
    }

    #[test]
    fn keys_and_cardinality() {
        let d = diagram(SCHEMA, &Filter::default());
        let m = d.mermaid();
        assert!(
            m.starts_with("erDiagram\n    users {\n        uuid id PK\n"),
            "{m}"
        );
        assert!(m.contains("        varchar(255) email UK\n"), "{m}");
        assert!(m.contains("        uuid author_id FK\n"), "{m}");
        assert!(
            m.contains("        uuid editor_id FK, UK \"nullable\"\n"),
            "{m}"
        );
        assert!(
            m.contains("        numeric(10,2) price \"nullable\"\n"),
            "{m}"
        );
        assert!(
            m.contains("        timestamp_with_time_zone at \"nullable\"\n"),
            "{m}"
        );
        // A profile is identified by its user: exactly one user, at most one profile.
        assert!(
            m.contains("    users ||--o| profiles : \"user_id\"\n"),
            "{m}"
        );
        // Every post has one author; an author has any number of posts.
        assert!(
            m.contains("    users ||..o{ posts : \"author_id\"\n"),
            "{m}"
        );
        // A post may have no editor; an editor edits at most one post (unique index).
        assert!(
            m.contains("    users |o..o| posts : \"editor_id\"\n"),
            "{m}"
        );
        assert!(
            m.contains("    \"mood (enum)\" {\n        value happy\n        value `so-so`\n"),
            "{m}"
        );
        let p = d.plantuml();
        assert!(p.contains("users ||--o| profiles : \"user_id\"\n"), "{p}");
        assert!(p.contains("  * author_id : uuid <<FK>>\n"), "{p}");
        let g = d.dot();
        assert!(
            g.contains("\"posts\" -> \"users\" [arrowhead=teetee, arrowtail=crowodot, style=dashed, label=\"author_id\"];"),
            "{g}"
        );
    }

    #[test]
    fn filters_leave_out_tables_and_their_relationships() {
        let only = Filter {
            schemas: vec![],
            exclude: vec!["pro*".into()],
        };
        let d = diagram(SCHEMA, &only);
        let names: Vec<&str> = d.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["users", "posts"]);
        assert!(d.relationships.iter().all(|r| r.child != "profiles"));
        let none = diagram(
            SCHEMA,
            &Filter {
                schemas: vec!["billing".into()],
                exclude: vec![],
            },
        );
        assert!(none.entities.is_empty() && none.enums.is_empty());
        assert!(glob("a*c?", "abbbcd") && !glob("a*c", "abd") && glob("*", ""));
    }

    #[test]
    fn hostile_names_stay_inside_their_quotes() {
        let d = Diagram {
            entities: vec![
                Entity {
                    name: "end".into(),
                    attributes: vec![],
                },
                Entity {
                    name: "one\"}\n%%x\\".into(),
                    attributes: vec![
                        Attribute {
                            name: "pk".into(),
                            data_type: "\"my type\" }".into(),
                            not_null: true,
                            pk: true,
                            fk: false,
                            uk: false,
                        },
                        Attribute {
                            name: "a`b }\n".into(),
                            data_type: "9int".into(),
                            not_null: true,
                            pk: false,
                            fk: false,
                            uk: false,
                        },
                    ],
                },
            ],
            enums: vec![],
            relationships: vec![Relationship {
                parent: "one\"}\n%%x\\".into(),
                child: "end".into(),
                columns: vec!["x\"y".into()],
                parent_optional: false,
                child_unique: false,
                identifying: false,
            }],
        };
        let m = d.mermaid();
        assert_eq!(
            m,
            "erDiagram\n    \"end\" {\n    }\n    \"one_}___x_\" {\n        _my_type___ `pk` PK\n        _9int `a_b }_`\n    }\n    \"one_}___x_\" ||..o{ \"end\" : \"x'y\"\n"
        );
        let g = d.dot();
        assert!(g.contains("\"one\\\"} %%x\\\\\" [label=<"), "{g}");
        assert!(g.contains("<b>one&quot;} %%x\\</b>"), "{g}");
        let p = d.plantuml();
        assert!(p.contains("entity \"one') %%x\\\" as e2 {"), "{p}");
        assert!(p.contains("entity \"end\" as e1 {"), "{p}");
    }

    #[test]
    fn partitions_are_drawn_as_their_partitioned_table() {
        let d = diagram(
            "[tables.events]\npartition_by = \"RANGE (at)\"\n[tables.events.columns]\nat = \"date\"\n\n[tables.events_2026]\npartition_of = \"events\"\nbounds = \"DEFAULT\"\n",
            &Filter::default(),
        );
        let m = d.mermaid();
        assert!(
            m.contains("    events {\n        date at \"nullable\"\n"),
            "{m}"
        );
        assert!(!m.contains("events_2026"), "{m}");
    }

    #[test]
    fn formats_from_file_names() {
        assert_eq!(Format::of_file("docs/erd.mmd"), Some(Format::Mermaid));
        assert_eq!(Format::of_file("erd.PUML"), Some(Format::PlantUml));
        assert_eq!(Format::of_file("erd.gv"), Some(Format::Dot));
        assert_eq!(Format::of_file("erd.png"), None);
    }
}
