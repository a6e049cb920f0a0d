//! Names: schema-qualified names as written in schema.toml, and SQL quoting of identifiers and literals.

use std::fmt;

/// PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// The schema objects live in when a name gives none.
pub const DEFAULT_SCHEMA: &str = "public";

/// A schema-qualified object name. Both parts are exact names (no case folding).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// Parse a name as schema.toml writes it: `name` or `schema.name`. A part that contains a dot or a double
    /// quote is written in double quotes, with `""` for a quote inside, as in SQL; no other folding applies,
    /// so `Users` names the table "Users".
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts = split_name(text)?;
        match parts.as_slice() {
            [name] => Ok(QualifiedName::new(DEFAULT_SCHEMA, name.clone())),
            [schema, name] => Ok(QualifiedName::new(schema.clone(), name.clone())),
            _ => Err(format!(
                "`{text}` has {} dot-separated parts; write `name` or `schema.name` (put a name that contains a dot in double quotes)",
                parts.len()
            )),
        }
    }

    /// Parse a reference to an object found through the search path when it has no schema (a collation, an
    /// operator class): `name` or `schema.name`, with the same double-quote rule as [`QualifiedName::parse`].
    pub fn parse_reference(text: &str) -> Result<(Option<String>, String), String> {
        let mut parts = split_name(text)?;
        match parts.len() {
            1 => Ok((None, parts.remove(0))),
            2 => {
                let name = parts.remove(1);
                Ok((Some(parts.remove(0)), name))
            }
            n => Err(format!(
                "`{text}` has {n} dot-separated parts; write `name` or `schema.name` (put a name that contains a dot in double quotes)"
            )),
        }
    }

    /// The schema.toml text of a reference: `name`, or `schema.name`, parts quoted when they hold a dot.
    pub fn reference_text(schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(s) => format!("{}.{}", toml_name_part(s), toml_name_part(name)),
            None => toml_name_part(name),
        }
    }

    /// The SQL form: `schema.name`, each part quoted when needed.
    pub fn sql(&self) -> String {
        let mut out = String::with_capacity(self.schema.len() + self.name.len() + 5);
        push_quoted_ident(&mut out, &self.schema);
        out.push('.');
        push_quoted_ident(&mut out, &self.name);
        out
    }
}

/// The schema.toml form: the schema is left out when it is `public`.
impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema != DEFAULT_SCHEMA {
            write!(f, "{}.", toml_name_part(&self.schema))?;
        }
        write!(f, "{}", toml_name_part(&self.name))
    }
}

fn toml_name_part(part: &str) -> String {
    if part.is_empty() || part.contains(['.', '"']) {
        format!("\"{}\"", part.replace('"', "\"\""))
    } else {
        part.to_string()
    }
}

fn split_name(text: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(format!("`{text}` has an unclosed double quote")),
                }
            }
            if !matches!(chars.peek(), None | Some('.')) {
                return Err(format!(
                    "`{text}` has text after a closing double quote; a quoted part must be followed by `.` or the end"
                ));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' {
                    return Err(format!(
                        "`{text}` has a double quote inside a name part; quote the whole part, doubling the quote: \"a\"\"b\""
                    ));
                }
                part.push(c);
                chars.next();
            }
            if part.is_empty() {
                return Err(format!("`{text}` has an empty name part"));
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Ok(parts),
            Some('.') => continue,
            Some(_) => unreachable!("a part ends at a dot or the end"),
        }
    }
}

/// Quote an SQL identifier when PostgreSQL needs it quoted: anything but a lowercase ASCII word that is not a
/// reserved word. This is the rule of PostgreSQL's `quote_ident`, except that a name holding a control character is
/// written `U&"..."` with escapes.
pub fn quote_ident(name: &str) -> String {
    if bare_ident(name) {
        name.to_string()
    } else {
        quoted_ident(name)
    }
}

/// [`quote_ident`] appended to `out`.
pub fn push_quoted_ident(out: &mut String, name: &str) {
    if bare_ident(name) {
        out.push_str(name);
    } else {
        out.push_str(&quoted_ident(name));
    }
}

/// Whether `name` stands bare in SQL (lowercase, digits, `_`, not starting with a digit, no keyword).
fn bare_ident(name: &str) -> bool {
    name.bytes()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == b'_')
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        && !is_reserved_keyword(name)
}

/// `name` in double quotes (or the `U&"..."` form).
fn quoted_ident(name: &str) -> String {
    if name.chars().any(crate::fragment::needs_escape) {
        // A raw line break could start a line of a migration file with a marker; a control character could
        // disturb a terminal. The `U&"..."` form escapes them (it reads the same in every setting).
        crate::fragment::escape_identifier(name)
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Quote an SQL string literal. Backslashes are kept literal in every setting of
/// `standard_conforming_strings` by using the `E''` form when one is present, as PostgreSQL's `quote_literal`;
/// line breaks and other control characters are escaped in that form too (the server's function keeps them raw).
pub fn quote_literal(value: &str) -> String {
    if value.chars().any(crate::fragment::needs_escape) {
        // As for names: no raw line break or control character in rendered SQL.
        crate::fragment::escape_literal(value)
    } else if value.contains('\\') {
        format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

/// Whether a word is a PostgreSQL keyword that cannot stand as a bare column or table name (every category
/// but "unreserved"), for PostgreSQL 13 to 18: the union of their lists, so a name is quoted whenever any
/// supported version needs it.
pub fn is_reserved_keyword(word: &str) -> bool {
    // Most names are no keyword: rejected by their first letter and length before the search.
    let b = word.as_bytes();
    let shape = match b.first() {
        Some(c) if c.is_ascii_lowercase() && b.len() < 32 => KEYWORD_SHAPES[usize::from(c - b'a')],
        _ => return false,
    };
    shape & (1 << b.len()) != 0 && RESERVED_KEYWORDS.binary_search(&word).is_ok()
}

/// For each first letter `a`..`z`, the lengths (as bits) of the keywords of `RESERVED_KEYWORDS` that start
/// with it.
const KEYWORD_SHAPES: [u32; 26] = keyword_shapes();

const fn keyword_shapes() -> [u32; 26] {
    let mut out = [0u32; 26];
    let mut i = 0;
    while i < RESERVED_KEYWORDS.len() {
        let w = RESERVED_KEYWORDS[i].as_bytes();
        // Every keyword is lowercase ASCII, shorter than 32 bytes (a test checks it).
        out[(w[0] - b'a') as usize] |= 1 << w.len();
        i += 1;
    }
    out
}

/// Reserved, column-name and type-or-function-name keywords of PostgreSQL 13 to 18 (sorted).
pub const RESERVED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_reject_agrees_with_the_keyword_list() {
        for k in RESERVED_KEYWORDS {
            assert!(
                k.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'),
                "{k}"
            );
            assert!(k.len() < 32, "{k}");
            assert!(is_reserved_keyword(k), "{k}");
        }
        // Near misses: a keyword's first letter and length, a prefix, an extension, other case, odd bytes.
        for w in [
            "",
            "x",
            "al",
            "alk",
            "alls",
            "Select",
            "SELECT",
            "id",
            "name",
            "owner_id",
            "_all",
            "1all",
            "é",
            "tablesample_",
            "usera",
            "user",
        ] {
            assert_eq!(
                is_reserved_keyword(w),
                RESERVED_KEYWORDS.binary_search(&w).is_ok(),
                "{w}"
            );
        }
        assert!(is_reserved_keyword("user"));
        assert!(!is_reserved_keyword("owner_id"));
    }

    #[test]
    fn keyword_list_is_sorted_for_binary_search() {
        assert!(RESERVED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quoting_identifiers() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("version"), "version");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("my table"), "\"my table\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("1st"), "\"1st\"");
        assert_eq!(quote_ident("größe"), "\"größe\"");
        assert_eq!(quote_ident(""), "\"\"");
        assert_eq!(quote_ident("a$b"), "\"a$b\"");
    }

    #[test]
    fn quoting_literals() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b'c"), "E'a\\\\b''c'");
    }

    #[test]
    fn qualified_names() {
        let q = |s| QualifiedName::parse(s);
        assert_eq!(q("users").unwrap(), QualifiedName::new("public", "users"));
        assert_eq!(
            q("billing.Invoices").unwrap(),
            QualifiedName::new("billing", "Invoices")
        );
        assert_eq!(q("\"a.b\"").unwrap(), QualifiedName::new("public", "a.b"));
        assert_eq!(
            q("\"s.x\".\"q\"\"t\"").unwrap(),
            QualifiedName::new("s.x", "q\"t")
        );
        assert!(q("a.b.c").is_err());
        assert!(q("a..b").is_err());
        assert!(q("").is_err());
        assert!(q("\"open").is_err());
        assert!(q("a\"b").is_err());
        assert!(q("\"a\"b").is_err());
        for s in [
            "users",
            "billing.Invoices",
            "\"a.b\"",
            "\"s.x\".\"q\"\"t\"",
            "\"\".x",
        ] {
            assert_eq!(q(s).unwrap().to_string(), s, "display round-trips {s}");
        }
    }
}
