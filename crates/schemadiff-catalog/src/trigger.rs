//! Triggers, the catalog stage: one query reads every trigger of a table (partitioned or not) or view (not
//! the internal ones of foreign keys, nor the clones a partitioned table's triggers have on its partitions) from `pg_trigger`. The WHEN condition is the only part taken
//! from `pg_get_triggerdef` (the server's deparse of `tgqual`). The model is `schemadiff_model::trigger`,
//! the diff `schemadiff_diff::trigger`.

use schemadiff_model::{QualifiedName, Trigger};
use tokio_postgres::Row;

use crate::introspect::NAMESPACE_FILTER;

/// The query; `$1` is the schema filter.
pub(crate) fn query() -> String {
    format!(
        "SELECT n.nspname::text, c.relname::text, t.tgname::text, t.tgtype::int4, t.tgenabled::text, \
                t.tgconstraint <> 0, t.tgdeferrable, t.tginitdeferred, \
                pg_catalog.encode(t.tgargs, 'escape'), t.tgnargs::int4, \
                array(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(num, ord) \
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.num ORDER BY k.ord), \
                CASE WHEN t.tgqual IS NOT NULL THEN pg_catalog.pg_get_triggerdef(t.oid) END, \
                t.tgoldtable::text, t.tgnewtable::text, fn.nspname::text, f.proname::text, d.description, \
                pg_catalog.encode(t.tgargs, 'hex') \
         FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace \
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass \
         WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND c.relkind IN ('r', 'p', 'v') AND {NAMESPACE_FILTER} \
           AND {} ORDER BY 1, 2, 3",
        crate::introspect::not_in_extension("pg_class", "c.oid")
    )
}

const ROW: i32 = 1;
const BEFORE: i32 = 2;
const INSERT: i32 = 4;
const DELETE: i32 = 8;
const UPDATE: i32 = 16;
const TRUNCATE: i32 = 32;
const INSTEAD: i32 = 64;

/// The triggers of the rows of [`query`].
pub(crate) fn from_rows(rows: &[Row]) -> Vec<Trigger> {
    let mut out = Vec::new();
    for r in rows {
        let tgtype: i32 = r.get(3);
        let mut events = Vec::new();
        for (bit, name) in [
            (INSERT, "insert"),
            (DELETE, "delete"),
            (UPDATE, "update"),
            (TRUNCATE, "truncate"),
        ] {
            if tgtype & bit != 0 {
                events.push(name.to_string());
            }
        }
        let timing = if tgtype & INSTEAD != 0 {
            "instead of"
        } else if tgtype & BEFORE != 0 {
            "before"
        } else {
            "after"
        };
        let nargs: i32 = r.get(9);
        let hex: String = r.get(17);
        let arguments = arguments(&hex, nargs as usize);
        let relation = QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1));
        out.push(Trigger {
            relation,
            name: r.get(2),
            timing: timing.into(),
            events,
            columns: r.get(10),
            row: tgtype & ROW != 0,
            when: r
                .get::<_, Option<String>>(11)
                .and_then(|def| when_condition(&def)),
            old_table: r.get(12),
            new_table: r.get(13),
            function: QualifiedName::new(r.get::<_, String>(14), r.get::<_, String>(15)),
            arguments,
            constraint: r.get(5),
            deferrable: r.get(6),
            initially_deferred: r.get(7),
            enabled: match r.get::<_, String>(4).as_str() {
                "D" => Some("disabled".into()),
                "R" => Some("replica".into()),
                "A" => Some("always".into()),
                _ => None,
            },
            comment: r.get(16),
        });
    }
    out
}

/// `tgargs` (each argument ended by a NUL byte), from its hex form.
fn arguments(hex: &str, n: usize) -> Vec<String> {
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    bytes
        .split(|b| *b == 0)
        .take(n)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// The condition of `... FOR EACH ROW WHEN (cond) EXECUTE FUNCTION f(...)`, without its parentheses: found
/// outside quoted names and strings (a trigger, table or transition table may be named `FOR EACH ROW WHEN (`),
/// and ended at its balancing parenthesis (an argument may hold `) EXECUTE FUNCTION `).
fn when_condition(def: &str) -> Option<String> {
    let b = def.as_bytes();
    let mut i = 0;
    let mut start = None;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => i = skip_quoted(b, i, q),
            _ => {
                if let Some(m) = [" FOR EACH ROW WHEN (", " FOR EACH STATEMENT WHEN ("]
                    .iter()
                    .find(|m| def[i..].starts_with(**m))
                {
                    start = Some(i + m.len());
                    break;
                }
                i += 1;
            }
        }
    }
    let start = start?;
    let mut depth = 1usize;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => {
                i = skip_quoted(b, i, q);
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(def[start..i].to_string());
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Just after the quote that closes the one at `open` (a doubled quote is part of the text; the server
/// prints strings with standard_conforming_strings' rules, `E'...'` with a backslash doubled).
fn skip_quoted(b: &[u8], open: usize, quote: u8) -> usize {
    let escapes = quote == b'\'' && open > 0 && matches!(b[open - 1], b'E' | b'e');
    let mut i = open + 1;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_and_arguments() {
        assert_eq!(
            when_condition(
                "CREATE TRIGGER x BEFORE UPDATE ON t FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION f('a')"
            )
            .as_deref(),
            Some("(old.* IS DISTINCT FROM new.*)")
        );
        assert_eq!(
            when_condition(
                "CREATE TRIGGER \"x FOR EACH ROW WHEN (\" AFTER UPDATE ON t FOR EACH ROW WHEN ((new.a <> ')')) EXECUTE FUNCTION f(') EXECUTE FUNCTION ')"
            )
            .as_deref(),
            Some("(new.a <> ')')")
        );
        assert_eq!(
            when_condition("CREATE TRIGGER x AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()"),
            None
        );
        assert_eq!(arguments("610062630000", 3), vec!["a", "bc", ""]);
        assert!(arguments("", 0).is_empty());
    }
}
