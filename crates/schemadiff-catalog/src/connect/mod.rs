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

mod keywords;
mod parse;
mod passfile;
mod session;
mod tls;

use keywords::*;
use parse::*;
use passfile::*;
pub use session::connect;
use session::*;
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
use tls::*;

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

#[cfg(test)]
mod tests;
