//! Connecting to PostgreSQL the way `psql` users expect.
//!
//! Every command that reads a database (`--database-url`, `--dev-url`) goes
//! through [`ConnectOptions::resolve`] and [`connect`]:
//!
//! * **Where the settings come from.** The URL given (the flag), else the
//!   `DATABASE_URL` environment variable, else nothing. Both
//!   `postgres://`/`postgresql://` URLs and libpq `key=value` strings are
//!   accepted. Anything they leave out is taken from the libpq environment
//!   variables (`PGHOST`, `PGHOSTADDR`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
//!   `PGPASSFILE`, `PGDATABASE`, `PGOPTIONS`, `PGAPPNAME`, `PGSSLMODE`,
//!   `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`, ...) and then from libpq's
//!   defaults: the host is the Unix socket directory (`/var/run/postgresql`,
//!   then `/tmp`, whichever has a socket for the port; else `localhost`), the
//!   port 5432, the user the current OS user and the database the user name.
//! * **Passwords.** A password in the URL wins over `PGPASSWORD`, which wins
//!   over the password file (`passfile`, `PGPASSFILE` or `~/.pgpass`, libpq's
//!   format and matching rules). A password file that group or others can
//!   read is ignored, with a warning in [`ConnectOptions::warnings`].
//! * **TLS** (rustls), with libpq's `sslmode`s: `disable`, `allow`, `prefer`
//!   (the default), `require`, `verify-ca` and `verify-full`, and
//!   `sslrootcert` (a PEM file, or `system` for the system's trusted roots).
//!   As in libpq, `prefer`/`require` verify the certificate chain (but not
//!   the host name) when a root certificate is available (`sslrootcert`,
//!   `PGSSLROOTCERT` or `~/.postgresql/root.crt`), and no TLS is attempted
//!   over Unix sockets whatever the `sslmode`. Unlike libpq, an
//!   `sslrootcert` file that was named explicitly but cannot be read is an
//!   error in every TLS mode (libpq ignores it below `verify-ca`).
//! * **Secrets stay secret.** [`ConnectOptions`]' `Display` and `Debug` show
//!   the password as `***`; no [`ConnectError`] message contains it.
//!
//! Not supported (a clear error, or a warning when it only comes from the
//! environment): client certificates (`sslcert`/`sslkey`), `service` files,
//! CRLs, `requirepeer`, `require_auth`, GSSAPI encryption, replication
//! connections and client encodings other than UTF8. The host name check of
//! `verify-full` uses the certificate's subject alternative names only (no
//! fallback to the common name).

use std::collections::HashMap;
use std::ffi::{CStr, OsStr};
use std::fmt::{self, Write as _};
use std::fs;
use std::net::IpAddr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::config::Host;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{Client, NoTls, Socket};
use tokio_postgres_rustls::MakeRustlsConnect;

/// The default port.
pub const DEFAULT_PORT: u16 = 5432;

/// Where a default (host-less) connection looks for the server's socket.
const DEFAULT_SOCKET_DIRS: &[&str] = &["/var/run/postgresql", "/tmp"];

/// Socket directories that libpq builds use as their default; a connection
/// through one of them matches `localhost` in the password file (libpq only
/// does this for its compiled-in default, which is one of these).
const PGPASS_LOCALHOST_SOCKET_DIRS: &[&str] = &["/var/run/postgresql", "/run/postgresql", "/tmp"];

/// The task driving a connection: it ends when the [`Client`] is dropped
/// (`Ok`) or the connection breaks (`Err`).
pub type ConnectionTask = tokio::task::JoinHandle<Result<(), tokio_postgres::Error>>;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SslMode {
    /// No TLS.
    Disable,
    /// Plain first; TLS if the server rejects the plain connection.
    Allow,
    /// TLS if the server supports it, else plain (the default).
    Prefer,
    /// TLS; the certificate is not verified (unless a root certificate is
    /// available, see the module docs).
    Require,
    /// TLS; the certificate chain is verified, not the host name.
    VerifyCa,
    /// TLS; the certificate chain and the host name are verified.
    VerifyFull,
}

impl SslMode {
    /// The libpq spelling, e.g. `verify-full`.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The trusted root certificates for verifying the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// A PEM file (`sslrootcert=<path>`, `PGSSLROOTCERT`, `~/.postgresql/root.crt`).
    File(PathBuf),
    /// The system's trusted roots (`sslrootcert=system`).
    System,
}

/// Where the password for a connection attempt came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// Given explicitly; the string says where (e.g. `PGPASSWORD`).
    Given(String),
    /// A line of the password file.
    Passfile {
        /// The password file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
    },
    /// No password.
    None,
}

/// What went wrong in one connection attempt (for callers that react to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// The server could not be reached (name lookup, refused, no socket).
    Unreachable,
    /// No answer within `connect_timeout`.
    Timeout,
    /// The server rejected the credentials.
    Authentication,
    /// The server asked for a password and there was none.
    PasswordMissing,
    /// The server refused the connection for another reason (no
    /// `pg_hba.conf` entry, unknown database, too many connections, ...).
    Rejected,
    /// TLS was required but the server does not support it.
    TlsNotSupported,
    /// The server certificate could not be verified (unknown issuer,
    /// expired, ...).
    TlsCertificate,
    /// The server certificate is not valid for the host name (`verify-full`).
    TlsHostnameMismatch,
    /// Another TLS failure.
    Tls,
    /// Anything else.
    Other,
}

/// One failed connection attempt (one host, one TLS mode).
#[derive(Debug)]
pub struct ConnectFailure {
    /// What was connected to, e.g. `server at "db" (10.0.0.1), port 5432`.
    pub target: String,
    /// User, database and the TLS mode of this attempt.
    pub details: String,
    /// What went wrong.
    pub kind: FailureKind,
    /// The error (from the server or the client library); never contains
    /// the password.
    pub message: String,
    /// What to try, if we have an idea.
    pub hint: Option<String>,
    /// The underlying error (absent for our own timeout).
    pub source: Option<tokio_postgres::Error>,
}

impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "connection to {} failed ({}): {}",
            self.target, self.details, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

/// Errors from [`ConnectOptions::resolve`] and [`connect`]. No message ever
/// contains the password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The connection string is malformed.
    #[error("invalid connection string: {0}")]
    InvalidConnectionString(String),
    /// A setting has an invalid value, is unsupported, or settings conflict.
    #[error("{0}")]
    InvalidOption(String),
    /// TLS could not be set up (e.g. the root certificate file is unreadable).
    #[error("{0}")]
    Tls(String),
    /// Every connection attempt failed (one entry per host and TLS mode
    /// tried, in order).
    #[error("{}", display_failures(.0))]
    Failed(Vec<ConnectFailure>),
}

fn display_failures(failures: &[ConnectFailure]) -> String {
    match failures {
        [] => "could not connect: no hosts to try".into(),
        [one] => one.to_string(),
        many => {
            let mut out = String::from("could not connect to any host:");
            for f in many {
                out.push_str("\n- ");
                out.push_str(&f.to_string().replace('\n', "\n  "));
            }
            out
        }
    }
}

impl ConnectError {
    /// The failed attempts (empty unless this is [`ConnectError::Failed`]).
    pub fn failures(&self) -> &[ConnectFailure] {
        match self {
            ConnectError::Failed(f) => f,
            _ => &[],
        }
    }

    /// The kind of the last failed attempt, if there was one.
    pub fn kind(&self) -> Option<FailureKind> {
        self.failures().last().map(|f| f.kind)
    }
}

// ---------------------------------------------------------------------------
// Keywords and their environment variables

#[derive(Clone, Copy, PartialEq, Eq)]
enum Support {
    /// Used.
    Yes,
    /// Accepted and ignored (no effect without GSSAPI, or obsolete).
    Ignored,
    /// Client certificates: not supported; a warning (the server decides
    /// whether it needs one).
    Warn,
    /// Not supported, and ignoring it could mean connecting somewhere else or
    /// less safely: an error.
    No,
}

struct Keyword {
    name: &'static str,
    env: Option<&'static str>,
    support: Support,
}

const fn kw(name: &'static str, env: Option<&'static str>, support: Support) -> Keyword {
    Keyword { name, env, support }
}

const KEYWORDS: &[Keyword] = &[
    kw("host", Some("PGHOST"), Support::Yes),
    kw("hostaddr", Some("PGHOSTADDR"), Support::Yes),
    kw("port", Some("PGPORT"), Support::Yes),
    kw("dbname", Some("PGDATABASE"), Support::Yes),
    kw("user", Some("PGUSER"), Support::Yes),
    kw("password", Some("PGPASSWORD"), Support::Yes),
    kw("passfile", Some("PGPASSFILE"), Support::Yes),
    kw("options", Some("PGOPTIONS"), Support::Yes),
    kw("application_name", Some("PGAPPNAME"), Support::Yes),
    kw("fallback_application_name", None, Support::Yes),
    kw("connect_timeout", Some("PGCONNECT_TIMEOUT"), Support::Yes),
    kw("client_encoding", Some("PGCLIENTENCODING"), Support::Yes),
    kw("sslmode", Some("PGSSLMODE"), Support::Yes),
    kw("requiressl", Some("PGREQUIRESSL"), Support::Yes),
    kw("sslrootcert", Some("PGSSLROOTCERT"), Support::Yes),
    kw("sslnegotiation", Some("PGSSLNEGOTIATION"), Support::Yes),
    kw("sslsni", Some("PGSSLSNI"), Support::Yes),
    kw(
        "ssl_min_protocol_version",
        Some("PGSSLMINPROTOCOLVERSION"),
        Support::Yes,
    ),
    kw(
        "ssl_max_protocol_version",
        Some("PGSSLMAXPROTOCOLVERSION"),
        Support::Yes,
    ),
    kw("channel_binding", Some("PGCHANNELBINDING"), Support::Yes),
    kw(
        "target_session_attrs",
        Some("PGTARGETSESSIONATTRS"),
        Support::Yes,
    ),
    kw(
        "load_balance_hosts",
        Some("PGLOADBALANCEHOSTS"),
        Support::Yes,
    ),
    kw("keepalives", None, Support::Yes),
    kw("keepalives_idle", None, Support::Yes),
    kw("keepalives_interval", None, Support::Yes),
    kw("keepalives_count", None, Support::Yes),
    kw("tcp_user_timeout", None, Support::Yes),
    kw("gssencmode", Some("PGGSSENCMODE"), Support::Yes),
    kw("sslcompression", Some("PGSSLCOMPRESSION"), Support::Ignored),
    kw("krbsrvname", Some("PGKRBSRVNAME"), Support::Ignored),
    kw("gsslib", Some("PGGSSLIB"), Support::Ignored),
    kw("gssdelegation", Some("PGGSSDELEGATION"), Support::Ignored),
    kw("sslcert", Some("PGSSLCERT"), Support::Warn),
    kw("sslkey", Some("PGSSLKEY"), Support::Warn),
    kw("sslpassword", None, Support::Warn),
    kw("sslcertmode", Some("PGSSLCERTMODE"), Support::Warn),
    kw("sslcrl", Some("PGSSLCRL"), Support::No),
    kw("sslcrldir", Some("PGSSLCRLDIR"), Support::No),
    kw("service", Some("PGSERVICE"), Support::No),
    kw("requirepeer", Some("PGREQUIREPEER"), Support::No),
    kw("require_auth", Some("PGREQUIREAUTH"), Support::No),
    kw("replication", None, Support::No),
];

fn keyword(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// Where a setting came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    String,
    Env(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::String => f.write_str("the connection string"),
            Origin::Env(var) => f.write_str(var),
        }
    }
}

struct Setting {
    value: String,
    origin: Origin,
}

type Settings = HashMap<&'static str, Setting>;

fn invalid(name: &str, setting: &Setting, expected: &str) -> ConnectError {
    ConnectError::InvalidOption(format!(
        "invalid {name} value \"{}\" (from {}); expected {expected}",
        setting.value.escape_debug(),
        setting.origin
    ))
}

// ---------------------------------------------------------------------------
// Parsing connection strings

/// Parses a URL or a `key=value` string into `(keyword, value)` pairs (later
/// pairs win). Messages never quote the string itself.
fn parse_connection_string(s: &str) -> Result<Vec<(String, String)>, ConnectError> {
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

fn bad(msg: impl Into<String>) -> ConnectError {
    ConnectError::InvalidConnectionString(msg.into())
}

/// libpq's `key = value` syntax: values may be single-quoted; backslash
/// escapes the next character.
fn parse_conninfo(s: &str) -> Result<Vec<(String, String)>, ConnectError> {
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
fn percent_decode(s: &str, what: &str) -> Result<String, ConnectError> {
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
fn parse_url(rest: &str) -> Result<Vec<(String, String)>, ConnectError> {
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

// ---------------------------------------------------------------------------
// The password file

#[derive(Clone)]
struct PassEntry {
    fields: [String; 4],
    password: String,
    line: usize,
}

/// A parsed password file (the passwords inside never get printed).
#[derive(Clone)]
struct Passfile {
    path: PathBuf,
    entries: Vec<PassEntry>,
}

impl fmt::Debug for Passfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Passfile({}, {} entries)",
            self.path.display(),
            self.entries.len()
        )
    }
}

/// Splits one line into unescaped fields: `\:` and `\\` (any `\x`) stand for
/// the character. The password is the fifth field, up to an unescaped `:`.
fn parse_passfile_line(line: &str) -> Option<([String; 4], String)> {
    let mut fields: Vec<String> = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().unwrap_or('\\');
                fields.last_mut()?.push(next);
            }
            ':' if fields.len() == 5 => break,
            ':' => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    if fields.len() < 5 {
        return None;
    }
    let password = fields.pop()?;
    let fields: [String; 4] = fields.try_into().ok()?;
    Some((fields, password))
}

fn parse_passfile(path: &Path, text: &str) -> Passfile {
    let entries = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#'))
        .filter_map(|(i, l)| {
            let l = l.trim_end_matches('\r');
            parse_passfile_line(l).map(|(fields, password)| PassEntry {
                fields,
                password,
                line: i + 1,
            })
        })
        .collect();
    Passfile {
        path: path.to_path_buf(),
        entries,
    }
}

/// Reads the password file, or explains (as a warning) why not.
fn load_passfile(path: &Path) -> Result<Option<Passfile>, String> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!("password file \"{}\" ignored: {e}", path.display()));
        }
    };
    if !meta.is_file() {
        return Err(format!(
            "password file \"{}\" is not a plain file; ignored",
            path.display()
        ));
    }
    if meta.mode() & 0o077 != 0 {
        return Err(format!(
            "password file \"{}\" has group or world access and was ignored; \
             permissions should be u=rw (0600) or less (chmod 600 {})",
            path.display(),
            path.display()
        ));
    }
    match fs::read(path) {
        Ok(bytes) => Ok(Some(parse_passfile(path, &String::from_utf8_lossy(&bytes)))),
        Err(e) => Err(format!("password file \"{}\" ignored: {e}", path.display())),
    }
}

impl Passfile {
    /// The first entry matching (host, port, database, user); `*` matches
    /// anything.
    fn lookup(&self, host: &str, port: &str, dbname: &str, user: &str) -> Option<&PassEntry> {
        let wanted = [host, port, dbname, user];
        self.entries.iter().find(|e| {
            e.fields
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value)
        })
    }
}

/// The host name to look up in the password file, as libpq does.
fn passfile_host(host: Option<&Host>, hostaddr: Option<IpAddr>) -> String {
    match (host, hostaddr) {
        (Some(Host::Tcp(name)), _) if !name.is_empty() => name.clone(),
        (Some(Host::Unix(path)), _) => {
            if PGPASS_LOCALHOST_SOCKET_DIRS
                .iter()
                .any(|d| Path::new(d) == path.as_path())
            {
                "localhost".into()
            } else {
                path.to_string_lossy().into_owned()
            }
        }
        (_, Some(addr)) => addr.to_string(),
        _ => "localhost".into(),
    }
}

// ---------------------------------------------------------------------------
// The resolved options

/// Everything needed to connect, resolved from a URL/conninfo string, the
/// environment and libpq's defaults. See the module docs.
///
/// `Display` gives a URL with the password replaced by `***`, e.g.
/// `postgres://alice:***@db.example.com:5432/app?sslmode=require`; `Debug`
/// is redacted the same way.
#[derive(Clone)]
pub struct ConnectOptions {
    hosts: Vec<Host>,
    hostaddrs: Vec<IpAddr>,
    ports: Vec<u16>,
    user: String,
    password: Option<(String, Origin)>,
    passfile_path: Option<PathBuf>,
    passfile: Option<Arc<Passfile>>,
    dbname: String,
    application_name: Option<String>,
    connect_timeout: Option<Duration>,
    ssl_mode: SslMode,
    ssl_root_cert: Option<RootCert>,
    ssl_sni: bool,
    ssl_min_tls13: bool,
    ssl_max_tls12: bool,
    /// Settings handed to tokio-postgres as they are (validated), in order.
    passthrough: Vec<(&'static str, String)>,
    warnings: Vec<String>,
}

impl ConnectOptions {
    /// Resolves the connection settings like libpq: `url` (the flag), else
    /// `$DATABASE_URL`, else nothing, completed from the `PG*` environment
    /// variables, the password file and the defaults. `~` is `$HOME` (or the
    /// user's home directory from the password database).
    pub fn resolve(url: Option<&str>) -> Result<ConnectOptions, ConnectError> {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(|| os_user_and_home().1);
        ConnectOptions::resolve_with(url, &|name| std::env::var(name).ok(), home.as_deref())
    }

    /// [`ConnectOptions::resolve`] with an explicit environment: `env` looks
    /// up a variable (`DATABASE_URL`, `PGHOST`, ...) and `home_dir` is where
    /// `.pgpass` and `.postgresql/root.crt` are looked for (`None`: nowhere).
    pub fn resolve_with(
        url: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
        home_dir: Option<&Path>,
    ) -> Result<ConnectOptions, ConnectError> {
        let env = |name: &str| env(name).filter(|v| !v.is_empty());
        let url = match url.filter(|u| !u.trim().is_empty()) {
            Some(u) => Some(u.to_string()),
            None => env("DATABASE_URL"),
        };

        let mut settings = Settings::new();
        if let Some(url) = &url {
            for (key, value) in parse_connection_string(url.trim())? {
                let Some(kw) = keyword(&key) else {
                    return Err(bad(format!(
                        "invalid connection option \"{}\"",
                        key.escape_debug()
                    )));
                };
                settings.insert(
                    kw.name,
                    Setting {
                        value,
                        origin: Origin::String,
                    },
                );
            }
        }
        // Empty values count as not given (and so fall back to the environment).
        settings.retain(|_, s| !s.value.is_empty());
        for kw in KEYWORDS {
            if settings.contains_key(kw.name) {
                continue;
            }
            if let Some((var, value)) = kw.env.and_then(|var| Some((var, env(var)?))) {
                settings.insert(
                    kw.name,
                    Setting {
                        value,
                        origin: Origin::Env(var),
                    },
                );
            }
        }

        let mut warnings = Vec::new();
        for kw in KEYWORDS {
            let Some(setting) = settings.get(kw.name) else {
                continue;
            };
            match kw.support {
                Support::Yes | Support::Ignored => {}
                Support::Warn => warnings.push(format!(
                    "{} (from {}) ignored: client certificates are not supported",
                    kw.name, setting.origin
                )),
                Support::No => {
                    return Err(ConnectError::InvalidOption(format!(
                        "{} (from {}) is not supported",
                        kw.name, setting.origin
                    )));
                }
            }
        }
        let default_client_cert = home_dir.map(|h| h.join(".postgresql/postgresql.crt"));
        if let Some(cert) = default_client_cert.filter(|c| c.exists()) {
            if !settings.contains_key("sslcert") {
                warnings.push(format!(
                    "{} ignored: client certificates are not supported",
                    cert.display()
                ));
            }
        }

        let get = |name: &str| settings.get(name);

        // Ports.
        let mut ports = Vec::new();
        if let Some(s) = get("port") {
            for p in s.value.split(',') {
                let port = if p.trim().is_empty() {
                    DEFAULT_PORT
                } else {
                    match p.trim().parse::<u16>() {
                        Ok(n) if n > 0 => n,
                        _ => return Err(invalid("port", s, "a port number (1-65535)")),
                    }
                };
                ports.push(port);
            }
        }
        if ports.is_empty() {
            ports.push(DEFAULT_PORT);
        }

        // Hosts.
        let mut hosts = Vec::new();
        if let Some(s) = get("host") {
            for h in s.value.split(',') {
                let h = h.trim();
                if h.is_empty() {
                    hosts.push(default_host(ports[0]));
                } else if h.starts_with('/') {
                    hosts.push(Host::Unix(PathBuf::from(h)));
                } else {
                    hosts.push(Host::Tcp(h.to_string()));
                }
            }
        }
        let mut hostaddrs = Vec::new();
        if let Some(s) = get("hostaddr") {
            for a in s.value.split(',') {
                hostaddrs.push(
                    a.trim()
                        .parse::<IpAddr>()
                        .map_err(|_| invalid("hostaddr", s, "IP addresses"))?,
                );
            }
        }
        if hosts.is_empty() && hostaddrs.is_empty() {
            hosts.push(default_host(ports[0]));
        }
        if !hosts.is_empty() && !hostaddrs.is_empty() && hosts.len() != hostaddrs.len() {
            return Err(ConnectError::InvalidOption(format!(
                "could not match {} host names to {} hostaddr values",
                hosts.len(),
                hostaddrs.len()
            )));
        }
        let n_hosts = hosts.len().max(hostaddrs.len());
        if ports.len() != 1 && ports.len() != n_hosts {
            return Err(ConnectError::InvalidOption(format!(
                "could not match {} port numbers to {} hosts",
                ports.len(),
                n_hosts
            )));
        }

        // User, database, password.
        let user = match get("user") {
            Some(s) => s.value.clone(),
            None => os_user_and_home()
                .0
                .or_else(|| env("USER"))
                .or_else(|| env("LOGNAME"))
                .ok_or_else(|| {
                    ConnectError::InvalidOption(
                        "could not determine the user name; set PGUSER or give user=...".into(),
                    )
                })?,
        };
        let dbname = get("dbname")
            .map(|s| s.value.clone())
            .unwrap_or_else(|| user.clone());
        let password = get("password").map(|s| (s.value.clone(), s.origin.clone()));
        let passfile_path = match get("passfile") {
            Some(s) => Some(PathBuf::from(&s.value)),
            None => home_dir.map(|h| h.join(".pgpass")),
        };
        let mut passfile = None;
        if let (None, Some(path)) = (&password, &passfile_path) {
            match load_passfile(path) {
                Ok(p) => passfile = p.map(Arc::new),
                Err(warning) => warnings.push(warning),
            }
        }

        // Plain settings.
        let application_name = get("application_name")
            .or_else(|| get("fallback_application_name"))
            .map(|s| s.value.clone());
        let connect_timeout = match get("connect_timeout") {
            Some(s) => match s.value.trim().parse::<i64>() {
                // As libpq: 0 or less waits forever, the minimum is 2 s.
                Ok(n) if n <= 0 => None,
                Ok(n) => Some(Duration::from_secs(n.max(2) as u64)),
                Err(_) => return Err(invalid("connect_timeout", s, "a number of seconds")),
            },
            None => None,
        };
        let bad_encoding = get("client_encoding").filter(|s| {
            !matches!(
                s.value.to_ascii_lowercase().as_str(),
                "utf8" | "utf-8" | "unicode" | "auto"
            )
        });
        if let Some(s) = bad_encoding {
            return Err(ConnectError::InvalidOption(format!(
                "client_encoding \"{}\" (from {}) is not supported; only UTF8 is",
                s.value.escape_debug(),
                s.origin
            )));
        }
        if let Some(s) = get("gssencmode") {
            match s.value.as_str() {
                "disable" | "allow" | "prefer" => {}
                "require" => {
                    return Err(ConnectError::InvalidOption(format!(
                        "gssencmode=require (from {}) is not supported: no GSSAPI support",
                        s.origin
                    )));
                }
                _ => return Err(invalid("gssencmode", s, "disable, prefer or require")),
            }
        }

        // TLS.
        let mut ssl_mode = match get("sslmode") {
            Some(s) => SslMode::parse(&s.value).ok_or_else(|| {
                invalid(
                    "sslmode",
                    s,
                    "disable, allow, prefer, require, verify-ca or verify-full",
                )
            })?,
            None if get("requiressl").is_some_and(|s| s.value.trim() == "1") => SslMode::Require,
            None => SslMode::Prefer,
        };
        let ssl_root_cert = match get("sslrootcert") {
            Some(s) if s.value == "system" => {
                match get("sslmode") {
                    None => ssl_mode = SslMode::VerifyFull,
                    Some(_) if ssl_mode < SslMode::VerifyCa => {
                        return Err(ConnectError::InvalidOption(format!(
                            "sslmode value \"{ssl_mode}\" is invalid when sslrootcert=system \
                             (from {}); use verify-ca or verify-full",
                            s.origin
                        )));
                    }
                    Some(_) => {}
                }
                Some(RootCert::System)
            }
            Some(s) => Some(RootCert::File(PathBuf::from(&s.value))),
            None => home_dir
                .map(|h| h.join(".postgresql/root.crt"))
                .filter(|p| p.exists())
                .map(RootCert::File),
        };
        if ssl_mode >= SslMode::VerifyCa && ssl_root_cert.is_none() {
            let default = match home_dir {
                Some(h) => format!(
                    "no sslrootcert was given and \"{}\" does not exist",
                    h.join(".postgresql/root.crt").display()
                ),
                None => "no sslrootcert was given".into(),
            };
            return Err(ConnectError::InvalidOption(format!(
                "sslmode={ssl_mode} needs a root certificate to verify the server with, but \
                 {default}; set sslrootcert=<CA file> (or PGSSLROOTCERT), use sslrootcert=system \
                 for the system's trusted roots, or use sslmode=require to skip verification"
            )));
        }
        let ssl_sni = match get("sslsni") {
            Some(s) => match s.value.trim() {
                "0" => false,
                "1" => true,
                _ => return Err(invalid("sslsni", s, "0 or 1")),
            },
            None => true,
        };
        let tls_version = |name: &str| -> Result<Option<u8>, ConnectError> {
            match get(name) {
                None => Ok(None),
                Some(s) => match s.value.as_str() {
                    "TLSv1" | "TLSv1.1" | "TLSv1.2" => Ok(Some(2)),
                    "TLSv1.3" => Ok(Some(3)),
                    _ => Err(invalid(name, s, "TLSv1.2 or TLSv1.3")),
                },
            }
        };
        let ssl_min_tls13 = tls_version("ssl_min_protocol_version")? == Some(3);
        let ssl_max_tls12 = tls_version("ssl_max_protocol_version")? == Some(2);
        let too_old = get("ssl_max_protocol_version")
            .filter(|s| matches!(s.value.as_str(), "TLSv1" | "TLSv1.1"));
        if let Some(s) = too_old {
            return Err(ConnectError::InvalidOption(format!(
                "ssl_max_protocol_version={} (from {}) is not supported: TLS 1.2 is the minimum",
                s.value, s.origin
            )));
        }
        if ssl_min_tls13 && ssl_max_tls12 {
            return Err(ConnectError::InvalidOption(
                "ssl_min_protocol_version is greater than ssl_max_protocol_version".into(),
            ));
        }

        // Settings handed to tokio-postgres.
        let mut passthrough = Vec::new();
        let mut scratch = tokio_postgres::Config::new();
        for name in [
            "options",
            "sslnegotiation",
            "channel_binding",
            "target_session_attrs",
            "load_balance_hosts",
            "keepalives",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
        ] {
            if let Some(s) = get(name) {
                apply_passthrough(&mut scratch, name, &s.value)
                    .map_err(|expected| invalid(name, s, expected))?;
                passthrough.push((name, s.value.clone()));
            }
        }
        if get("sslnegotiation").is_some_and(|s| s.value == "direct") && ssl_mode < SslMode::Require
        {
            return Err(ConnectError::InvalidOption(format!(
                "sslnegotiation=direct needs sslmode=require or stronger, not {ssl_mode}"
            )));
        }

        Ok(ConnectOptions {
            hosts,
            hostaddrs,
            ports,
            user,
            password,
            passfile_path,
            passfile,
            dbname,
            application_name,
            connect_timeout,
            ssl_mode,
            ssl_root_cert,
            ssl_sni,
            ssl_min_tls13,
            ssl_max_tls12,
            passthrough,
            warnings,
        })
    }

    /// The hosts, in the order they are tried (a Unix socket directory is a
    /// [`Host::Unix`]). Empty when only `hostaddr`s were given.
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// The `hostaddr`s (numeric addresses used instead of looking up the hosts).
    pub fn hostaddrs(&self) -> &[IpAddr] {
        &self.hostaddrs
    }

    /// The ports: one for all hosts, or one per host.
    pub fn ports(&self) -> &[u16] {
        &self.ports
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The database name.
    pub fn dbname(&self) -> &str {
        &self.dbname
    }

    /// Connects to another database on the same server(s), with otherwise
    /// the same settings (the password file is consulted for the new name).
    pub fn set_dbname(&mut self, dbname: impl Into<String>) {
        self.dbname = dbname.into();
    }

    /// `application_name`, if set.
    pub fn application_name(&self) -> Option<&str> {
        self.application_name.as_deref()
    }

    /// Sets `application_name`.
    pub fn set_application_name(&mut self, name: impl Into<String>) {
        self.application_name = Some(name.into());
    }

    /// `connect_timeout` (per host), if any.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// Sets `connect_timeout` (per host; `None` waits forever).
    pub fn set_connect_timeout(&mut self, timeout: Option<Duration>) {
        self.connect_timeout = timeout;
    }

    /// The effective `sslmode`.
    pub fn ssl_mode(&self) -> SslMode {
        self.ssl_mode
    }

    /// The root certificates the server is verified with, if any.
    pub fn ssl_root_cert(&self) -> Option<&RootCert> {
        self.ssl_root_cert.as_ref()
    }

    /// Whether a password was given explicitly (URL, conninfo or
    /// `PGPASSWORD`); the password file is not counted.
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// The password file that is (or would be) consulted.
    pub fn passfile(&self) -> Option<&Path> {
        self.passfile_path.as_deref()
    }

    /// Where the password for connecting to host number `index` (in the
    /// order of [`ConnectOptions::hosts`]) comes from.
    pub fn password_source(&self, index: usize) -> PasswordSource {
        match self.targets().get(index) {
            Some(t) => self.password_for(t).1,
            None => PasswordSource::None,
        }
    }

    /// Things the user should know: an ignored password file (permissions),
    /// ignored client-certificate settings. Print them as warnings.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The (host, hostaddr, port) combinations, in order.
    fn targets(&self) -> Vec<Target> {
        let n = self.hosts.len().max(self.hostaddrs.len());
        (0..n)
            .map(|i| Target {
                host: self.hosts.get(i).cloned(),
                hostaddr: self.hostaddrs.get(i).copied(),
                port: *self.ports.get(i).unwrap_or(&self.ports[0]),
            })
            .collect()
    }

    fn password_for(&self, target: &Target) -> (Option<String>, PasswordSource) {
        if let Some((password, origin)) = &self.password {
            return (
                Some(password.clone()),
                PasswordSource::Given(origin.to_string()),
            );
        }
        let Some(passfile) = &self.passfile else {
            return (None, PasswordSource::None);
        };
        let host = passfile_host(target.host.as_ref(), target.hostaddr);
        match passfile.lookup(&host, &target.port.to_string(), &self.dbname, &self.user) {
            Some(entry) => (
                Some(entry.password.clone()),
                PasswordSource::Passfile {
                    path: passfile.path.clone(),
                    line: entry.line,
                },
            ),
            None => (None, PasswordSource::None),
        }
    }

    /// The tokio-postgres configuration for one attempt.
    fn pg_config(
        &self,
        target: &Target,
        password: Option<&str>,
        tls: bool,
    ) -> tokio_postgres::Config {
        let mut c = tokio_postgres::Config::new();
        match (&target.host, target.hostaddr) {
            (Some(Host::Tcp(name)), _) => {
                c.host(name);
            }
            (Some(Host::Unix(path)), _) => {
                c.host_path(path);
            }
            (None, Some(addr)) => {
                c.host(addr.to_string());
            }
            (None, None) => {}
        }
        if let Some(addr) = target.hostaddr {
            c.hostaddr(addr);
        }
        c.port(target.port).user(&self.user).dbname(&self.dbname);
        if let Some(password) = password {
            c.password(password);
        }
        if let Some(name) = &self.application_name {
            c.application_name(name);
        }
        if let Some(t) = self.connect_timeout {
            c.connect_timeout(t);
        }
        for (name, value) in &self.passthrough {
            // Validated in resolve_with.
            let _ = apply_passthrough(&mut c, name, value);
        }
        c.ssl_mode(match (tls, self.ssl_mode) {
            (false, _) => tokio_postgres::config::SslMode::Disable,
            // A server that answers "no TLS" gets a plain connection.
            (true, SslMode::Prefer) => tokio_postgres::config::SslMode::Prefer,
            (true, _) => tokio_postgres::config::SslMode::Require,
        });
        c
    }

    fn passthrough(&self, name: &str) -> Option<&str> {
        self.passthrough
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// How the server certificate is checked.
    fn verification(&self) -> Verify {
        match self.ssl_mode {
            SslMode::VerifyFull => Verify::Full,
            SslMode::VerifyCa => Verify::Chain,
            _ if self.ssl_root_cert.is_some() => Verify::Chain,
            _ => Verify::None,
        }
    }

    fn tls_connector(&self) -> Result<MakeRustlsConnect, ConnectError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verify = self.verification();
        let roots = match (verify, &self.ssl_root_cert) {
            (Verify::None, _) | (_, None) => None,
            (_, Some(root)) => Some(Arc::new(load_roots(root)?)),
        };
        let versions: &[&'static rustls::SupportedProtocolVersion] =
            match (self.ssl_min_tls13, self.ssl_max_tls12) {
                (true, _) => &[&rustls::version::TLS13],
                (_, true) => &[&rustls::version::TLS12],
                _ => &[&rustls::version::TLS13, &rustls::version::TLS12],
            };
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_protocol_versions(versions)
            .map_err(|e| ConnectError::Tls(format!("cannot set up TLS: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PgServerVerifier {
                verify,
                roots,
                provider,
            }))
            .with_no_client_auth();
        config.enable_sni = self.ssl_sni;
        if self.passthrough("sslnegotiation") == Some("direct") {
            config.alpn_protocols = vec![b"postgresql".to_vec()];
        }
        Ok(MakeRustlsConnect::new(config))
    }
}

/// Applies a setting that tokio-postgres understands; `Err` says what values
/// are valid.
fn apply_passthrough(
    c: &mut tokio_postgres::Config,
    name: &str,
    value: &str,
) -> Result<(), &'static str> {
    use tokio_postgres::config::{
        ChannelBinding, LoadBalanceHosts, SslNegotiation, TargetSessionAttrs,
    };
    let secs = |v: &str| -> Result<Option<Duration>, &'static str> {
        match v.trim().parse::<i64>() {
            Ok(n) if n > 0 => Ok(Some(Duration::from_secs(n as u64))),
            Ok(_) => Ok(None),
            Err(_) => Err("a number of seconds"),
        }
    };
    match name {
        "options" => {
            c.options(value);
        }
        "sslnegotiation" => {
            c.ssl_negotiation(match value {
                "postgres" => SslNegotiation::Postgres,
                "direct" => SslNegotiation::Direct,
                _ => return Err("postgres or direct"),
            });
        }
        "channel_binding" => {
            c.channel_binding(match value {
                "disable" => ChannelBinding::Disable,
                "prefer" => ChannelBinding::Prefer,
                "require" => ChannelBinding::Require,
                _ => return Err("disable, prefer or require"),
            });
        }
        "target_session_attrs" => {
            c.target_session_attrs(match value {
                "any" => TargetSessionAttrs::Any,
                "read-write" => TargetSessionAttrs::ReadWrite,
                "read-only" => TargetSessionAttrs::ReadOnly,
                _ => return Err("any, read-write or read-only"),
            });
        }
        "load_balance_hosts" => {
            c.load_balance_hosts(match value {
                "disable" => LoadBalanceHosts::Disable,
                "random" => LoadBalanceHosts::Random,
                _ => return Err("disable or random"),
            });
        }
        "keepalives" => {
            let n: i64 = value.trim().parse().map_err(|_| "0 or 1")?;
            c.keepalives(n != 0);
        }
        "keepalives_idle" => {
            if let Some(d) = secs(value)? {
                c.keepalives_idle(d);
            }
        }
        "keepalives_interval" => {
            if let Some(d) = secs(value)? {
                c.keepalives_interval(d);
            }
        }
        "keepalives_count" => {
            let n: u32 = value.trim().parse().map_err(|_| "a number")?;
            c.keepalives_retries(n);
        }
        "tcp_user_timeout" => {
            // Milliseconds in libpq.
            match value.trim().parse::<i64>() {
                Ok(n) if n > 0 => {
                    c.tcp_user_timeout(Duration::from_millis(n as u64));
                }
                Ok(_) => {}
                Err(_) => return Err("a number of milliseconds"),
            }
        }
        _ => return Err("a supported setting"),
    }
    Ok(())
}

/// A host that does not name one: a socket directory with a socket for the
/// port, else `localhost`.
fn default_host(port: u16) -> Host {
    DEFAULT_SOCKET_DIRS
        .iter()
        .map(PathBuf::from)
        .find(|dir| dir.join(format!(".s.PGSQL.{port}")).exists())
        .map(Host::Unix)
        .unwrap_or_else(|| Host::Tcp("localhost".into()))
}

/// The effective user's name and home directory, from the password database.
fn os_user_and_home() -> (Option<String>, Option<PathBuf>) {
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, which outlive every use
    // of the pointers it stores; we only read them when it reports success.
    unsafe {
        let uid = libc::geteuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 16 * 1024];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc != 0 || result.is_null() {
            return (None, None);
        }
        let name = (!pwd.pw_name.is_null())
            .then(|| CStr::from_ptr(pwd.pw_name).to_string_lossy().into_owned())
            .filter(|n| !n.is_empty());
        let home = (!pwd.pw_dir.is_null())
            .then(|| PathBuf::from(OsStr::from_bytes(CStr::from_ptr(pwd.pw_dir).to_bytes())))
            .filter(|h| !h.as_os_str().is_empty());
        (name, home)
    }
}

// ---------------------------------------------------------------------------
// Display / Debug (redacted)

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

impl fmt::Display for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "postgres://{}", encode(&self.user))?;
        if self.password.is_some() {
            f.write_str(":***")?;
        }
        f.write_str("@")?;
        for (i, host) in self.hosts.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match host {
                Host::Tcp(name) if name.contains(':') => write!(f, "[{name}]")?,
                Host::Tcp(name) => f.write_str(&encode(name))?,
                Host::Unix(path) => f.write_str(&encode(&path.to_string_lossy()))?,
            }
            write!(f, ":{}", self.ports.get(i).unwrap_or(&self.ports[0]))?;
        }
        if self.hosts.is_empty() {
            write!(f, ":{}", self.ports[0])?;
        }
        write!(f, "/{}?sslmode={}", encode(&self.dbname), self.ssl_mode)?;
        let mut param = |k: &str, v: &str| write!(f, "&{k}={}", encode(v));
        if !self.hostaddrs.is_empty() {
            let addrs: Vec<String> = self.hostaddrs.iter().map(|a| a.to_string()).collect();
            param("hostaddr", &addrs.join(","))?;
        }
        match &self.ssl_root_cert {
            Some(RootCert::File(p)) => param("sslrootcert", &p.to_string_lossy())?,
            Some(RootCert::System) => param("sslrootcert", "system")?,
            None => {}
        }
        if !self.ssl_sni {
            param("sslsni", "0")?;
        }
        if self.ssl_min_tls13 {
            param("ssl_min_protocol_version", "TLSv1.3")?;
        }
        if self.ssl_max_tls12 {
            param("ssl_max_protocol_version", "TLSv1.2")?;
        }
        if let Some(name) = &self.application_name {
            param("application_name", name)?;
        }
        if let Some(t) = self.connect_timeout {
            param("connect_timeout", &t.as_secs().to_string())?;
        }
        for (name, value) in &self.passthrough {
            param(name, value)?;
        }
        Ok(())
    }
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("url", &format_args!("{self}"))
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("passfile", &self.passfile)
            .field("warnings", &self.warnings)
            .finish()
    }
}

// ---------------------------------------------------------------------------
// TLS

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    None,
    Chain,
    Full,
}

fn load_roots(root: &RootCert) -> Result<RootCertStore, ConnectError> {
    let mut store = RootCertStore::empty();
    match root {
        RootCert::File(path) => {
            let data = fs::read(path).map_err(|e| {
                ConnectError::Tls(format!(
                    "could not read root certificate file \"{}\": {e}",
                    path.display()
                ))
            })?;
            for cert in CertificateDer::pem_slice_iter(&data) {
                let cert = cert.map_err(|e| {
                    ConnectError::Tls(format!(
                        "could not parse root certificate file \"{}\": {e}",
                        path.display()
                    ))
                })?;
                store.add(cert).map_err(|e| {
                    ConnectError::Tls(format!(
                        "invalid certificate in root certificate file \"{}\": {e}",
                        path.display()
                    ))
                })?;
            }
            if store.is_empty() {
                return Err(ConnectError::Tls(format!(
                    "no certificates found in root certificate file \"{}\" (PEM expected)",
                    path.display()
                )));
            }
        }
        RootCert::System => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                let why = found
                    .errors
                    .first()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                return Err(ConnectError::Tls(format!(
                    "sslrootcert=system: no trusted root certificates found on this system{why}; \
                     install the CA certificates (e.g. the ca-certificates package) or give \
                     sslrootcert=<CA file>"
                )));
            }
        }
    }
    Ok(store)
}

/// libpq's certificate checks: none, the chain only, or chain and host name.
#[derive(Debug)]
struct PgServerVerifier {
    verify: Verify,
    roots: Option<Arc<RootCertStore>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PgServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.verify == Verify::None {
            return Ok(ServerCertVerified::assertion());
        }
        let Some(roots) = &self.roots else {
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            ));
        };
        let cert = ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &cert,
            roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )?;
        if self.verify == Verify::Full {
            rustls::client::verify_server_name(&cert, server_name)?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

// ---------------------------------------------------------------------------
// Connecting

#[derive(Debug, Clone)]
struct Target {
    host: Option<Host>,
    hostaddr: Option<IpAddr>,
    port: u16,
}

impl Target {
    fn is_unix(&self) -> bool {
        matches!(self.host, Some(Host::Unix(_)))
    }

    /// libpq style: `server at "db" (10.0.0.1), port 5432` or
    /// `server on socket "/tmp/.s.PGSQL.5432"`.
    fn describe(&self) -> String {
        match (&self.host, self.hostaddr) {
            (Some(Host::Unix(dir)), _) => format!(
                "server on socket \"{}\"",
                dir.join(format!(".s.PGSQL.{}", self.port)).display()
            ),
            (Some(Host::Tcp(name)), Some(addr)) => {
                format!("server at \"{name}\" ({addr}), port {}", self.port)
            }
            (Some(Host::Tcp(name)), None) => format!("server at \"{name}\", port {}", self.port),
            (None, Some(addr)) => format!("server at {addr}, port {}", self.port),
            (None, None) => format!("server, port {}", self.port),
        }
    }

    fn tls_name(&self) -> String {
        match (&self.host, self.hostaddr) {
            (Some(Host::Tcp(name)), _) => name.clone(),
            (_, Some(addr)) => addr.to_string(),
            _ => String::new(),
        }
    }
}

/// Connects as [`ConnectOptions`] say, trying the hosts in order (libpq's
/// multi-host semantics; `load_balance_hosts=random` shuffles them) and, per
/// host, the TLS modes the `sslmode` allows (`prefer` falls back to a plain
/// connection when the TLS handshake fails, `allow` tries plain first).
///
/// Must be called within a Tokio runtime (with timers enabled when a
/// `connect_timeout` is set): the connection is driven by a task spawned with
/// [`tokio::spawn`], returned as the [`ConnectionTask`]. Drop the [`Client`]
/// to close the connection (the task then ends with `Ok`). `connect_timeout`
/// applies to each attempt as a whole (connecting, TLS, authentication).
///
/// On failure, [`ConnectError::Failed`] lists every attempt with the host,
/// port, user, database and TLS mode, what went wrong, and a hint.
pub async fn connect(options: &ConnectOptions) -> Result<(Client, ConnectionTask), ConnectError> {
    let mut targets = options.targets();
    if options.passthrough("load_balance_hosts") == Some("random") {
        shuffle(&mut targets);
    }
    let wants_tls = options.ssl_mode != SslMode::Disable && targets.iter().any(|t| !t.is_unix());
    let tls = if wants_tls {
        Some(options.tls_connector()?)
    } else {
        None
    };

    let mut failures = Vec::new();
    for target in &targets {
        let (password, password_source) = options.password_for(target);
        // The TLS attempts for this host: true = TLS, false = plain.
        let plan: &[bool] = if target.is_unix() {
            &[false] // PostgreSQL does not do TLS over Unix sockets; neither does libpq.
        } else {
            match options.ssl_mode {
                SslMode::Disable => &[false],
                SslMode::Allow => &[false, true],
                SslMode::Prefer => &[true, false],
                SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => &[true],
            }
        };
        for (i, &use_tls) in plan.iter().enumerate() {
            let config = options.pg_config(target, password.as_deref(), use_tls);
            let attempt = async {
                match (&tls, use_tls) {
                    (Some(tls), true) => connect_one(&config, tls.clone()).await,
                    _ => connect_one(&config, NoTls).await,
                }
            };
            let result = match options.connect_timeout {
                Some(limit) => tokio::time::timeout(limit, attempt)
                    .await
                    .unwrap_or(Err(None)),
                None => attempt.await,
            };
            match result {
                Ok(connected) => return Ok(connected),
                Err(err) => {
                    let failure = describe_failure(options, target, use_tls, &password_source, err);
                    let kind = failure.kind;
                    failures.push(failure);
                    let next_is_plain_fallback =
                        options.ssl_mode == SslMode::Prefer && i == 0 && plan.len() > 1;
                    let tls_failed = matches!(
                        kind,
                        FailureKind::Tls
                            | FailureKind::TlsCertificate
                            | FailureKind::TlsHostnameMismatch
                    );
                    let rejected =
                        matches!(kind, FailureKind::Rejected | FailureKind::Authentication);
                    let retry = if next_is_plain_fallback {
                        tls_failed
                    } else {
                        options.ssl_mode == SslMode::Allow && rejected
                    };
                    if !retry {
                        break;
                    }
                }
            }
        }
    }
    Err(ConnectError::Failed(failures))
}

async fn connect_one<T>(
    config: &tokio_postgres::Config,
    tls: T,
) -> Result<(Client, ConnectionTask), Option<tokio_postgres::Error>>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, connection) = config.connect(tls).await.map_err(Some)?;
    Ok((client, tokio::spawn(connection)))
}

/// A cheap shuffle without a random-number crate.
fn shuffle<T>(items: &mut [T]) {
    use std::hash::{BuildHasher, RandomState};
    let state = RandomState::new();
    for i in (1..items.len()).rev() {
        let j = (state.hash_one(i) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// The rustls error somewhere in the chain (rustls errors arrive wrapped in
/// an `io::Error`, whose `source()` skips them, hence `get_ref`).
fn find_rustls_error<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(r) = e.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| find_rustls_error(inner));
        if inner.is_some() {
            return inner;
        }
        current = e.source();
    }
    None
}

/// The error with its causes, `a: b: c`.
fn error_chain(err: &tokio_postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return db.to_string();
    }
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}

fn describe_failure(
    options: &ConnectOptions,
    target: &Target,
    tls: bool,
    password_source: &PasswordSource,
    err: Option<tokio_postgres::Error>,
) -> ConnectFailure {
    use tokio_postgres::error::SqlState;

    let details = format!(
        "user \"{}\", database \"{}\", {}",
        options.user,
        options.dbname,
        if target.is_unix() {
            "no TLS over a Unix socket".to_string()
        } else if tls {
            format!("TLS, sslmode={}", options.ssl_mode)
        } else {
            format!("no TLS, sslmode={}", options.ssl_mode)
        }
    );
    let Some(err) = err else {
        let secs = options.connect_timeout.map(|d| d.as_secs()).unwrap_or(0);
        return ConnectFailure {
            target: target.describe(),
            details,
            kind: FailureKind::Timeout,
            message: format!("timeout expired after {secs} s (connect_timeout)"),
            hint: Some("is the server running, and reachable from here?".into()),
            source: None,
        };
    };

    // The server and tokio-postgres never echo the password (and our own
    // texts never include it).
    let message = error_chain(&err);
    let head = err.to_string();
    let rustls_error = find_rustls_error(&err);

    let kind = if let Some(db) = err.as_db_error() {
        if *db.code() == SqlState::INVALID_PASSWORD {
            FailureKind::Authentication
        } else {
            FailureKind::Rejected
        }
    } else if head.starts_with("error performing TLS handshake") {
        if message.contains("server does not support TLS") {
            FailureKind::TlsNotSupported
        } else {
            match rustls_error {
                Some(rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. },
                )) => FailureKind::TlsHostnameMismatch,
                Some(rustls::Error::InvalidCertificate(_)) => FailureKind::TlsCertificate,
                _ => FailureKind::Tls,
            }
        }
    } else if head.starts_with("error connecting to server") {
        if message.contains("timed out") {
            FailureKind::Timeout
        } else {
            FailureKind::Unreachable
        }
    } else if head.starts_with("timeout waiting for server") {
        FailureKind::Timeout
    } else if message.contains("password missing") {
        FailureKind::PasswordMissing
    } else if head.starts_with("authentication error") {
        FailureKind::Authentication
    } else {
        FailureKind::Other
    };

    let passfile_note = || -> String {
        let ignored = options
            .warnings
            .iter()
            .find(|w| w.starts_with("password file"));
        match (ignored, &options.passfile_path) {
            (Some(w), _) => format!(" (note: {w})"),
            (None, Some(p)) => format!(" (no matching line in {})", p.display()),
            (None, None) => String::new(),
        }
    };
    let hint = match kind {
        FailureKind::Authentication => Some(match password_source {
            PasswordSource::Given(origin) if origin == "PGPASSWORD" => format!(
                "check the password for user \"{}\" (it came from PGPASSWORD, \
                 which takes precedence over ~/.pgpass)",
                options.user
            ),
            PasswordSource::Given(origin) => format!(
                "check the password for user \"{}\" (it came from {origin}; \
                 without one there, PGPASSWORD and then ~/.pgpass are used)",
                options.user
            ),
            PasswordSource::Passfile { path, line } => format!(
                "check the password for user \"{}\" in {} line {line} \
                 (or set PGPASSWORD)",
                options.user,
                path.display()
            ),
            PasswordSource::None => {
                format!("check the credentials for user \"{}\"", options.user)
            }
        }),
        FailureKind::PasswordMissing => Some(format!(
            "the server asked for a password and none was given: set PGPASSWORD, \
             add a line \"{}:{}:{}:{}:<password>\" to ~/.pgpass (mode 0600) or PGPASSFILE, \
             or put it in the URL{}",
            passfile_host(target.host.as_ref(), target.hostaddr).replace(':', "\\:"),
            target.port,
            options.dbname.replace(':', "\\:"),
            options.user.replace(':', "\\:"),
            passfile_note()
        )),
        FailureKind::Unreachable => Some(if target.is_unix() {
            "is the server running locally and accepting connections on that socket? \
             (set host/PGHOST to connect elsewhere)"
                .to_string()
        } else {
            format!(
                "is the server running on that host and accepting TCP/IP connections on port {}?",
                target.port
            )
        }),
        FailureKind::Timeout => {
            Some("is the server running, and reachable from here (firewall)?".into())
        }
        FailureKind::TlsNotSupported => Some(
            "the server does not support TLS; use sslmode=disable or prefer \
             (or enable ssl on the server)"
                .into(),
        ),
        FailureKind::TlsHostnameMismatch => Some(format!(
            "the server certificate is not valid for \"{}\" (sslmode=verify-full checks the \
             host name); connect using a name the certificate was issued for, or use \
             sslmode=verify-ca to verify only the certificate chain",
            target.tls_name()
        )),
        FailureKind::TlsCertificate => Some(format!(
            "the server certificate could not be verified with {}; check sslrootcert \
             (PGSSLROOTCERT, ~/.postgresql/root.crt){}",
            match &options.ssl_root_cert {
                Some(RootCert::File(p)) =>
                    format!("the root certificate(s) in \"{}\"", p.display()),
                Some(RootCert::System) => "the system's trusted roots".into(),
                None => "no root certificates".into(),
            },
            if options.ssl_mode >= SslMode::VerifyCa {
                ", or use sslmode=require to skip verification".to_string()
            } else {
                format!(
                    " (as in libpq, sslmode={} verifies the certificate chain when a root \
                     certificate is available)",
                    options.ssl_mode
                )
            }
        )),
        FailureKind::Tls => None,
        FailureKind::Rejected => {
            let db = err.as_db_error();
            let code = db.map(|d| d.code().clone());
            if code == Some(SqlState::INVALID_CATALOG_NAME) {
                Some("check the database name (dbname, PGDATABASE, the URL path)".into())
            } else if message.contains("pg_hba.conf") && !tls && !target.is_unix() {
                Some(
                    "the server may accept only TLS connections from here (hostssl in \
                     pg_hba.conf); try sslmode=require (or prefer)"
                        .into(),
                )
            } else if message.contains("pg_hba.conf") {
                Some("the server's pg_hba.conf does not allow this connection".into())
            } else if code == Some(SqlState::TOO_MANY_CONNECTIONS) {
                Some("the server has no free connection slots; try again later".into())
            } else {
                None
            }
        }
        FailureKind::Other => None,
    };

    ConnectFailure {
        target: target.describe(),
        details,
        kind,
        message,
        hint,
        source: Some(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn pairs(s: &str) -> Vec<(String, String)> {
        parse_connection_string(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.into(), v.into())
    }

    #[test]
    fn connect_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let options = ConnectOptions::resolve_with(Some("host=h"), &no_env, None).unwrap();
        let future = connect(&options);
        assert_send(&future);
    }

    #[test]
    fn parses_urls() {
        assert_eq!(
            pairs("postgres://alice:p%40ss@db.example.com:6543/app?sslmode=require"),
            vec![
                p("user", "alice"),
                p("password", "p@ss"),
                p("host", "db.example.com"),
                p("port", "6543"),
                p("dbname", "app"),
                p("sslmode", "require"),
            ]
        );
        assert_eq!(
            pairs("postgresql://[::1]:5433,h2/db"),
            vec![p("host", "::1,h2"), p("port", "5433,"), p("dbname", "db")]
        );
        assert_eq!(pairs("postgres:///app"), vec![p("dbname", "app")]);
        assert_eq!(
            pairs("postgresql://%2Fvar%2Frun%2Fpostgresql/app"),
            vec![p("host", "/var/run/postgresql"), p("dbname", "app")]
        );
        assert_eq!(
            pairs("postgres://u@/app?host=/tmp&ssl=true"),
            vec![
                p("user", "u"),
                p("dbname", "app"),
                p("host", "/tmp"),
                p("sslmode", "require")
            ]
        );
        // A raw '@' in the password: the last '@' ends the user info.
        assert_eq!(
            pairs("postgres://u:a@b@host/db"),
            vec![
                p("user", "u"),
                p("password", "a@b"),
                p("host", "host"),
                p("dbname", "db")
            ]
        );
    }

    #[test]
    fn url_errors_do_not_quote_the_password() {
        for s in [
            "postgres://u:sec%zzret@host/db",
            "postgres://u:secret@host/db?nope=1",
            "postgres://u:secret@host/db?a",
            "postgres://u:secret@[::1/db",
            "mysql://u:secret@host/db",
            "u:secret@host",
        ] {
            let err = parse_connection_string(s).unwrap_err().to_string();
            assert!(!err.contains("secret") && !err.contains("sec"), "{err}");
        }
    }

    #[test]
    fn parses_conninfo() {
        assert_eq!(
            pairs(r"host=h port = 5 password='it\'s a \\ secret' dbname=a\ b"),
            vec![
                p("host", "h"),
                p("port", "5"),
                p("password", r"it's a \ secret"),
                p("dbname", "a b"),
            ]
        );
        assert!(parse_connection_string("host=h password='open").is_err());
        assert!(parse_connection_string("host").is_err());
    }

    #[test]
    fn passfile_lines() {
        let pf = parse_passfile(
            Path::new("/x"),
            "# comment\n\
             db:5432:app:alice:first\n\
             *:*:*:bob:pa\\:ss\\\\word:trailing\n\
             short:line\n\
             /tmp/s:5432:*:*:sock\n",
        );
        assert_eq!(pf.entries.len(), 3);
        assert_eq!(
            pf.lookup("db", "5432", "app", "alice").unwrap().password,
            "first"
        );
        assert!(pf.lookup("db", "5433", "app", "alice").is_none());
        let bob = pf.lookup("anything", "1", "x", "bob").unwrap();
        assert_eq!(bob.password, r"pa:ss\word");
        assert_eq!(bob.line, 3);
        assert_eq!(
            pf.lookup("/tmp/s", "5432", "d", "u").unwrap().password,
            "sock"
        );
    }

    #[test]
    fn passfile_host_names() {
        let unix = |p: &str| Host::Unix(PathBuf::from(p));
        assert_eq!(
            passfile_host(Some(&unix("/var/run/postgresql")), None),
            "localhost"
        );
        assert_eq!(passfile_host(Some(&unix("/tmp")), None), "localhost");
        assert_eq!(passfile_host(Some(&unix("/srv/pg")), None), "/srv/pg");
        let addr: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(passfile_host(None, Some(addr)), "10.0.0.1");
        assert_eq!(
            passfile_host(Some(&Host::Tcp("db".into())), Some(addr)),
            "db"
        );
    }

    #[test]
    fn defaults_and_env() {
        let o = ConnectOptions::resolve_with(Some("host=h"), &no_env, None).unwrap();
        assert_eq!(o.ports(), &[5432]);
        assert_eq!(o.ssl_mode(), SslMode::Prefer);
        assert_eq!(o.dbname(), o.user());
        let env = |k: &str| match k {
            "PGUSER" => Some("envuser".to_string()),
            "PGSSLMODE" => Some("bogus".to_string()),
            _ => None,
        };
        let err = ConnectOptions::resolve_with(Some("host=h"), &env, None).unwrap_err();
        assert!(err.to_string().contains("PGSSLMODE"), "{err}");
        let o = ConnectOptions::resolve_with(Some("host=h sslmode=disable"), &env, None).unwrap();
        assert_eq!(o.user(), "envuser");
        assert_eq!(o.dbname(), "envuser");
    }

    #[test]
    fn option_checks() {
        let r = |s: &str| ConnectOptions::resolve_with(Some(s), &no_env, None);
        assert!(r("host=h sslmode=verify-full").is_err());
        assert!(r("host=h sslrootcert=system sslmode=require").is_err());
        assert_eq!(
            r("host=h sslrootcert=system").unwrap().ssl_mode(),
            SslMode::VerifyFull
        );
        assert!(r("host=h service=x").is_err());
        assert!(r("host=h bogus=1").is_err());
        assert!(r("host=a,b port=1,2,3").is_err());
        assert!(r("host=h target_session_attrs=primary").is_err());
        assert!(r("host=h client_encoding=LATIN1").is_err());
        assert!(!r("host=h sslcert=/x").unwrap().warnings().is_empty());
        assert_eq!(
            r("host=h connect_timeout=1").unwrap().connect_timeout(),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn display_is_redacted_and_reparses() {
        let o = ConnectOptions::resolve_with(
            Some("host='/tmp/my sock,db.example.com' port=5433,5434 user=al:ice password='pw x' dbname=app application_name='a b'"),
            &no_env,
            None,
        )
        .unwrap();
        let shown = o.to_string();
        assert_eq!(
            shown,
            "postgres://al%3Aice:***@%2Ftmp%2Fmy%20sock:5433,db.example.com:5434/app?sslmode=prefer&application_name=a%20b"
        );
        let again = ConnectOptions::resolve_with(Some(&shown), &no_env, None).unwrap();
        assert_eq!(again.hosts(), o.hosts());
        assert_eq!(again.ports(), o.ports());
        assert_eq!(again.user(), "al:ice");
        assert!(!format!("{o:?}").contains("pw x"));
    }
}
