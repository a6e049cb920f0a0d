//! Splitting an SQL script into statements, as psql does, so that each runs on its own (a value added to an
//! enum can only be used once the statement that added it has committed).

/// The statements of `script`, without their terminating `;`, trimmed, empty ones left out. Semicolons inside
/// string literals (`'...'`, `E'...'`), quoted identifiers, dollar-quoted bodies (`$$...$$`, `$tag$...$tag$`)
/// and comments (`--`, nested `/* */`) do not end a statement, nor do those of a SQL-standard function body
/// (`CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC ...; ...; END`), which psql recognizes by the
/// same rule: in a statement that starts so, BEGIN (and CASE within it) opens and END closes, outside
/// parentheses.
pub fn split_statements(script: &str) -> Vec<&str> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut words = Words::default();
    while i < bytes.len() {
        match bytes[i] {
            b if (b.is_ascii_alphabetic() || b == b'_' || b >= 0x80)
                && !is_ident_byte(bytes, i.wrapping_sub(1)) =>
            {
                let end = (i..bytes.len())
                    .find(|&j| !(is_ident_byte(bytes, j) || bytes[j] == b'$'))
                    .unwrap_or(bytes.len());
                words.word(&script[i..end]);
                i = end;
            }
            b'(' => {
                words.parens += 1;
                i += 1;
            }
            b')' => {
                words.parens = words.parens.saturating_sub(1);
                i += 1;
            }
            b';' if words.parens > 0 || words.begin > 0 => i += 1,
            b'\'' => {
                let escapes = i > 0
                    && matches!(bytes[i - 1], b'e' | b'E')
                    && !is_ident_byte(bytes, i.wrapping_sub(2));
                i = skip_quoted(bytes, i + 1, b'\'', escapes);
            }
            b'"' => i = skip_quoted(bytes, i + 1, b'"', false),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = script[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 1;
                i += 2;
                while i < bytes.len() && depth > 0 {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
            }
            b'$' if !is_ident_byte(bytes, i.wrapping_sub(1)) => match dollar_tag(&script[i..]) {
                Some(tag) => {
                    let body = i + tag.len();
                    i = script[body..]
                        .find(tag)
                        .map_or(bytes.len(), |n| body + n + tag.len());
                }
                None => i += 1,
            },
            b';' => {
                push(&mut out, &script[start..i]);
                i += 1;
                start = i;
                words = Words::default();
            }
            _ => i += 1,
        }
    }
    push(&mut out, &script[start..]);
    out
}

/// What psql tracks of a statement's words to find the end of a SQL-standard function body.
#[derive(Default)]
struct Words {
    /// The first letters of the first words when they are CREATE, OR, REPLACE, FUNCTION or PROCEDURE.
    first: [u8; 4],
    count: usize,
    parens: usize,
    begin: usize,
}

impl Words {
    fn word(&mut self, word: &str) {
        let lower = word.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "create" | "function" | "procedure" | "or" | "replace"
        ) && self.count < self.first.len()
        {
            self.first[self.count] = lower.as_bytes()[0];
        }
        self.count += 1;
        let f = &self.first;
        let routine = f[0] == b'c'
            && (f[1] == b'f'
                || f[1] == b'p'
                || (f[1] == b'o' && f[2] == b'r' && (f[3] == b'f' || f[3] == b'p')));
        if !routine || self.parens > 0 {
            return;
        }
        match lower.as_str() {
            "begin" => self.begin += 1,
            "case" if self.begin >= 1 => self.begin += 1,
            "end" if self.begin > 0 => self.begin -= 1,
            _ => {}
        }
    }
}

fn push<'a>(out: &mut Vec<&'a str>, stmt: &'a str) {
    let t = stmt.trim();
    if !t.is_empty() && !only_comments(t) {
        out.push(t);
    }
}

fn only_comments(s: &str) -> bool {
    s.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with("--")
    }) && !s.contains("/*")
}

fn is_ident_byte(bytes: &[u8], i: usize) -> bool {
    bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b >= 0x80)
}

/// Skip to just after the closing quote; a doubled quote is part of the text.
fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8, backslash_escapes: bool) -> usize {
    while i < bytes.len() {
        if backslash_escapes && bytes[i] == b'\\' {
            i += 2;
        } else if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// `$$` or `$tag$` at the start of `s`.
fn dollar_tag(s: &str) -> Option<&str> {
    let rest = &s[1..];
    let end = rest.find('$')?;
    let tag = &rest[..end];
    let valid = tag
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_alphabetic() || (i > 0 && c.is_ascii_digit()));
    valid.then(|| &s[..end + 2])
}

#[cfg(test)]
mod tests {
    use super::split_statements;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "CREATE TABLE a (x text DEFAULT 'a;b');\n-- a comment; still a comment\nINSERT INTO \"we;ird\" VALUES (E'it\\'s;');\n/* block; /* nested; */ still */ SELECT 1;\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nSELECT $$;$$;   \n";
        assert_eq!(
            split_statements(sql),
            [
                "CREATE TABLE a (x text DEFAULT 'a;b')",
                "-- a comment; still a comment\nINSERT INTO \"we;ird\" VALUES (E'it\\'s;')",
                "/* block; /* nested; */ still */ SELECT 1",
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
                "SELECT $$;$$",
            ]
        );
    }

    #[test]
    fn sql_standard_bodies_are_one_statement_as_in_psql() {
        let sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n SELECT (CASE WHEN true THEN a END);\nEND;\nCREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nBEGIN;\nSELECT 1;\nEND;\nCREATE TABLE begin_end (\"end\" int);\nCREATE FUNCTION g() RETURNS int LANGUAGE sql RETURN 1;";
        assert_eq!(
            split_statements(sql),
            [
                "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n SELECT (CASE WHEN true THEN a END);\nEND",
                "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END",
                "BEGIN",
                "SELECT 1",
                "END",
                "CREATE TABLE begin_end (\"end\" int)",
                "CREATE FUNCTION g() RETURNS int LANGUAGE sql RETURN 1",
            ]
        );
        // Tagged dollar quotes, with `$$` and the other tag inside.
        let sql = "CREATE FUNCTION h() RETURNS text LANGUAGE plpgsql AS $body$BEGIN RETURN '$$;' || $x$;$x$; END;$body$;\nSELECT 2;";
        assert_eq!(
            split_statements(sql),
            [
                "CREATE FUNCTION h() RETURNS text LANGUAGE plpgsql AS $body$BEGIN RETURN '$$;' || $x$;$x$; END;$body$",
                "SELECT 2",
            ]
        );
    }

    #[test]
    fn trailing_comments_and_blank_statements_are_dropped() {
        assert_eq!(
            split_statements(";;\n-- only a comment\n"),
            Vec::<&str>::new()
        );
        assert_eq!(split_statements("SELECT 1"), ["SELECT 1"]);
        // A dollar sign inside an identifier or a parameter is not a quote.
        assert_eq!(
            split_statements("SELECT a$b, $1; SELECT 2"),
            ["SELECT a$b, $1", "SELECT 2"]
        );
    }
}
