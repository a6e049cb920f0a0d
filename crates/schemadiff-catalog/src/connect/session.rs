//! Connecting: each host of the settings in turn (as libpq tries them), TLS as `sslmode` asks, and a failure
//! described by its cause (no server, refused TLS, wrong password, ...) without the password.

use super::*;

#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) host: Option<Host>,
    pub(super) hostaddr: Option<IpAddr>,
    pub(super) port: u16,
}

impl Target {
    pub(super) fn is_unix(&self) -> bool {
        matches!(self.host, Some(Host::Unix(_)))
    }

    /// libpq style: `server at "db" (10.0.0.1), port 5432` or
    /// `server on socket "/tmp/.s.PGSQL.5432"`.
    pub(super) fn describe(&self) -> String {
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

    pub(super) fn tls_name(&self) -> String {
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

pub(super) async fn connect_one<T>(
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
pub(super) fn shuffle<T>(items: &mut [T]) {
    use std::hash::{BuildHasher, RandomState};
    let state = RandomState::new();
    for i in (1..items.len()).rev() {
        let j = (state.hash_one(i) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// The rustls error somewhere in the chain (rustls errors arrive wrapped in
/// an `io::Error`, whose `source()` skips them, hence `get_ref`).
pub(super) fn find_rustls_error<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
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
pub(super) fn error_chain(err: &tokio_postgres::Error) -> String {
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

pub(super) fn describe_failure(
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
