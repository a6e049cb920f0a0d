//! Connection strings: libpq `key=value` conninfo and `postgres://` URLs.

use crate::cluster::quote_conninfo_value;

/// The scheme and the rest of a `postgres://` or `postgresql://` URL.
pub fn split_url(s: &str) -> Option<(&str, &str)> {
    ["postgresql://", "postgres://"]
        .into_iter()
        .find_map(|scheme| s.strip_prefix(scheme).map(|rest| (scheme, rest)))
}

/// Returns `conninfo` (URL or key=value) pointing at database `dbname`.
/// `dbname` must be URL-safe (ours are `[a-z0-9_]`).
pub fn with_dbname(conninfo: &str, dbname: &str) -> String {
    match split_url(conninfo.trim()) {
        Some((scheme, rest)) => {
            let (before_query, query) = match rest.find('?') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            let authority = match before_query.find('/') {
                Some(i) => &before_query[..i],
                None => before_query,
            };
            // Drop a dbname query parameter, which would override the path.
            let query: Vec<&str> = query
                .trim_start_matches('?')
                .split('&')
                .filter(|p| !p.is_empty() && !p.starts_with("dbname="))
                .collect();
            let query = if query.is_empty() {
                String::new()
            } else {
                format!("?{}", query.join("&"))
            };
            format!("{scheme}{authority}/{dbname}{query}")
        }
        // key=value: a later dbname overrides an earlier one.
        None => format!(
            "{} dbname={}",
            conninfo.trim(),
            quote_conninfo_value(dbname)
        ),
    }
}
