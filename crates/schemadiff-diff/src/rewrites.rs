//! Which changes PostgreSQL itself made cheap: a type change that keeps every stored value as it is (a varchar
//! or bit varying made longer or unbounded, a numeric given more digits at the same scale, varchar to text)
//! rewrites nothing and checks no row; a new column's non-volatile default is stored once, in the catalog
//! (PostgreSQL 11+), while a volatile one is computed for every row, rewriting the table.

/// A type's name and its modifiers: `character varying(255)` -> (`character varying`, [255]).
fn parts(t: &str) -> (String, Vec<i64>) {
    let t = t.trim();
    match t.split_once('(') {
        Some((name, rest)) if t.ends_with(')') => {
            let args = rest
                .trim_end_matches(')')
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            (name.trim().to_string(), args)
        }
        _ => (t.to_string(), Vec::new()),
    }
}

/// Whether changing a column from type `old` to `new` (canonical spellings, no `USING`, same collation)
/// rewrites the table. Only the changes known to be free are said not to.
pub fn type_change_rewrites(old: &str, new: &str) -> bool {
    let ((on, oa), (nn, na)) = (parts(old), parts(new));
    let widened = |same_rest: bool| {
        same_rest
            && match (oa.first(), na.first()) {
                (_, None) => true,
                (Some(o), Some(n)) => n >= o,
                (None, Some(_)) => false,
            }
    };
    let cheap = match (on.as_str(), nn.as_str()) {
        ("character varying", "character varying") | ("bit varying", "bit varying") => {
            widened(true)
        }
        ("character varying", "text") => true,
        ("text", "character varying") => na.is_empty(),
        ("numeric", "numeric") => {
            na.is_empty() || (oa.len() == na.len() && oa.get(1) == na.get(1) && widened(true))
        }
        _ => false,
    };
    !cheap
}

/// Functions whose value differs from row to row: a default calling one is computed for each existing row.
const VOLATILE: &[&str] = &[
    "random(",
    "clock_timestamp(",
    "timeofday(",
    "gen_random_uuid(",
    "uuid_generate_v1(",
    "uuid_generate_v1mc(",
    "uuid_generate_v4(",
    "uuidv4(",
    "uuidv7(",
    "nextval(",
    "txid_current(",
    "setseed(",
];

/// Whether a column default (canonical SQL text) is volatile, so that adding the column rewrites the table.
pub fn volatile_default(expr: &str) -> bool {
    let e = expr.to_ascii_lowercase();
    VOLATILE.iter().any(|f| e.contains(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_type_changes() {
        assert!(!type_change_rewrites(
            "character varying(50)",
            "character varying(100)"
        ));
        assert!(!type_change_rewrites(
            "character varying(50)",
            "character varying"
        ));
        assert!(!type_change_rewrites("character varying(50)", "text"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric(12,2)"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric"));
        assert!(type_change_rewrites(
            "character varying(100)",
            "character varying(50)"
        ));
        assert!(type_change_rewrites("numeric(10,2)", "numeric(12,3)"));
        assert!(type_change_rewrites("numeric(10,2)", "numeric(8,2)"));
        assert!(type_change_rewrites("integer", "bigint"));
        assert!(type_change_rewrites("text", "character varying(10)"));
    }

    #[test]
    fn volatile_defaults() {
        assert!(volatile_default("gen_random_uuid()"));
        assert!(volatile_default("nextval('s'::regclass)"));
        assert!(!volatile_default("now()"));
        assert!(!volatile_default("'x'::text"));
    }
}
