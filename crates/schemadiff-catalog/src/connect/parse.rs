//! Parsing connection strings: `postgres://` URLs and libpq `key=value` strings into (keyword, value) pairs,
//! with libpq's quoting and percent-decoding. Messages never quote the string itself (it may hold a password).

use super::*;

/// Parses a URL or a `key=value` string into `(keyword, value)` pairs (later
/// pairs win). Messages never quote the string itself.
pub(super) fn parse_connection_string(s: &str) -> Result<Vec<(String, String)>, ConnectError> {
    for prefix in ["postgresql://", "postgres://"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return parse_url(rest);
        }
    }
    if s.contains("://") {
        return Err(ConnectError::InvalidConnectionString(
            "only postgres:// and postgresql:// URLs are supported".into(),
        ));
    }
    if !s.contains('=') {
        return Err(ConnectError::InvalidConnectionString(
            "expected a postgres:// URL or libpq key=value pairs \
             (e.g. \"host=localhost dbname=app\")"
                .into(),
        ));
    }
    parse_conninfo(s)
}

pub(super) fn bad(msg: impl Into<String>) -> ConnectError {
    ConnectError::InvalidConnectionString(msg.into())
}

/// libpq's `key = value` syntax: values may be single-quoted; backslash
/// escapes the next character.
pub(super) fn parse_conninfo(s: &str) -> Result<Vec<(String, String)>, ConnectError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(bad(format!(
                "missing \"=\" after \"{}\"",
                key.escape_debug()
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        return Err(bad(format!(
                            "unterminated quoted value for \"{}\"",
                            key.escape_debug()
                        )));
                    }
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

/// Decodes `%XX` sequences. `what` names the component (never the value).
pub(super) fn percent_decode(s: &str, what: &str) -> Result<String, ConnectError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(0) => return Err(bad(format!("%00 is not allowed in the {what}"))),
                Some(b) => out.push(b),
                None => return Err(bad(format!("invalid percent-encoding in the {what}"))),
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad(format!("the {what} is not valid UTF-8")))
}

/// `postgresql://[user[:password]@][host][:port][,...][/dbname][?k=v&...]`,
/// as libpq parses it (`rest` is what follows the scheme).
pub(super) fn parse_url(rest: &str) -> Result<Vec<(String, String)>, ConnectError> {
    let mut out = Vec::new();
    // The user info ends at the last '@' before the first '/': a host never
    // contains '@', and this way a stray '@' in a password is not mistaken
    // for (and reported as) part of the host name.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let mut s = rest;
    if let Some(at) = rest[..authority_end].rfind('@') {
        let userinfo = &rest[..at];
        s = &rest[at + 1..];
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        let user = percent_decode(user, "user name")?;
        if !user.is_empty() {
            out.push(("user".into(), user));
        }
        if let Some(password) = password {
            let password = percent_decode(password, "password")?;
            if !password.is_empty() {
                out.push(("password".into(), password));
            }
        }
    }

    // Hosts and ports.
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    loop {
        let host;
        if let Some(v6) = s.strip_prefix('[') {
            let end = v6
                .find(']')
                .ok_or_else(|| bad("missing \"]\" after an IPv6 host address"))?;
            if end == 0 {
                return Err(bad("an IPv6 host address may not be empty"));
            }
            host = percent_decode(&v6[..end], "host")?;
            s = &v6[end + 1..];
            if !s.is_empty() && !s.starts_with([':', '/', '?', ',']) {
                return Err(bad("unexpected character after an IPv6 host address"));
            }
        } else {
            let end = s.find([':', '/', '?', ',']).unwrap_or(s.len());
            host = percent_decode(&s[..end], "host")?;
            s = &s[end..];
        }
        let mut port = String::new();
        if let Some(p) = s.strip_prefix(':') {
            let end = p.find(['/', '?', ',']).unwrap_or(p.len());
            port = percent_decode(&p[..end], "port")?;
            s = &p[end..];
        }
        hosts.push(host);
        ports.push(port);
        match s.strip_prefix(',') {
            Some(more) => s = more,
            None => break,
        }
    }
    if hosts.iter().any(|h| !h.is_empty()) {
        out.push(("host".into(), hosts.join(",")));
    }
    if ports.iter().any(|p| !p.is_empty()) {
        out.push(("port".into(), ports.join(",")));
    }

    if let Some(path) = s.strip_prefix('/') {
        let end = path.find('?').unwrap_or(path.len());
        let dbname = percent_decode(&path[..end], "database name")?;
        if !dbname.is_empty() {
            out.push(("dbname".into(), dbname));
        }
        s = &path[end..];
    }

    if let Some(query) = s.strip_prefix('?') {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(bad("a query parameter is missing \"=\""));
            };
            if value.contains('=') {
                return Err(bad("a query parameter has an extra \"=\""));
            }
            let key = percent_decode(key, "name of a query parameter")?;
            let value = percent_decode(value, &format!("value of \"{key}\""))?;
            // JDBC compatibility, as in libpq.
            if key == "ssl" && value == "true" {
                out.push(("sslmode".into(), "require".into()));
            } else {
                if keyword(&key).is_none() {
                    return Err(bad(format!(
                        "invalid URL query parameter \"{}\"",
                        key.escape_debug()
                    )));
                }
                out.push((key, value));
            }
        }
    } else if !s.is_empty() {
        return Err(bad("unexpected character after the host part of the URL"));
    }
    Ok(out)
}
