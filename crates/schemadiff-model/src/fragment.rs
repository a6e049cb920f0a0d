//! SQL fragments: the expressions, types and operators that schema.toml holds as text.
//!
//! A fragment reaches a server, a migration file and a terminal only inside the statement of its element
//! (`DEFAULT ...`, `CHECK (...)`, `USING ...`). Two guarantees keep it there:
//!
//! * [`check`] refuses, when schema.toml is loaded, any fragment that could end its element or its statement:
//!   a `;`, a parenthesis or bracket it did not open (or one it leaves open), a `,` outside parentheses, an
//!   unterminated string, quoted name, dollar quote or comment, a reserved word that can only start another
//!   clause, and a string whose end depends on `standard_conforming_strings`. It follows PostgreSQL's lexer
//!   (scan.l), so it sees the fragment's tokens as the server will.
//! * [`inert`] rewrites a fragment, token by token and without changing its meaning, so that no line of it can
//!   start with a migration tool's marker (`-- //@UNDO`, `-- +goose Down`, `-- migrate:down`): comments become a
//!   space, and strings and quoted names holding a line break or another control character are written with
//!   escapes (`E'...\n...'`, `U&"...\000A..."`). Every renderer of DDL passes fragments through it, so what is
//!   verified is byte for byte what is written.
//!
//! Statements are also sent to scratch servers through the extended protocol, which refuses more than one
//! command per statement: a fragment that got past [`check`] still could not add a statement there.

use std::borrow::Cow;

/// What a fragment stands for, which decides what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FragmentKind {
    /// An SQL expression: a default, a check, a generated column, an index expression or predicate, `using`.
    Expression,
    /// A type name: `varchar(255)`, `timestamp(3) with time zone`, `billing."Status"[]`.
    TypeName,
    /// An operator of an exclusion constraint: `&&`, `=`, `OPERATOR(pg_catalog.&&)`.
    Operator,
    /// The query of a view: `SELECT ...`, `WITH ... SELECT ...`, `VALUES ...`, `TABLE t`. Commas and keywords
    /// are its own; a `;`, a clause of the statement around it (`WITH CHECK OPTION`, `WITH [NO] DATA`) and
    /// a start other than a query's are not.
    Query,
    /// A SQL-standard function body: `BEGIN ATOMIC stmt; ... END` (its `;` between the statements are its
    /// own, as psql counts BEGIN/CASE against END) or `RETURN expr` (an expression). Nothing may follow
    /// the `END` that closes it.
    AtomicBody,
    /// A partition key: `RANGE (at)`, `LIST (region)`, `HASH (id)`, `RANGE ((lower(name)) COLLATE "C")`:
    /// one strategy word and one parenthesized list, nothing more.
    PartitionKey,
    /// The bounds of a partition: `DEFAULT`, `FOR VALUES IN (...)`, `FOR VALUES FROM (...) TO (...)`,
    /// `FOR VALUES WITH (modulus 4, remainder 0)`: those words and parenthesized lists, nothing more.
    PartitionBound,
}

/// Why a fragment was refused: the byte offset in the fragment, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentError {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

impl FragmentError {
    fn new(offset: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        FragmentError {
            offset,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Reserved words that cannot stand outside parentheses in an expression: each could only begin another clause
/// of the statement around it (another constraint, another part of CREATE INDEX).
const CLAUSE_WORDS: &[&str] = &[
    "check",
    "constraint",
    "default",
    "deferrable",
    "foreign",
    "initially",
    "on",
    "primary",
    "references",
    "unique",
    "using",
    "where",
];

/// Words that cannot appear in a type name (each begins a column clause).
const TYPE_CLAUSE_WORDS: &[&str] = &[
    "as",
    "check",
    "collate",
    "constraint",
    "default",
    "deferrable",
    "foreign",
    "generated",
    "initially",
    "not",
    "null",
    "on",
    "primary",
    "references",
    "unique",
    "using",
    "where",
];

/// One token of a fragment, as PostgreSQL's lexer cuts it (whitespace included, so tokens cover the text).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Space,
    Comment,
    /// `'...'` (also `B'`, `X'`, `N'`): only `''` is special when standard_conforming_strings is on.
    String,
    /// `E'...'`: backslash escapes.
    EscapeString,
    /// `U&'...'` or `U&"..."`.
    Unicode,
    /// `$tag$...$tag$`.
    Dollar,
    /// `"..."`.
    QuotedName,
    Word,
    Number,
    Param,
    Open(u8),
    Close(u8),
    Semicolon,
    Comma,
    /// Operators and other punctuation (`.`, `::`, `+`, `&&`...), one character at a time.
    Punct,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// The end of a quoted token whose opening quote is at `open`, with `''`-style doubling and, when
/// `backslash` is set, `\`-escapes. None when it does not end.
fn quoted_end(b: &[u8], open: usize, backslash: bool) -> Option<usize> {
    let quote = b[open];
    let mut i = open + 1;
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return Some(i + 1);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// `$$` or `$tag$` at `i`: the length of the tag.
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if j < b.len() && is_ident_start(b[j]) {
        j += 1;
        while j < b.len() && (is_ident_start(b[j]) || b[j].is_ascii_digit()) {
            j += 1;
        }
    }
    (b.get(j) == Some(&b'$')).then_some(j + 1 - i)
}

type Tokens = Vec<(Token, std::ops::Range<usize>)>;

/// Cut `text` into tokens: all of them, or those before what cannot be cut (an unterminated string, name,
/// dollar quote or comment, a string whose end depends on standard_conforming_strings) and the error.
fn tokens(text: &str) -> (Tokens, Option<FragmentError>) {
    let mut out = Vec::new();
    match cut(text, &mut out) {
        Ok(()) => (out, None),
        Err(e) => (out, Some(e)),
    }
}

fn cut(text: &str, out: &mut Tokens) -> Result<(), FragmentError> {
    let b = text.as_bytes();
    let mut i = 0;
    let unterminated = |at: usize, what: &str, how: &str| {
        FragmentError::new(
            at,
            format!("{what} is not closed"),
            format!("close it with {how}: an open {what} would swallow the rest of the statement"),
        )
    };
    while i < b.len() {
        let start = i;
        let c = b[i];
        let next = b.get(i + 1).copied();
        let token = match c {
            b'\0' => {
                return Err(FragmentError::new(
                    i,
                    "a NUL character",
                    "PostgreSQL text cannot hold the NUL character; remove it",
                ));
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b' => {
                while i < b.len()
                    && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b')
                {
                    i += 1;
                }
                Token::Space
            }
            b'-' if next == Some(b'-') => {
                match b[i..].iter().position(|&x| x == b'\n' || x == b'\r') {
                    Some(n) => i += n + 1,
                    None => {
                        return Err(FragmentError::new(
                            i,
                            "a `--` comment runs to the end of the text",
                            "end the comment with a line break, or use /* ... */: a `--` comment at the end would swallow the rest of the line it is written into",
                        ));
                    }
                }
                Token::Comment
            }
            b'/' if next == Some(b'*') => {
                let mut depth = 0;
                loop {
                    if i + 1 >= b.len() {
                        return Err(unterminated(start, "`/*` comment", "`*/`"));
                    }
                    if b[i] == b'/' && b[i + 1] == b'*' {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b[i + 1] == b'/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                Token::Comment
            }
            b'\'' => {
                let on = quoted_end(b, i, false);
                let off = quoted_end(b, i, true);
                match (on, off) {
                    (Some(a), Some(b2)) if a == b2 => i = a,
                    (None, _) => return Err(unterminated(start, "string", "a `'`")),
                    _ => {
                        return Err(FragmentError::new(
                            start,
                            "a string holds a backslash before a quote, so where it ends depends on the server's standard_conforming_strings setting",
                            "write the string as E'...' with `\\\\` for a backslash and `\\'` or `''` for a quote",
                        ));
                    }
                }
                Token::String
            }
            b'"' => {
                i = quoted_end(b, i, false)
                    .ok_or_else(|| unterminated(start, "quoted name", "a `\"`"))?;
                Token::QuotedName
            }
            b'$' if next.is_some_and(|n| n.is_ascii_digit()) => {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                Token::Param
            }
            b'$' => match dollar_tag(b, i) {
                Some(len) => {
                    let tag = &text[i..i + len];
                    let body = i + len;
                    match text[body..].find(tag) {
                        Some(n) => i = body + n + len,
                        None => {
                            return Err(unterminated(
                                start,
                                &format!("dollar quote {tag}"),
                                &format!("`{tag}`"),
                            ));
                        }
                    }
                    Token::Dollar
                }
                None => {
                    i += 1;
                    Token::Punct
                }
            },
            c if is_ident_start(c) => {
                while i < b.len() && is_ident_cont(b[i]) {
                    i += 1;
                }
                let word = &text[start..i];
                let after = b.get(i).copied();
                if after == Some(b'\'') && word.eq_ignore_ascii_case("e") {
                    i = quoted_end(b, i, true)
                        .ok_or_else(|| unterminated(start, "string", "a `'`"))?;
                    Token::EscapeString
                } else if after == Some(b'\'')
                    && ["b", "x", "n"].iter().any(|p| word.eq_ignore_ascii_case(p))
                {
                    i = quoted_end(b, i, false)
                        .ok_or_else(|| unterminated(start, "string", "a `'`"))?;
                    Token::String
                } else if word.eq_ignore_ascii_case("u")
                    && after == Some(b'&')
                    && matches!(b.get(i + 1), Some(b'\'' | b'"'))
                {
                    let what = if b[i + 1] == b'"' {
                        "quoted name"
                    } else {
                        "string"
                    };
                    i = quoted_end(b, i + 1, false)
                        .ok_or_else(|| unterminated(start, what, "a closing quote"))?;
                    if text[start..i].chars().any(needs_escape) {
                        return Err(FragmentError::new(
                            start,
                            "a U& string or name holds a line break or another control character",
                            "write the character as a \\XXXX escape",
                        ));
                    }
                    Token::Unicode
                } else {
                    Token::Word
                }
            }
            c if c.is_ascii_digit() => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                {
                    i += 1;
                }
                Token::Number
            }
            b'(' | b'[' => {
                i += 1;
                Token::Open(c)
            }
            b')' | b']' => {
                i += 1;
                Token::Close(c)
            }
            b';' => {
                i += 1;
                Token::Semicolon
            }
            b',' => {
                i += 1;
                Token::Comma
            }
            _ => {
                // One character at a time (bytes >= 0x80 start words above, so this is ASCII).
                i += 1;
                Token::Punct
            }
        };
        out.push((token, start..i));
    }
    Ok(())
}

/// Refuse a fragment that could end its element or its statement (see the module documentation).
pub fn check(text: &str, kind: FragmentKind) -> Result<(), FragmentError> {
    let (tokens, cut_short) = tokens(text);
    if kind == FragmentKind::Query {
        query_shape(text, &tokens)?;
    }
    if matches!(
        kind,
        FragmentKind::PartitionKey | FragmentKind::PartitionBound
    ) {
        partition_shape(text, &tokens, kind)?;
    }
    if kind == FragmentKind::AtomicBody {
        if let Some(e) = cut_short {
            return Err(e);
        }
        return atomic_body(text, &tokens);
    }
    let mut open: Vec<(u8, usize)> = Vec::new();
    for (token, range) in &tokens {
        let at = range.start;
        let top = open.is_empty();
        match token {
            Token::Semicolon => {
                return Err(FragmentError::new(
                    at,
                    "a `;` would end the statement",
                    "schema.toml takes one expression, type or operator here, never a statement: remove the `;` and what follows",
                ));
            }
            Token::Open(c) => open.push((*c, at)),
            Token::Close(c) => {
                let want = if *c == b')' { b'(' } else { b'[' };
                match open.pop() {
                    Some((o, _)) if o == want => {}
                    Some((o, oat)) => {
                        return Err(FragmentError::new(
                            at,
                            format!(
                                "`{}` closes the `{}` opened at character {}",
                                *c as char,
                                o as char,
                                char_index(text, oat) + 1
                            ),
                            "balance the parentheses and brackets",
                        ));
                    }
                    None => {
                        return Err(FragmentError::new(
                            at,
                            format!(
                                "`{}` closes a parenthesis or bracket that the text did not open",
                                *c as char
                            ),
                            "remove it: it would close the clause around the text",
                        ));
                    }
                }
            }
            Token::Comma if top && kind != FragmentKind::Query => {
                return Err(FragmentError::new(
                    at,
                    "a `,` outside parentheses would end this element and start another",
                    "put the expression in parentheses, or remove the `,`",
                ));
            }
            Token::Comment if !matches!(kind, FragmentKind::Expression | FragmentKind::Query) => {
                return Err(FragmentError::new(
                    at,
                    "a comment has no place here",
                    "remove the comment",
                ));
            }
            Token::Word
                if (top
                    && !matches!(
                        kind,
                        FragmentKind::Query
                            | FragmentKind::PartitionKey
                            | FragmentKind::PartitionBound
                    ))
                    || kind == FragmentKind::TypeName =>
            {
                let word = text[range.clone()].to_ascii_lowercase();
                let words = match kind {
                    FragmentKind::TypeName => TYPE_CLAUSE_WORDS,
                    _ => CLAUSE_WORDS,
                };
                if words.binary_search(&word.as_str()).is_ok() {
                    let what = match kind {
                        FragmentKind::TypeName => "a type name",
                        FragmentKind::Expression => "an expression outside parentheses",
                        FragmentKind::Operator
                        | FragmentKind::Query
                        | FragmentKind::AtomicBody
                        | FragmentKind::PartitionKey
                        | FragmentKind::PartitionBound => "an operator",
                    };
                    return Err(FragmentError::new(
                        at,
                        format!(
                            "the keyword `{}` cannot stand in {what}: it would begin another clause",
                            &text[range.clone()]
                        ),
                        "write only the expression, type or operator here; each clause has its own key in schema.toml",
                    ));
                }
            }
            Token::String | Token::EscapeString | Token::Unicode | Token::Dollar | Token::Param
                if !matches!(
                    kind,
                    FragmentKind::Expression
                        | FragmentKind::Query
                        | FragmentKind::PartitionKey
                        | FragmentKind::PartitionBound
                ) =>
            {
                return Err(FragmentError::new(
                    at,
                    "a string or parameter has no place here",
                    "write a type name or an operator only",
                ));
            }
            Token::Punct if text[at..].chars().next().is_some_and(needs_escape) => {
                return Err(FragmentError::new(
                    at,
                    "a control character stands outside a string",
                    "remove it (inside a string, write it as an escape: E'\\n')",
                ));
            }
            Token::Punct if kind == FragmentKind::TypeName => {
                let c = text.as_bytes()[at];
                if !matches!(c, b'.' | b'+' | b'-') {
                    return Err(FragmentError::new(
                        at,
                        format!("`{}` has no place in a type name", c as char),
                        "write a type such as `varchar(255)`, `numeric(10, 2)`, `schema.type` or `integer[]`",
                    ));
                }
            }
            _ => {}
        }
    }
    if let Some(e) = cut_short {
        return Err(e);
    }
    if let Some((c, at)) = open.pop() {
        return Err(FragmentError::new(
            at,
            format!("`{}` is never closed", c as char),
            "close it: an open parenthesis would take in the rest of the statement",
        ));
    }
    Ok(())
}

/// The shape of a partition key or bound: at depth 0 only the words of the clause and parenthesized lists
/// (what is inside the lists is checked like an expression list by [`check`]).
fn partition_shape(
    text: &str,
    tokens: &[(Token, std::ops::Range<usize>)],
    kind: FragmentKind,
) -> Result<(), FragmentError> {
    // Depth-0 items: a lower-case word, or "()" for a parenthesized list.
    let mut items: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let help = match kind {
        FragmentKind::PartitionKey => {
            "write `RANGE (column, ...)`, `LIST (column)` or `HASH (column, ...)`, with expressions in parentheses"
        }
        _ => {
            "write `DEFAULT`, `FOR VALUES IN (...)`, `FOR VALUES FROM (...) TO (...)` or `FOR VALUES WITH (MODULUS m, REMAINDER r)`"
        }
    };
    for (token, range) in tokens {
        match token {
            Token::Space | Token::Comment => {}
            Token::Open(c) => {
                if depth == 0 {
                    if *c != b'(' {
                        return Err(FragmentError::new(
                            range.start,
                            "`[` has no place here",
                            help,
                        ));
                    }
                    items.push(("()".into(), range.start));
                }
                depth += 1;
            }
            Token::Close(_) => depth = depth.saturating_sub(1),
            Token::Word if depth == 0 => {
                items.push((text[range.clone()].to_ascii_lowercase(), range.start))
            }
            _ if depth == 0 => {
                return Err(FragmentError::new(
                    range.start,
                    format!(
                        "`{}` has no place outside parentheses here",
                        &text[range.clone()]
                    ),
                    help,
                ));
            }
            _ => {}
        }
    }
    let words: Vec<&str> = items.iter().map(|(w, _)| w.as_str()).collect();
    let fits = match kind {
        FragmentKind::PartitionKey => {
            matches!(words.as_slice(), ["range" | "list" | "hash", "()"])
        }
        _ => matches!(
            words.as_slice(),
            ["default"]
                | ["for", "values", "in" | "with", "()"]
                | ["for", "values", "from", "()", "to", "()"]
        ),
    };
    if fits {
        return Ok(());
    }
    // Point at the first item that leaves the shape.
    let shapes: &[&[&str]] = match kind {
        FragmentKind::PartitionKey => &[&["range", "()"], &["list", "()"], &["hash", "()"]],
        _ => &[
            &["default"],
            &["for", "values", "in", "()"],
            &["for", "values", "with", "()"],
            &["for", "values", "from", "()", "to", "()"],
        ],
    };
    let matched = shapes
        .iter()
        .map(|shape| {
            words
                .iter()
                .zip(shape.iter())
                .take_while(|(a, b)| *a == *b)
                .count()
        })
        .max()
        .unwrap_or(0);
    let at = items.get(matched).map_or(text.len(), |(_, at)| *at);
    let what = match kind {
        FragmentKind::PartitionKey => "a partition key",
        _ => "the bounds of a partition",
    };
    Err(FragmentError::new(
        at,
        match items.get(matched) {
            Some((w, _)) if w == "()" => {
                format!("a parenthesized list has no place here in {what}")
            }
            Some((_, at)) => format!(
                "`{}` has no place here in {what}",
                text[*at..].split_whitespace().next().unwrap_or("")
            ),
            None => format!("{what} ends too early"),
        },
        help,
    ))
}

/// A SQL-standard body: `RETURN` and an expression, or `BEGIN ATOMIC`, statements each ended by `;`, and the
/// `END` that closes it last. Depth counts as psql counts it (outside parentheses, BEGIN and CASE open, END
/// closes), so a `;` at depth 0 would end the statement in psql and in every runner that splits as it does.
fn atomic_body(
    text: &str,
    tokens: &[(Token, std::ops::Range<usize>)],
) -> Result<(), FragmentError> {
    let words: Vec<(String, usize)> = tokens
        .iter()
        .filter(|(t, _)| matches!(t, Token::Word))
        .map(|(_, r)| (text[r.clone()].to_ascii_lowercase(), r.start))
        .collect();
    if words.first().is_some_and(|(w, _)| w == "return") {
        let start = words[0].1 + "return".len();
        return check(&text[start..], FragmentKind::Expression).map_err(|mut e| {
            e.offset += start;
            e
        });
    }
    if words.len() < 2 || words[0].0 != "begin" || words[1].0 != "atomic" {
        return Err(FragmentError::new(
            0,
            "a SQL-standard body starts with `BEGIN ATOMIC` or `RETURN`",
            "write `BEGIN ATOMIC ... END` or `RETURN expression`",
        ));
    }
    let mut depth = 0usize;
    let mut parens = 0usize;
    let mut closed = false;
    for (token, range) in tokens {
        let at = range.start;
        if closed && !matches!(token, Token::Space | Token::Comment) {
            return Err(FragmentError::new(
                at,
                "text after the `END` that closes the body would be another statement",
                "end the body with `END`",
            ));
        }
        match token {
            Token::Word if parens == 0 => match text[range.clone()].to_ascii_lowercase().as_str() {
                "begin" => depth += 1,
                "case" if depth >= 1 => depth += 1,
                "end" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if parens > 0 {
                            return Err(FragmentError::new(
                                at,
                                "a parenthesis is left open",
                                "balance the parentheses",
                            ));
                        }
                        closed = true;
                    }
                }
                _ => {}
            },
            Token::Open(_) => parens += 1,
            Token::Close(_) => {
                if parens == 0 {
                    return Err(FragmentError::new(
                        at,
                        "a parenthesis closes what the body did not open",
                        "balance the parentheses",
                    ));
                }
                parens -= 1;
            }
            Token::Semicolon if depth == 0 => {
                return Err(FragmentError::new(
                    at,
                    "a `;` would end the statement",
                    "write the body's statements between `BEGIN ATOMIC` and `END`",
                ));
            }
            _ => {}
        }
    }
    if !closed {
        return Err(FragmentError::new(
            text.len(),
            "the body has no `END` that closes its `BEGIN ATOMIC`",
            "end the body with `END`",
        ));
    }
    Ok(())
}

/// A view's query starts as a query does, and holds no clause of the CREATE VIEW around it at its top level.
fn query_shape(
    text: &str,
    tokens: &[(Token, std::ops::Range<usize>)],
) -> Result<(), FragmentError> {
    let mut depth = 0usize;
    let mut words: Vec<(String, usize)> = Vec::new();
    for (token, range) in tokens {
        match token {
            Token::Open(_) => depth += 1,
            Token::Close(_) => depth = depth.saturating_sub(1),
            Token::Word if depth == 0 => {
                words.push((text[range.clone()].to_ascii_lowercase(), range.start))
            }
            Token::Space | Token::Comment => continue,
            _ => {}
        }
        if words.is_empty() && !matches!(token, Token::Word | Token::Open(b'(')) {
            break;
        }
    }
    let first = tokens
        .iter()
        .find(|(t, _)| !matches!(t, Token::Space | Token::Comment));
    let starts_query = match first {
        Some((Token::Open(b'('), _)) => true,
        Some((Token::Word, r)) => matches!(
            text[r.clone()].to_ascii_lowercase().as_str(),
            "select" | "with" | "values" | "table"
        ),
        _ => false,
    };
    if !starts_query {
        let at = first.map_or(0, |(_, r)| r.start);
        return Err(FragmentError::new(
            at,
            "a view's query must start with SELECT, WITH, VALUES or TABLE",
            "write only the query here; the view's name, columns and options have their own keys",
        ));
    }
    let tail: Vec<&str> = words
        .iter()
        .rev()
        .take(3)
        .map(|(w, _)| w.as_str())
        .collect();
    let clause = match tail.as_slice() {
        ["option", "check", ..] => Some(
            if tail.len() > 2 && matches!(tail[2], "local" | "cascaded") {
                3
            } else {
                2
            },
        ),
        ["data", "no", "with"] => Some(3),
        ["data", "with", ..] => Some(2),
        _ => None,
    };
    if let Some(n) = clause {
        let (_, at) = &words[words.len() - n];
        return Err(FragmentError::new(
            *at,
            "the query ends with a clause of CREATE VIEW, not of the query",
            "use `check_option = \"local\"` (views) or `with_data = false` (materialized views) instead",
        ));
    }
    Ok(())
}

fn char_index(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

/// Characters that must never stand raw in rendered SQL: a line break would let the text after it start a
/// line of a migration file; other control characters disturb terminals.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `text` as an `E'...'` literal with every control character escaped.
pub fn escape_literal(text: &str) -> String {
    let mut out = String::from("E'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("''"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n < 0x80 {
                    out.push_str(&format!("\\x{n:02X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `name` as a `U&"..."` identifier with every control character escaped.
pub fn escape_identifier(name: &str) -> String {
    let mut out = String::from("U&\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n <= 0xFFFF {
                    out.push_str(&format!("\\{n:04X}"));
                } else {
                    out.push_str(&format!("\\+{n:06X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value of a `'...'` string token (quotes included): `''` is a quote.
fn standard_value(token: &str) -> String {
    token[1..token.len() - 1].replace("''", "'")
}

/// The value of an `E'...'` string token (prefix and quotes included), decoded as PostgreSQL does.
fn escape_value(token: &str) -> String {
    let body: Vec<char> = token[2..token.len() - 1].chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let hex = |chars: &[char], max: usize| -> (u32, usize) {
        let mut v = 0;
        let mut n = 0;
        while n < max && n < chars.len() && chars[n].is_ascii_hexdigit() {
            v = v * 16 + chars[n].to_digit(16).unwrap_or(0);
            n += 1;
        }
        (v, n)
    };
    while i < body.len() {
        let c = body[i];
        if c == '\'' {
            out.push('\'');
            i += 2;
            continue;
        }
        if c != '\\' || i + 1 >= body.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = body[i + 1];
        i += 2;
        match e {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                let mut n = 0;
                while n < 2 && i < body.len() && body[i].is_digit(8) {
                    v = v * 8 + body[i].to_digit(8).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'x' => {
                let (v, n) = hex(&body[i..], 2);
                if n == 0 {
                    out.push('x');
                } else {
                    i += n;
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
            }
            'u' | 'U' => {
                let want = if e == 'u' { 4 } else { 8 };
                let (v, n) = hex(&body[i..], want);
                i += n;
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            other => out.push(other),
        }
    }
    out
}

/// `fragment`, rewritten without a change of meaning so that no line of it can begin with a migration tool's
/// marker and no control character stands raw: comments become a space, strings and quoted names holding a
/// control character are written with escapes. Text that needs nothing is returned as it is.
pub fn inert(fragment: &str) -> Cow<'_, str> {
    if !fragment.contains("--") && !fragment.contains("/*") && !fragment.chars().any(needs_escape) {
        return Cow::Borrowed(fragment);
    }
    let (tokens, None) = tokens(fragment) else {
        // Loading refuses such text, and the server never prints it: escape it whole rather than guess.
        return Cow::Owned(escape_literal(fragment));
    };
    let mut out = String::with_capacity(fragment.len() + 8);
    for (token, range) in tokens {
        let text = &fragment[range];
        let raw = text.chars().any(needs_escape);
        match token {
            // A line comment that took its line break with it gives it back.
            Token::Comment if text.contains(['\n', '\r']) => out.push('\n'),
            Token::Comment => out.push(' '),
            Token::Punct if raw => out.push(' '),
            Token::Space if raw => {
                // Keep line breaks (they may separate string constants that PostgreSQL joins); only line
                // breaks and spaces remain.
                if let Some(last) = text.rfind(['\n', '\r']) {
                    // The indentation of the next line stays (spaces only: it cannot start a marker).
                    out.push('\n');
                    out.extend(text[last + 1..].chars().filter(|c| *c == ' '));
                } else {
                    out.push(' ');
                }
            }
            Token::String if raw && text.starts_with('\'') => {
                out.push_str(&escape_literal(&standard_value(text)))
            }
            Token::EscapeString if raw => out.push_str(&escape_literal(&escape_value(text))),
            Token::Dollar if raw => {
                let tag = dollar_tag(text.as_bytes(), 0).unwrap_or(1);
                out.push_str(&escape_literal(&text[tag..text.len() - tag]));
            }
            Token::QuotedName if raw => out.push_str(&escape_identifier(
                &text[1..text.len() - 1].replace("\"\"", "\""),
            )),
            _ => out.push_str(text),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str, kind: FragmentKind) -> String {
        match check(text, kind) {
            Ok(()) => panic!("{text:?} was accepted"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn atomic_bodies_end_where_psql_ends_them() {
        check("BEGIN ATOMIC\n SELECT CASE WHEN true THEN 1 END;\n SELECT (CASE WHEN true THEN 2 END);\nEND", FragmentKind::AtomicBody).unwrap();
        check("RETURN a + 1", FragmentKind::AtomicBody).unwrap();
        assert!(
            refused(
                "BEGIN ATOMIC SELECT 1; END; DROP TABLE t",
                FragmentKind::AtomicBody
            )
            .contains("after the `END`")
        );
        assert!(
            refused(
                "BEGIN ATOMIC SELECT 1; END; DROP TABLE t; END",
                FragmentKind::AtomicBody
            )
            .contains("after the `END`")
        );
        assert!(refused("BEGIN ATOMIC SELECT 1;", FragmentKind::AtomicBody).contains("no `END`"));
        assert!(refused("RETURN 1; DROP TABLE t", FragmentKind::AtomicBody).contains("`;`"));
        assert!(refused("SELECT 1", FragmentKind::AtomicBody).contains("BEGIN ATOMIC"));
        assert!(
            refused("BEGIN ATOMIC SELECT (1; END", FragmentKind::AtomicBody).contains("no `END`")
        );
    }

    #[test]
    fn partition_keys_and_bounds_hold_their_clause_only() {
        for k in [
            "RANGE (at)",
            "range (at, sensor)",
            "LIST ((lower(name)) COLLATE \"C\" text_pattern_ops)",
            "HASH (id, value text_pattern_ops)",
        ] {
            check(k, FragmentKind::PartitionKey).unwrap();
        }
        for b in [
            "DEFAULT",
            "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "FOR VALUES FROM (MINVALUE, 0) TO ('a;b', MAXVALUE)",
            "FOR VALUES IN (NULL, 'x')",
            "FOR VALUES WITH (modulus 4, remainder 0)",
        ] {
            check(b, FragmentKind::PartitionBound).unwrap();
        }
        for (text, kind, why) in [
            (
                "RANGE (at))",
                FragmentKind::PartitionKey,
                "closes a parenthesis",
            ),
            (
                "RANGE (at); DROP TABLE t",
                FragmentKind::PartitionKey,
                "`;`",
            ),
            (
                "RANGE (at) WITH (fillfactor = 1)",
                FragmentKind::PartitionKey,
                "`WITH`",
            ),
            ("RANGE", FragmentKind::PartitionKey, "ends too early"),
            ("BTREE (at)", FragmentKind::PartitionKey, "`BTREE`"),
            ("RANGE (at) -- x", FragmentKind::PartitionKey, "comment"),
            (
                "DEFAULT PARTITION BY LIST (a)",
                FragmentKind::PartitionBound,
                "`PARTITION`",
            ),
            (
                "FOR VALUES IN (1), (2)",
                FragmentKind::PartitionBound,
                "`,`",
            ),
            (
                "FOR VALUES FROM (1)",
                FragmentKind::PartitionBound,
                "ends too early",
            ),
            (
                "FOR VALUES IN ('x'",
                FragmentKind::PartitionBound,
                "never closed",
            ),
            ("FOR VALUES IN [1]", FragmentKind::PartitionBound, "`[`"),
        ] {
            let message = refused(text, kind);
            assert!(message.contains(why), "{text}: {message}");
        }
    }

    #[test]
    fn word_lists_are_sorted() {
        assert!(CLAUSE_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(TYPE_CLAUSE_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ordinary_expressions_pass() {
        for e in [
            "now()",
            "uuid_generate_v4()",
            "'a;b'",
            "'it''s'",
            "E'a\\'; b'",
            "$$;$$",
            "$x$ a ; $x$",
            "status IN ('a', 'b')",
            "ARRAY[1, 2]",
            "(a, b)",
            "price * 1.5e-3",
            "x::timestamp with time zone",
            "x IS NOT NULL AND y <> ''",
            "email ~ '^[^@]+@[^@]+$'",
            "'^\\d+$'",
            "lower(\"My;Col\")",
            "a -- why\n+ 1",
            "a /* nested /* c */ ; */ + 1",
            "(SELECT 1 WHERE true)",
            "a$b + $1",
            "U&'\\0041'",
        ] {
            assert_eq!(check(e, FragmentKind::Expression), Ok(()), "{e}");
        }
        for t in [
            "varchar(255)",
            "numeric(10, 2)",
            "timestamp(3) with time zone",
            "billing.\"Status\"[]",
            "integer ARRAY[3]",
            "numeric(5, -2)",
            "double precision",
        ] {
            assert_eq!(check(t, FragmentKind::TypeName), Ok(()), "{t}");
        }
        for o in ["&&", "=", "OPERATOR(pg_catalog.&&)", "<>"] {
            assert_eq!(check(o, FragmentKind::Operator), Ok(()), "{o}");
        }
    }

    #[test]
    fn smuggling_is_refused() {
        use FragmentKind::*;
        for (text, kind, why) in [
            (
                "1; COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'; SELECT 1",
                Expression,
                "`;`",
            ),
            ("1) ; DROP TABLE x; --", Expression, "closes"),
            ("true), CHECK (false", Expression, "closes"),
            ("1, evil int", Expression, "`,`"),
            ("1 --", Expression, "comment"),
            ("1 /* open", Expression, "not closed"),
            ("'open", Expression, "not closed"),
            ("$$ open", Expression, "not closed"),
            ("\"open", Expression, "not closed"),
            ("(1", Expression, "never closed"),
            ("[1)", Expression, "closes the `[`"),
            (
                "'a\\'; DROP TABLE x; --'",
                Expression,
                "standard_conforming_strings",
            ),
            ("1 CHECK (false)", Expression, "`CHECK`"),
            ("1 REFERENCES other", Expression, "`REFERENCES`"),
            ("x\0", Expression, "NUL"),
            ("1 \x1b[2J", Expression, "control character"),
            ("int; DROP TABLE x", TypeName, "`;`"),
            ("int DEFAULT 1", TypeName, "`DEFAULT`"),
            ("text NOT NULL", TypeName, "`NOT`"),
            ("text COLLATE \"C\"", TypeName, "`COLLATE`"),
            ("int /* x */", TypeName, "comment"),
            ("text '", TypeName, "not closed"),
            ("int = 1", TypeName, "`=`"),
            ("&&, x WITH =", Operator, "`,`"),
            ("= 'x'", Operator, "string"),
        ] {
            let m = refused(text, kind);
            assert!(m.contains(why), "{text:?}: {m}");
        }
    }

    #[test]
    fn inert_keeps_the_meaning_and_breaks_no_line_with_a_marker() {
        assert_eq!(inert("now()"), "now()");
        assert_eq!(inert("'a\n-- //@UNDO\nb'"), "E'a\\n-- //@UNDO\\nb'");
        assert_eq!(inert("E'x\\\\\n\\'y'"), "E'x\\\\\\n''y'");
        assert_eq!(inert("a -- c\n+ 1"), "a \n+ 1");
        assert_eq!(inert("\"a\nb\""), "U&\"a\\000Ab\"");
        assert_eq!(inert("$t$a\nb$t$"), "E'a\\nb'");
        assert_eq!(inert("'a'\n'b'"), "'a'\n'b'");
        assert_eq!(inert("1 -/* x */-1"), "1 - -1");
        for f in ["'x\n-- +goose Down'", "a /* \n-- migrate:down\n */ + 1"] {
            let out = inert(f);
            assert!(
                out.lines().all(|l| !l.trim_start().starts_with("--")),
                "{out}"
            );
        }
    }

    #[test]
    fn escape_values_decode() {
        assert_eq!(escape_value("E'a\\nb\\x41\\101\\u00e9\\q'''"), "a\nbAAéq'");
    }

    #[test]
    fn inert_keeps_every_line_of_a_query_and_its_indentation() {
        let q = "SELECT happy_people.name\n   FROM happy_people\n  WHERE (happy_people.name <> ''::text)";
        assert_eq!(inert(q), q);
        let commented = "SELECT 1 -- one\n  FROM t";
        assert_eq!(inert(commented), "SELECT 1 \n  FROM t");
    }
}
