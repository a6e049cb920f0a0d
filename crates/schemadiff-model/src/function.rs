//! Functions and procedures, in one place for the model stage: the type, its schema.toml form (decoding and
//! dump), its CREATE DDL and its checks. Introspection is `schemadiff_catalog::function`, the diff
//! `schemadiff_diff::function`.
//!
//! ```toml
//! [functions."set_updated_at()"]
//! returns = "trigger"
//! language = "plpgsql"
//! body = '''
//! BEGIN
//!   NEW.updated_at := now();
//!   RETURN NEW;
//! END;
//! '''
//!
//! [procedures."archive(p_before timestamp with time zone)"]
//! language = "sql"
//! body = '''
//! BEGIN ATOMIC
//!   DELETE FROM events WHERE at < p_before;
//! END'''
//! ```
//!
//! The key is the name with its argument list as CREATE FUNCTION takes it (modes, names, types, defaults);
//! overloads are keys of one name with different argument types. The server prints the argument list back
//! (`pg_get_function_arguments`), which is what dump writes. A body in a procedural language is opaque text,
//! kept byte for byte: written between dollar quotes whose tag does not occur in it. A SQL-standard body
//! (`BEGIN ATOMIC ... END`, `RETURN expr`) is SQL the server parses: it is lexed like every other fragment, and
//! read back as the server prints it.

use std::fmt::Write;

use crate::dump::{comment_line, flag, toml_key, toml_string};
use crate::fragment::{FragmentKind, escape_literal, inert};
use crate::ident::{QualifiedName, quote_ident, quote_literal};
use crate::load::{Decoder, Key, ObjectPath, Val};
use crate::source::Diagnostic;

/// A function or a procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: QualifiedName,
    pub procedure: bool,
    /// The argument list as written in CREATE FUNCTION (modes, names, types, defaults), or as the server
    /// prints it (`pg_get_function_arguments`).
    pub arguments: String,
    /// The input argument types (`oidvectortypes(proargtypes)`), which with the name identify it among
    /// overloads; read from the catalog (empty as written).
    pub signature: String,
    /// `RETURNS ...`: a type, `SETOF type` or `TABLE(...)`; `None` for procedures.
    pub returns: Option<String>,
    pub language: String,
    /// The body: the text between the dollar quotes, byte for byte, or a SQL-standard body
    /// (`BEGIN ATOMIC ... END`, `RETURN expr`).
    pub body: String,
    /// `"immutable"` or `"stable"`; `None` is VOLATILE, the default.
    pub volatility: Option<String>,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    /// `"safe"` or `"restricted"`; `None` is PARALLEL UNSAFE, the default.
    pub parallel: Option<String>,
    /// COST, when not the default of its language (100, or 1 for C and internal functions).
    pub cost: Option<String>,
    /// ROWS, when not the default (1000 for set-returning functions).
    pub rows: Option<String>,
    /// `SET name = value`, sorted by name.
    pub set: Vec<(String, String)>,
    pub comment: Option<String>,
    /// What the function uses according to the catalog (types of its arguments and result, and the tables,
    /// columns and functions of a SQL-standard body); empty as written.
    pub uses: Vec<FunctionUse>,
    /// What uses the function according to the catalog (defaults and generated columns, constraints,
    /// indexes, views, triggers, other functions' SQL-standard bodies); empty as written.
    pub used_by: Vec<FunctionUser>,
}

/// Something that uses a function, from `pg_depend`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FunctionUser {
    /// The default or generation expression of a column: table, column.
    Default(QualifiedName, String),
    /// A constraint of a table (a check, an exclusion): table, constraint name.
    Constraint(QualifiedName, String),
    /// An index (an expression or predicate): table, index name.
    Index(QualifiedName, String),
    /// A view or materialized view.
    View(QualifiedName),
    /// A trigger: relation, trigger name.
    Trigger(QualifiedName, String),
    /// A function with a SQL-standard body: name, input argument types.
    Function(QualifiedName, String),
}

/// Something a function uses, or something that uses a function, from `pg_depend`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FunctionUse {
    /// A table, view or materialized view as a whole.
    Relation(QualifiedName),
    /// One column of a table or view.
    Column(QualifiedName, String),
    /// A type defined in the database (an enum, a table's row type).
    Type(QualifiedName),
    /// A function, by name and input argument types.
    Function(QualifiedName, String),
}

/// The variables whose value is a list of names (`SET search_path = a, "b c"`).
const LIST_VARIABLES: &[&str] = &["search_path", "temp_tablespaces"];

impl Function {
    pub fn new(name: QualifiedName, procedure: bool) -> Self {
        Function {
            name,
            procedure,
            arguments: String::new(),
            signature: String::new(),
            returns: None,
            language: "sql".into(),
            body: String::new(),
            volatility: None,
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel: None,
            cost: None,
            rows: None,
            set: Vec::new(),
            comment: None,
            uses: Vec::new(),
            used_by: Vec::new(),
        }
    }

    /// `FUNCTION` or `PROCEDURE`.
    pub fn kind_sql(&self) -> &'static str {
        if self.procedure {
            "PROCEDURE"
        } else {
            "FUNCTION"
        }
    }

    /// The schema.toml section of its kind.
    pub fn section(&self) -> &'static str {
        if self.procedure {
            "procedures"
        } else {
            "functions"
        }
    }

    /// `public.f(a integer)`: the name and the argument list as written.
    pub fn key(&self) -> String {
        format!("{}({})", self.name, self.arguments)
    }

    /// `public.f(integer)`: its identity.
    pub fn identity(&self) -> String {
        format!("{}({})", self.name, self.signature)
    }

    /// `function public.f(integer)`, for people.
    pub fn label(&self) -> String {
        format!(
            "{} {}({})",
            self.kind_sql().to_lowercase(),
            self.name.sql(),
            self.signature
        )
    }

    /// `public.f(integer)` as SQL names it in DROP, COMMENT and ALTER (types only).
    pub fn sql_signature(&self) -> String {
        if self.signature.is_empty() && !self.arguments.is_empty() {
            // As written (not read back yet): the arguments without their defaults.
            return format!(
                "{}({})",
                self.name.sql(),
                inert(&without_defaults(&self.arguments))
            );
        }
        format!("{}({})", self.name.sql(), self.signature)
    }

    /// The body is SQL the server parses (`BEGIN ATOMIC ... END` or `RETURN expr`), not a string.
    pub fn sql_standard_body(&self) -> bool {
        self.language == "sql" && sql_standard(&self.body)
    }

    /// SECURITY DEFINER without a pinned `search_path`: a caller's schemas could shadow what it names.
    pub fn definer_without_search_path(&self) -> bool {
        self.security_definer && !self.set.iter().any(|(k, _)| k == "search_path")
    }
}

/// An argument list without its defaults (`a integer DEFAULT 1, b text` -> `a integer, b text`): commas and
/// `DEFAULT`/`=` are cut outside quotes and parentheses only.
pub fn without_defaults(arguments: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut skipping = false;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let chars: Vec<char> = arguments.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else {
            match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    parts.push(current.trim().to_string());
                    current.clear();
                    skipping = false;
                    i += 1;
                    continue;
                }
                '=' if depth == 0 => skipping = true,
                _ if depth == 0
                    && !skipping
                    && c.is_ascii_alphabetic()
                    && (i == 0 || chars[i - 1].is_whitespace())
                    && chars[i..]
                        .iter()
                        .take(7)
                        .collect::<String>()
                        .eq_ignore_ascii_case("default")
                    && chars.get(i + 7).is_none_or(|n| n.is_whitespace()) =>
                {
                    skipping = true
                }
                _ => {}
            }
        }
        if !skipping {
            current.push(c);
        }
        i += 1;
    }
    parts.push(current.trim().to_string());
    parts.retain(|p| !p.is_empty());
    parts.join(", ")
}

/// Whether `text` holds `name` as a word (letter case aside), as an unquoted or quoted name would be written.
pub fn mentions(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let text = text.to_lowercase();
    let name = name.to_lowercase();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    text.match_indices(&name).any(|(i, _)| {
        !word(text[..i].chars().next_back()) && !word(text[i + name.len()..].chars().next())
    })
}

/// Whether `body` is a SQL-standard body.
pub fn sql_standard(body: &str) -> bool {
    let words: Vec<String> = body
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .take(2)
        .map(str::to_ascii_lowercase)
        .collect();
    match words.as_slice() {
        [first, second] if first == "begin" => second == "atomic",
        [first, ..] => first == "return",
        _ => false,
    }
}

pub(crate) const FUNCTION_KEYS: &[&str] = &[
    "returns",
    "language",
    "body",
    "volatility",
    "strict",
    "security",
    "leakproof",
    "parallel",
    "cost",
    "rows",
    "set",
    "comment",
    "grants",
    "owner",
];
pub(crate) const PROCEDURE_KEYS: &[&str] = &[
    "language", "body", "security", "set", "comment", "grants", "owner",
];
const VOLATILITIES: [&str; 3] = ["immutable", "stable", "volatile"];
const PARALLEL: [&str; 3] = ["safe", "restricted", "unsafe"];
const SECURITY: [&str; 2] = ["definer", "invoker"];

/// `name(arguments)` split into the name and the argument list; `None` without the parentheses.
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in key.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                let rest = key[i + 1..].trim_end();
                let args = rest.strip_suffix(')')?;
                return Some((key[..i].trim_end(), args.trim()));
            }
            _ => {}
        }
    }
    None
}

impl Decoder {
    /// One entry of `[functions]` or `[procedures]`.
    pub(crate) fn function(&mut self, k: &Key, v: &Val, procedure: bool) -> Option<Function> {
        let noun = if procedure { "procedure" } else { "function" };
        let section = if procedure { "procedures" } else { "functions" };
        let key: &str = k.get_ref();
        let Some((name_text, arguments)) = split_key(key) else {
            self.error(
                Diagnostic::new(
                    k.span(),
                    format!("the key of a {noun} is its name and its arguments"),
                )
                .label("no argument list")
                .help(format!(
                    "write `[{section}.\"{key}()\"]`, or `[{section}.\"{key}(a integer, b text)\"]`"
                )),
            );
            return None;
        };
        let name = self.function_name(section, noun, name_text, key, k.span())?;
        let what = format!("{noun} `{key}`");
        let path = ObjectPath::Function(name.clone(), arguments.to_string());
        let hint = format!("write `[{section}.\"name(arguments)\"]` with `language` and `body`");
        let obj = self.element(
            path,
            k.span(),
            v,
            what.clone(),
            &hint,
            if procedure {
                PROCEDURE_KEYS
            } else {
                FUNCTION_KEYS
            },
        )?;
        let mut f = Function::new(name, procedure);
        f.arguments = arguments.to_string();
        if !procedure {
            f.returns = self
                .opt_string(&obj, "returns")
                .map(|r| r.trim().to_string());
            if f.returns.is_none() && obj.get("returns").is_none() {
                self.error(
                    Diagnostic::new(k.span(), format!("{what} has no `returns`"))
                        .label("`returns` is missing")
                        .help("add `returns = \"void\"` (or the type it returns, `SETOF t`, `TABLE(...)`)"),
                );
            }
        }
        f.language = self
            .opt_string(&obj, "language")
            .map(|l| l.trim().to_ascii_lowercase())
            .unwrap_or_else(|| "sql".into());
        match self.string(&obj, "body") {
            Some(b) => f.body = b.into_inner(),
            None if obj.get("body").is_none() => self.error(
                Diagnostic::new(k.span(), format!("{what} has no `body`"))
                    .label("`body` is missing")
                    .help("add `body = '''` ... `'''` (a multi-line literal string keeps it as written)"),
            ),
            None => {}
        }
        if !procedure {
            f.volatility = self
                .choice(&obj, "volatility", &VOLATILITIES)
                .filter(|v| v != "volatile");
            f.strict = self.boolean(&obj, "strict");
            f.leakproof = self.boolean(&obj, "leakproof");
            f.parallel = self
                .choice(&obj, "parallel", &PARALLEL)
                .filter(|p| p != "unsafe");
            f.cost = self.number(&obj, "cost");
            f.rows = self.number(&obj, "rows");
        }
        f.security_definer = self.choice(&obj, "security", &SECURITY).as_deref() == Some("definer");
        f.set = self.string_map(&obj, "set");
        f.set.sort();
        f.comment = self.opt_string(&obj, "comment");
        let target = crate::grant::GrantTarget::Function(
            f.name.clone(),
            without_defaults(&f.arguments),
            procedure,
        );
        self.grants(&obj, target.clone());
        self.owner(&obj, target);
        Some(f)
    }
}

/// The argument list as the key writes it, with only the spacing of the server's form compared: used to
/// tell two keys of one function apart from two overloads (which the server decides).
fn normalized_arguments(args: &str) -> String {
    args.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Decoder {
    fn function_name(
        &mut self,
        section: &'static str,
        noun: &str,
        name_text: &str,
        key: &str,
        span: crate::source::Span,
    ) -> Option<QualifiedName> {
        let name = match QualifiedName::parse(name_text) {
            Ok(q) => q,
            Err(msg) => {
                self.error(Diagnostic::new(span, format!("invalid name: {msg}")));
                return None;
            }
        };
        // Overloads share a name: the declaration is the name with its argument list.
        let (_, args) = split_key(key).unwrap_or(("", ""));
        let declared = QualifiedName::new(
            name.schema.clone(),
            format!("{}({})", name.name, normalized_arguments(args)),
        );
        self.declare_name(section, noun, declared, key, span)?;
        Some(name)
    }
}

/// `CREATE FUNCTION ...` (or `CREATE OR REPLACE` with `replace`) for `f`.
pub fn create_function(f: &Function, replace: bool) -> String {
    let mut sql = format!(
        "CREATE {}{} {}({})",
        if replace { "OR REPLACE " } else { "" },
        f.kind_sql(),
        f.name.sql(),
        inert(&f.arguments)
    );
    if let Some(r) = &f.returns {
        let _ = write!(sql, "\n RETURNS {}", inert(r));
    }
    let _ = write!(sql, "\n LANGUAGE {}", quote_ident(&f.language));
    let mut options = Vec::new();
    if let Some(v) = &f.volatility {
        options.push(v.to_uppercase());
    }
    if f.strict {
        options.push("STRICT".into());
    }
    if f.security_definer {
        options.push("SECURITY DEFINER".into());
    }
    if f.leakproof {
        options.push("LEAKPROOF".into());
    }
    if let Some(p) = &f.parallel {
        options.push(format!("PARALLEL {}", p.to_uppercase()));
    }
    if let Some(c) = &f.cost {
        options.push(format!("COST {c}"));
    }
    if let Some(r) = &f.rows {
        options.push(format!("ROWS {r}"));
    }
    if !options.is_empty() {
        let _ = write!(sql, "\n {}", options.join(" "));
    }
    for (k, v) in &f.set {
        let _ = write!(sql, "\n SET {k} = {}", setting_value(k, v));
    }
    if f.sql_standard_body() {
        let _ = write!(sql, "\n{}", inert(f.body.trim()));
    } else {
        let _ = write!(sql, "\nAS {}", quoted_body(&f.body));
    }
    sql
}

/// The value of `SET name = value`: a list of names for list variables, else a string.
fn setting_value(name: &str, value: &str) -> String {
    if LIST_VARIABLES.contains(&name) {
        list_items(value)
            .map(|items| {
                items
                    .iter()
                    // `SET search_path = ''` is stored as `""`: an empty item, which is written as a literal
                    // (an empty quoted identifier is a syntax error).
                    .map(|i| {
                        if i.is_empty() {
                            "''".to_string()
                        } else {
                            quote_ident(i)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_else(|| quote_literal(value))
    } else {
        quote_literal(value)
    }
}

/// The names of a list value (`public, "$user"`), or `None` when it is not one.
pub fn list_items(value: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        item.push('"');
                    }
                    '"' => break,
                    c => item.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c.is_whitespace() {
                    break;
                }
                if !(c.is_alphanumeric() || c == '_' || c == '$') {
                    return None;
                }
                item.push(c);
                chars.next();
            }
            if item.is_empty() {
                return None;
            }
        }
        out.push(item);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(out),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

/// A body between dollar quotes whose tag does not occur in it; a body with a line that a migration tool
/// could read as its marker (`-- +goose Down`, `-- migrate:down`, `-- //@UNDO`), or with a control
/// character other than a line break or a tab, as one escaped `E'...'` string instead (same value, one
/// line).
pub fn quoted_body(body: &str) -> String {
    if body.lines().any(marker_like)
        || body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        || body.contains(['\u{2028}', '\u{2029}'])
    {
        return escape_literal(body);
    }
    let mut tag = String::new();
    let mut n = 0;
    while body.contains(&format!("${tag}$")) || body.ends_with(&format!("${tag}")) {
        n += 1;
        tag = if n == 1 {
            "body".into()
        } else {
            format!("body{n}")
        };
    }
    format!("${tag}${body}${tag}$")
}

/// A line that starts (after spaces) with a line comment whose text a migration tool reads as a directive.
fn marker_like(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("--") else {
        return false;
    };
    let rest = rest.trim_start();
    rest.starts_with('+')
        || rest.starts_with("migrate:")
        || rest.starts_with("//")
        || rest.starts_with('@')
}

/// Functions in an order that creates each after the functions its SQL-standard body calls (known from
/// `uses` once read from a catalog), else in the order given.
pub fn creation_order(mut left: Vec<&Function>) -> Vec<&Function> {
    let mut done: Vec<&Function> = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready = left.iter().position(|f| {
            f.uses.iter().all(|u| match u {
                FunctionUse::Function(n, s) => {
                    !left.iter().any(|o| &o.name == n && &o.signature == s)
                        || (n == &f.name && s == &f.signature)
                }
                _ => true,
            })
        });
        done.push(left.remove(ready.unwrap_or(0)));
    }
    done
}

/// `COMMENT ON FUNCTION f(types) IS ...`.
pub fn comment_on_function(f: &Function, comment: &Option<String>) -> String {
    format!(
        "COMMENT ON {} {} IS {}",
        f.kind_sql(),
        f.sql_signature(),
        comment.as_deref().map_or("NULL".into(), quote_literal)
    )
}

/// `DROP FUNCTION f(types)`.
pub fn drop_function(f: &Function) -> String {
    format!("DROP {} {}", f.kind_sql(), f.sql_signature())
}

/// The schema.toml text of `f`.
pub(crate) fn dump(out: &mut String, f: &Function, owner: Option<&str>) {
    let _ = writeln!(out, "[{}.{}]", f.section(), toml_key(&f.key()));
    crate::owner::line(out, owner);
    if let Some(r) = &f.returns {
        let _ = writeln!(out, "returns = {}", toml_string(r));
    }
    let _ = writeln!(out, "language = {}", toml_string(&f.language));
    if let Some(v) = &f.volatility {
        let _ = writeln!(out, "volatility = {}", toml_string(v));
    }
    flag(out, "strict", f.strict);
    if f.security_definer {
        out.push_str("security = \"definer\"\n");
    }
    flag(out, "leakproof", f.leakproof);
    if let Some(p) = &f.parallel {
        let _ = writeln!(out, "parallel = {}", toml_string(p));
    }
    if let Some(c) = &f.cost {
        let _ = writeln!(out, "cost = {c}");
    }
    if let Some(r) = &f.rows {
        let _ = writeln!(out, "rows = {r}");
    }
    if !f.set.is_empty() {
        let pairs: Vec<String> = f
            .set
            .iter()
            .map(|(k, v)| {
                // An empty list (`SET search_path = ''`, read back as `""`) is written as it is declared.
                let v = if v == "\"\"" && LIST_VARIABLES.contains(&k.as_str()) {
                    ""
                } else {
                    v
                };
                format!("{} = {}", toml_key(k), toml_string(v))
            })
            .collect();
        let _ = writeln!(out, "set = {{ {} }}", pairs.join(", "));
    }
    comment_line(out, &f.comment);
    let _ = writeln!(out, "body = {}", body_string(&f.body));
    out.push('\n');
}

/// A body as a TOML multi-line literal string when it can be one (readable, byte for byte: the line break
/// after the opening quotes is not part of the value), else a basic string with escapes.
fn body_string(text: &str) -> String {
    let fits = !text.contains("'''")
        && !text.ends_with('\'')
        && !text.contains('\r')
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t');
    if fits && text.contains('\n') {
        format!("'''\n{text}'''")
    } else {
        toml_string(text)
    }
}

/// The checks of the model stage: names, arguments, return type, body and settings.
pub(crate) fn check(c: &mut crate::validate::Checker, f: &Function) {
    let p = ObjectPath::Function(f.name.clone(), f.arguments.clone());
    let noun = if f.procedure { "procedure" } else { "function" };
    let what = format!("{noun} `{}`", f.key());
    c.name(&p, "", &what, &f.name.name);
    if !f.arguments.is_empty() {
        let wrapped = format!("({})", f.arguments);
        if let Err(e) = crate::fragment::check(&wrapped, FragmentKind::Expression) {
            c.err(
                &p,
                "",
                format!("the arguments of {what} are refused: {}", e.message),
            )
            .help = Some(e.help);
        }
    }
    if let Some(r) = &f.returns {
        if r.is_empty() {
            c.err(&p, "returns", format!("{what} has an empty `returns`"))
                .help = Some("write the type it returns, or `void`".into());
        } else {
            let wrapped = format!("({r})");
            if let Err(e) = crate::fragment::check(&wrapped, FragmentKind::Expression) {
                c.err(
                    &p,
                    "returns",
                    format!("the return type of {what} is refused: {}", e.message),
                )
                .help = Some(e.help);
            }
        }
    }
    if f.language.is_empty()
        || !f
            .language
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
    {
        c.err(
            &p,
            "language",
            format!("{what} has an invalid language `{}`", f.language),
        )
        .help = Some("write a language's name: `sql`, `plpgsql`, ...".into());
    }
    c.no_nul(&p, "body", "the body", Some(&f.body));
    if f.sql_standard_body() {
        c.fragment(
            &p,
            "body",
            &format!("the body of {what}"),
            Some(f.body.trim()),
            FragmentKind::AtomicBody,
        );
    } else if f.body.trim().is_empty() && f.language != "internal" && c.spans.has_field(&p, "body")
    {
        c.err(&p, "body", format!("{what} has an empty body")).help =
            Some("write its body between `'''` and `'''`".into());
    }
    for (k, v) in &f.set {
        let valid = !k.is_empty()
            && k.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' || ch == '.')
            && !k.starts_with('.')
            && !k.ends_with('.');
        if !valid {
            c.err(
                &p,
                "set",
                format!("`{k}` in `set` of {what} is not a setting's name"),
            )
            .help = Some("write names of settings in lower case: `search_path`, `work_mem`".into());
        }
        if LIST_VARIABLES.contains(&k.as_str()) && !v.is_empty() && list_items(v).is_none() {
            c.err(
                &p,
                "set",
                format!("`{k}` in `set` of {what} is not a list of names"),
            )
            .help = Some("write names separated by commas: `public, pg_temp`".into());
        }
        c.no_nul(&p, "set", "a setting", Some(v));
    }
    c.no_nul(&p, "comment", "the comment", f.comment.as_deref());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_into_name_and_arguments() {
        assert_eq!(split_key("f()"), Some(("f", "")));
        assert_eq!(
            split_key("s.\"a(b\"(x integer, y text DEFAULT 'a)')"),
            Some(("s.\"a(b\"", "x integer, y text DEFAULT 'a)'"))
        );
        assert_eq!(split_key("f"), None);
    }

    #[test]
    fn defaults_are_left_out_of_the_signature() {
        assert_eq!(
            without_defaults("a integer DEFAULT 1, b text = 'x, y', \"default\" int"),
            "a integer, b text, \"default\" int"
        );
        assert_eq!(
            without_defaults("VARIADIC v integer[]"),
            "VARIADIC v integer[]"
        );
    }

    #[test]
    fn sql_standard_bodies_are_recognized() {
        assert!(sql_standard("BEGIN ATOMIC\n SELECT 1;\nEND"));
        assert!(sql_standard("return 1"));
        assert!(sql_standard("RETURN(1)"));
        assert!(!sql_standard("\nBEGIN\n RETURN NEW;\nEND;\n"));
        assert!(!sql_standard("select 1"));
    }

    #[test]
    fn bodies_get_a_tag_they_do_not_contain() {
        assert_eq!(quoted_body("select 1"), "$$select 1$$");
        assert_eq!(quoted_body("select '$$'"), "$body$select '$$'$body$");
        assert_eq!(
            quoted_body("select '$$', '$body$'"),
            "$body2$select '$$', '$body$'$body2$"
        );
        // A body ending in `$` would otherwise close early with `$$`.
        assert_eq!(quoted_body("select 1 -- $"), "$body$select 1 -- $$body$");
    }

    #[test]
    fn a_body_line_that_looks_like_a_marker_is_never_a_line_of_the_file() {
        for body in [
            "BEGIN\n-- +goose Down\nRETURN 1;\nEND;",
            "BEGIN\n  -- migrate:down\nEND;",
            "BEGIN\n-- //@UNDO\nEND;",
            "BEGIN\r-- +goose Down\rEND;",
        ] {
            let q = quoted_body(body);
            assert!(
                q.starts_with("E'") && !q.contains('\n') && !q.contains('\r'),
                "{q}"
            );
        }
        // An ordinary comment keeps the readable form.
        assert!(quoted_body("BEGIN\n  -- bump it\nEND;").starts_with("$$"));
    }

    #[test]
    fn list_settings() {
        assert_eq!(
            list_items("public, pg_temp"),
            Some(vec!["public".into(), "pg_temp".into()])
        );
        assert_eq!(
            list_items("\"$user\", \"a \"\"b\"").unwrap(),
            vec!["$user".to_string(), "a \"b".to_string()]
        );
        assert_eq!(list_items("public; drop"), None);
        assert_eq!(
            setting_value("search_path", "\"$user\", public"),
            "\"$user\", public"
        );
        assert_eq!(setting_value("work_mem", "64MB"), "'64MB'");
        // `SET search_path = ''` (Supabase's advice for SECURITY DEFINER functions) reads back as `""`.
        assert_eq!(setting_value("search_path", "\"\""), "''");
        assert_eq!(setting_value("search_path", "\"\", public"), "'', public");
        assert_eq!(setting_value("search_path", ""), "''");
    }
}
