//! `schemadiff_catalog::connect` against real PostgreSQL servers: throwaway
//! clusters with password authentication, a TCP listener on 127.0.0.1 and,
//! for the TLS tests, a certificate signed by a CA generated here.
//!
//! Every test starts its own cluster (dropping it stops it and removes its
//! directory) and passes its environment explicitly
//! (`ConnectOptions::resolve_with`), so tests are independent of each other,
//! of their order and of the environment of the test process.

use std::collections::HashMap;
use std::fs;
use std::net::Ipv4Addr;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use schemadiff_catalog::cluster::{Cluster, ClusterOptions, PgBinaries};
use schemadiff_catalog::connect::{
    self, ConnectError, ConnectOptions, FailureKind, PasswordSource, RootCert, SslMode,
};

const ALICE_PASSWORD: &str = "p@ss:w rd/?é";

// ---------------------------------------------------------------------------
// Helpers

/// A private temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "schemadiff-connect-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `name` with permissions `mode`, returns its path.
    fn write(&self, name: &str, contents: &str, mode: u32) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, contents).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// An environment for `resolve_with`.
fn env_of(vars: &[(&str, String)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    move |name| map.get(name).cloned()
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// A CA and a server certificate for `localhost` signed by it.
struct Pki {
    ca_pem: String,
    server_cert_pem: String,
    server_key_pem: String,
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

fn pki() -> Pki {
    let ca = ca("schemadiff test CA");
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &ca).unwrap();
    Pki {
        ca_pem: ca.pem(),
        server_cert_pem: cert.pem(),
        server_key_pem: key.serialize_pem(),
    }
}

fn start(options: ClusterOptions) -> Cluster {
    let binaries = PgBinaries::discover().unwrap_or_else(|e| panic!("{e}"));
    Cluster::start_with(&binaries, &options).unwrap_or_else(|e| panic!("{e}"))
}

/// A cluster listening on 127.0.0.1 (and its socket) with these `pg_hba.conf`
/// lines, and role `alice` (password [`ALICE_PASSWORD`]) owning database `app`.
async fn start_with_alice(options: ClusterOptions) -> Cluster {
    let cluster = start(options.listen_tcp(Ipv4Addr::LOCALHOST.into(), 0));
    let (client, connection) =
        tokio_postgres::connect(&cluster.conninfo("postgres"), tokio_postgres::NoTls)
            .await
            .unwrap();
    let task = tokio::spawn(connection);
    client
        .batch_execute(&format!(
            "CREATE ROLE alice LOGIN PASSWORD '{}'",
            ALICE_PASSWORD.replace('\'', "''")
        ))
        .await
        .unwrap();
    client
        .batch_execute("CREATE DATABASE app OWNER alice")
        .await
        .unwrap();
    drop(client);
    task.await.unwrap().unwrap();
    cluster
}

fn scram_everywhere() -> ClusterOptions {
    ClusterOptions::new().hba(
        "local all alice scram-sha-256\n\
         host all all 127.0.0.1/32 scram-sha-256\n",
    )
}

fn tls_only(pki: &Pki) -> ClusterOptions {
    ClusterOptions::new()
        .hba("hostssl all all 127.0.0.1/32 scram-sha-256\n")
        .ssl(pki.server_cert_pem.clone(), pki.server_key_pem.clone())
}

fn resolve(url: &str, home: &Path) -> ConnectOptions {
    ConnectOptions::resolve_with(Some(url), &no_env, Some(home))
        .unwrap_or_else(|e| panic!("resolving {url}: {e}"))
}

#[derive(Debug, PartialEq)]
struct Session {
    user: String,
    db: String,
    ssl: bool,
    app: String,
}

/// Connects and reports who/where we are and whether the session uses TLS.
async fn session(options: &ConnectOptions) -> Result<Session, ConnectError> {
    let (client, task) = connect::connect(options).await?;
    let row = client
        .query_one(
            "SELECT current_user::text, current_database()::text, \
                    coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false), \
                    current_setting('application_name')",
            &[],
        )
        .await
        .unwrap();
    let session = Session {
        user: row.get(0),
        db: row.get(1),
        ssl: row.get(2),
        app: row.get(3),
    };
    drop(client);
    task.await.unwrap().unwrap();
    Ok(session)
}

async fn must_connect(options: &ConnectOptions) -> Session {
    session(options)
        .await
        .unwrap_or_else(|e| panic!("connecting with {options}: {e}"))
}

async fn must_fail(options: &ConnectOptions) -> ConnectError {
    match session(options).await {
        Ok(s) => panic!("connecting with {options} should fail, but got {s:?}"),
        Err(e) => {
            eprintln!("{options}\n  => {e}\n");
            e
        }
    }
}

fn alice_app(ssl: bool) -> Session {
    Session {
        user: "alice".into(),
        db: "app".into(),
        ssl,
        app: String::new(),
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn pgpass_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(':', "\\:")
}

// ---------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn url_and_conninfo_forms() {
    let cluster = start_with_alice(scram_everywhere()).await;
    let home = TempDir::new();
    let port = cluster.port();

    // URL, with a password that needs percent-encoding.
    let url = format!(
        "postgres://alice:{}@127.0.0.1:{port}/app?sslmode=disable&application_name=url%20form",
        enc(ALICE_PASSWORD)
    );
    let options = resolve(&url, home.path());
    assert_eq!(options.ssl_mode(), SslMode::Disable);
    assert!(options.has_password());
    assert_eq!(
        must_connect(&options).await,
        Session {
            app: "url form".into(),
            ..alice_app(false)
        }
    );

    // postgresql:// works too.
    let url = url.replacen("postgres://", "postgresql://", 1);
    assert_eq!(must_connect(&resolve(&url, home.path())).await.db, "app");

    // libpq key=value, with a quoted password.
    let conninfo = format!(
        "host=127.0.0.1 port={port} user=alice dbname=app sslmode=disable password='{}'",
        ALICE_PASSWORD.replace('\\', "\\\\").replace('\'', "\\'")
    );
    assert_eq!(
        must_connect(&resolve(&conninfo, home.path())).await,
        alice_app(false)
    );

    // Several hosts: tried in order (here the first has no server), and
    // hostaddr (connect to this address, use the host name for the rest).
    let closed_port = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!(
        "postgres://alice:{}@127.0.0.1:{closed_port},127.0.0.1:{port}/app?sslmode=disable",
        enc(ALICE_PASSWORD)
    );
    let options = resolve(&url, home.path());
    assert_eq!(options.ports(), &[closed_port, port]);
    assert_eq!(must_connect(&options).await, alice_app(false));
    let conninfo = format!(
        "host=db.invalid hostaddr=127.0.0.1 port={port} user=alice dbname=app sslmode=disable \
         password='{}'",
        ALICE_PASSWORD.replace('\'', "\\'")
    );
    assert_eq!(
        must_connect(&resolve(&conninfo, home.path())).await,
        alice_app(false)
    );

    // Default sslmode=prefer against a server without TLS: a plain connection.
    let conninfo = format!(
        "host=127.0.0.1 port={port} user=alice dbname=app password='{}'",
        ALICE_PASSWORD.replace('\'', "\\'")
    );
    let options = resolve(&conninfo, home.path());
    assert_eq!(options.ssl_mode(), SslMode::Prefer);
    assert_eq!(must_connect(&options).await, alice_app(false));

    // sslmode=require against a server without TLS fails, saying what to do.
    let options = resolve(&format!("{conninfo} sslmode=require"), home.path());
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::TlsNotSupported));
    let msg = err.to_string();
    assert!(
        msg.contains("the server does not support TLS; use sslmode=disable or prefer"),
        "{msg}"
    );
    assert!(!msg.contains(ALICE_PASSWORD), "{msg}");
}

#[tokio::test]
async fn environment_fills_the_gaps() {
    let cluster = start_with_alice(scram_everywhere()).await;
    let home = TempDir::new();
    let port = cluster.port().to_string();
    let socket = cluster.socket_dir().to_string_lossy().into_owned();

    // Nothing given: everything from PG* variables.
    let env = env_of(&[
        ("PGHOST", "127.0.0.1".into()),
        ("PGPORT", port.clone()),
        ("PGUSER", "alice".into()),
        ("PGPASSWORD", ALICE_PASSWORD.into()),
        ("PGDATABASE", "app".into()),
        ("PGAPPNAME", "from-env".into()),
        ("PGSSLMODE", "disable".into()),
        ("PGCONNECT_TIMEOUT", "7".into()),
    ]);
    let options = ConnectOptions::resolve_with(None, &env, Some(home.path())).unwrap();
    assert_eq!(options.connect_timeout(), Some(Duration::from_secs(7)));
    assert_eq!(options.ssl_mode(), SslMode::Disable);
    assert_eq!(
        options.password_source(0),
        PasswordSource::Given("PGPASSWORD".into())
    );
    assert_eq!(
        must_connect(&options).await,
        Session {
            app: "from-env".into(),
            ..alice_app(false)
        }
    );

    // A partial URL: what it says wins, the environment fills the rest.
    let env = env_of(&[
        ("PGUSER", "alice".into()),
        ("PGPASSWORD", ALICE_PASSWORD.into()),
        ("PGDATABASE", "postgres".into()),
        ("PGHOST", "192.0.2.1".into()), // unreachable; the URL's host wins
    ]);
    let url = format!("postgres://127.0.0.1:{port}/app?sslmode=disable");
    let options = ConnectOptions::resolve_with(Some(&url), &env, Some(home.path())).unwrap();
    assert_eq!(must_connect(&options).await, alice_app(false));

    // key=value, the same way.
    let options = ConnectOptions::resolve_with(
        Some("dbname=app"),
        &env_of(&[
            ("PGHOST", "127.0.0.1".into()),
            ("PGPORT", port.clone()),
            ("PGUSER", "alice".into()),
            ("PGPASSWORD", ALICE_PASSWORD.into()),
        ]),
        Some(home.path()),
    )
    .unwrap();
    assert_eq!(must_connect(&options).await, alice_app(false));

    // DATABASE_URL when no URL is given; the given URL wins over it.
    let good = format!(
        "postgres://alice:{}@127.0.0.1:{port}/app?sslmode=disable",
        enc(ALICE_PASSWORD)
    );
    let env = env_of(&[("DATABASE_URL", good.clone())]);
    let options = ConnectOptions::resolve_with(None, &env, Some(home.path())).unwrap();
    assert_eq!(must_connect(&options).await, alice_app(false));
    let env = env_of(&[(
        "DATABASE_URL",
        "postgres://nobody@192.0.2.1:1/nothing".to_string(),
    )]);
    let options = ConnectOptions::resolve_with(Some(&good), &env, Some(home.path())).unwrap();
    assert_eq!(must_connect(&options).await, alice_app(false));

    // PGHOST naming a Unix socket directory.
    let env = env_of(&[
        ("PGHOST", socket.clone()),
        ("PGPORT", port.clone()),
        ("PGUSER", "postgres".into()),
    ]);
    let options = ConnectOptions::resolve_with(None, &env, Some(home.path())).unwrap();
    assert!(
        matches!(options.hosts(), [tokio_postgres::config::Host::Unix(p)] if p == cluster.socket_dir())
    );
    let s = must_connect(&options).await;
    assert_eq!((s.user.as_str(), s.db.as_str()), ("postgres", "postgres"));

    // Invalid values are reported with where they came from.
    let env = env_of(&[("PGPORT", "fifty".into())]);
    let err = ConnectOptions::resolve_with(Some("host=h"), &env, Some(home.path())).unwrap_err();
    assert!(err.to_string().contains("PGPORT"), "{err}");
}

#[tokio::test]
async fn password_file() {
    let cluster = start_with_alice(scram_everywhere()).await;
    let home = TempDir::new();
    let port = cluster.port();
    let socket = cluster.socket_dir().to_string_lossy().into_owned();
    let tcp = format!("host=127.0.0.1 port={port} user=alice dbname=app sslmode=disable");

    // ~/.pgpass: a comment, lines that do not match (other database, other
    // port), then a wildcard line that does; escaped ':' and '\'.
    let pgpass = format!(
        "# test\n\
         127.0.0.1:{port}:otherdb:alice:wrong\n\
         127.0.0.1:{other}:*:alice:wrong\n\
         *:{port}:app:alice:{pw}\n",
        other = port.wrapping_add(1),
        pw = pgpass_escape(ALICE_PASSWORD),
    );
    let pgpass_path = home.write(".pgpass", &pgpass, 0o600);
    let options = resolve(&tcp, home.path());
    assert!(!options.has_password());
    assert_eq!(options.warnings(), &[] as &[String]);
    assert_eq!(options.passfile(), Some(pgpass_path.as_path()));
    assert_eq!(
        options.password_source(0),
        PasswordSource::Passfile {
            path: pgpass_path.clone(),
            line: 4
        }
    );
    assert_eq!(must_connect(&options).await, alice_app(false));

    // Unix socket: libpq matches the socket directory's path (`localhost`
    // only stands for its default socket directory), so the `localhost`
    // line is skipped. PGPASSFILE names the file.
    let sockfile = home.write(
        "sock.pgpass",
        &format!(
            "localhost:{port}:app:alice:wrong\n\
             {}:{port}:app:alice:{}\n",
            pgpass_escape(&socket),
            pgpass_escape(ALICE_PASSWORD)
        ),
        0o600,
    );
    let env = env_of(&[("PGPASSFILE", sockfile.to_string_lossy().into_owned())]);
    let options = ConnectOptions::resolve_with(
        Some(&format!("host={socket} port={port} user=alice dbname=app")),
        &env,
        Some(home.path()),
    )
    .unwrap();
    assert_eq!(
        options.password_source(0),
        PasswordSource::Passfile {
            path: sockfile.clone(),
            line: 2
        }
    );
    assert_eq!(must_connect(&options).await, alice_app(false));

    // passfile= in the connection string works as well.
    let options = resolve(
        &format!(
            "host={socket} port={port} user=alice dbname=app passfile={}",
            sockfile.display()
        ),
        home.path(),
    );
    assert_eq!(must_connect(&options).await, alice_app(false));

    // A password given explicitly (PGPASSWORD) wins over the file.
    let env = env_of(&[("PGPASSWORD", "not-the-password".into())]);
    let options = ConnectOptions::resolve_with(Some(&tcp), &env, Some(home.path())).unwrap();
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::Authentication));
    let msg = err.to_string();
    assert!(msg.contains("PGPASSWORD"), "{msg}");
    assert!(!msg.contains("not-the-password"), "{msg}");

    // Group/world-readable: ignored, with a warning, as libpq does.
    fs::set_permissions(&pgpass_path, fs::Permissions::from_mode(0o644)).unwrap();
    let options = resolve(&tcp, home.path());
    assert_eq!(options.warnings().len(), 1, "{:?}", options.warnings());
    assert!(
        options.warnings()[0].contains("group or world access"),
        "{:?}",
        options.warnings()
    );
    assert_eq!(options.password_source(0), PasswordSource::None);
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::PasswordMissing));
    let msg = err.to_string();
    assert!(
        msg.contains("PGPASSWORD") && msg.contains(".pgpass"),
        "{msg}"
    );
    assert!(msg.contains("group or world access"), "{msg}");
    assert!(!msg.contains(ALICE_PASSWORD), "{msg}");
}

#[tokio::test]
async fn wrong_password_is_never_shown() {
    let cluster = start_with_alice(scram_everywhere()).await;
    let home = TempDir::new();
    let port = cluster.port();
    let secret = "Hunter2-Very-Secret";

    for url in [
        format!("postgres://alice:{secret}@127.0.0.1:{port}/app?sslmode=disable"),
        format!(
            "host=127.0.0.1 port={port} user=alice dbname=app password={secret} sslmode=disable"
        ),
    ] {
        let options = resolve(&url, home.path());
        assert!(!options.to_string().contains(secret), "{options}");
        assert!(!format!("{options:?}").contains(secret), "{options:?}");
        let err = must_fail(&options).await;
        assert_eq!(err.kind(), Some(FailureKind::Authentication));
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(secret), "{text}");
        }
        let msg = err.to_string();
        for needle in [
            "127.0.0.1",
            &port.to_string(),
            "user \"alice\"",
            "database \"app\"",
            "password authentication failed",
            "hint: check the password",
            "PGPASSWORD",
            "~/.pgpass",
        ] {
            assert!(msg.contains(needle), "{needle:?} missing from:\n{msg}");
        }
    }
}

#[tokio::test]
async fn unix_socket_host() {
    let cluster = start_with_alice(scram_everywhere()).await;
    let home = TempDir::new();
    let port = cluster.port();
    let socket = cluster.socket_dir().to_string_lossy().into_owned();
    let superuser = |s: Session| (s.user, s.db, s.ssl);
    let expected = ("postgres".to_string(), "postgres".to_string(), false);

    for url in [
        format!("host={socket} port={port} user=postgres dbname=postgres"),
        format!("postgres://postgres@{}:{port}/postgres", enc(&socket)),
        format!(
            "postgresql:///postgres?host={}&port={port}&user=postgres",
            enc(&socket)
        ),
        // No TLS over Unix sockets, whatever sslmode says (as libpq).
        format!("host={socket} port={port} user=postgres dbname=postgres sslmode=require"),
    ] {
        let options = resolve(&url, home.path());
        assert_eq!(superuser(must_connect(&options).await), expected, "{url}");
    }

    // With a password over the socket.
    let options = resolve(
        &format!(
            "postgres://alice:{}@{}:{port}/app",
            enc(ALICE_PASSWORD),
            enc(&socket)
        ),
        home.path(),
    );
    assert_eq!(must_connect(&options).await, alice_app(false));

    // No server there.
    let empty = TempDir::new();
    let options = resolve(
        &format!("host={} port={port} user=postgres", empty.path().display()),
        home.path(),
    );
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::Unreachable));
    let msg = err.to_string();
    assert!(msg.contains(&format!(".s.PGSQL.{port}")), "{msg}");
    assert!(msg.contains("is the server running locally"), "{msg}");
}

#[tokio::test]
async fn tls_require_prefer_allow_disable() {
    let pki = pki();
    let cluster = start_with_alice(tls_only(&pki)).await;
    let home = TempDir::new();
    let port = cluster.port();
    let base = format!(
        "host=127.0.0.1 port={port} user=alice dbname=app password='{}'",
        ALICE_PASSWORD.replace('\'', "\\'")
    );

    // require: TLS without certificate verification (no root certificate).
    let options = resolve(&format!("{base} sslmode=require"), home.path());
    assert_eq!(options.ssl_root_cert(), None);
    assert_eq!(must_connect(&options).await, alice_app(true));

    // prefer (the default) and allow end up on TLS with this server.
    for mode in ["", " sslmode=prefer", " sslmode=allow"] {
        let options = resolve(&format!("{base}{mode}"), home.path());
        assert_eq!(must_connect(&options).await, alice_app(true), "{mode}");
    }

    // disable against a hostssl-only server: refused, with a hint.
    let options = resolve(&format!("{base} sslmode=disable"), home.path());
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::Rejected));
    let msg = err.to_string();
    assert!(msg.contains("no pg_hba.conf entry"), "{msg}");
    assert!(msg.contains("try sslmode=require"), "{msg}");
    assert!(!msg.contains(ALICE_PASSWORD), "{msg}");

    // As in libpq, require verifies the chain when a root certificate is
    // given: here one that did not sign the server's certificate.
    let other_ca = home.write("other-ca.pem", &ca("some other CA").pem(), 0o644);
    let options = resolve(
        &format!("{base} sslmode=require sslrootcert={}", other_ca.display()),
        home.path(),
    );
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::TlsCertificate));

    // prefer with that root certificate (as ~/.postgresql/root.crt): the TLS
    // attempt fails, the plain fallback is refused by pg_hba.conf; both
    // attempts are reported.
    home.write(".postgresql/root.crt", &ca("some other CA").pem(), 0o644);
    let options = resolve(&base, home.path());
    assert!(matches!(options.ssl_root_cert(), Some(RootCert::File(_))));
    let err = must_fail(&options).await;
    let kinds: Vec<FailureKind> = err.failures().iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [FailureKind::TlsCertificate, FailureKind::Rejected],
        "{err}"
    );
}

#[tokio::test]
async fn tls_verify_ca_and_verify_full() {
    let pki = pki();
    let cluster = start_with_alice(tls_only(&pki)).await;
    let home = TempDir::new();
    let port = cluster.port();
    let ca_file = home.write("ca.pem", &pki.ca_pem, 0o644);
    let ca = ca_file.display();
    let auth = format!(
        "port={port} user=alice dbname=app password='{}'",
        ALICE_PASSWORD.replace('\'', "\\'")
    );

    // verify-full: the certificate is for "localhost". channel_binding=require
    // also proves SCRAM-SHA-256-PLUS over our TLS stream.
    let options = resolve(
        &format!(
            "host=localhost {auth} sslmode=verify-full sslrootcert={ca} channel_binding=require"
        ),
        home.path(),
    );
    assert_eq!(
        options.ssl_root_cert(),
        Some(&RootCert::File(ca_file.clone()))
    );
    assert_eq!(must_connect(&options).await, alice_app(true));

    // ... but not for "127.0.0.1".
    let options = resolve(
        &format!("host=127.0.0.1 {auth} sslmode=verify-full sslrootcert={ca}"),
        home.path(),
    );
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::TlsHostnameMismatch));
    let msg = err.to_string();
    assert!(msg.contains("not valid for \"127.0.0.1\""), "{msg}");
    assert!(msg.contains("sslmode=verify-ca"), "{msg}");

    // verify-ca does not check the host name.
    let options = resolve(
        &format!("host=127.0.0.1 {auth} sslmode=verify-ca sslrootcert={ca}"),
        home.path(),
    );
    assert_eq!(must_connect(&options).await, alice_app(true));

    // The same through PGSSLMODE / PGSSLROOTCERT (URL form).
    let env = env_of(&[
        ("PGSSLMODE", "verify-full".into()),
        ("PGSSLROOTCERT", ca_file.to_string_lossy().into_owned()),
    ]);
    let url = format!(
        "postgres://alice:{}@localhost:{port}/app",
        enc(ALICE_PASSWORD)
    );
    let options = ConnectOptions::resolve_with(Some(&url), &env, Some(home.path())).unwrap();
    assert_eq!(options.ssl_mode(), SslMode::VerifyFull);
    assert_eq!(must_connect(&options).await, alice_app(true));

    // A CA that did not sign the server certificate.
    let other_ca = home.write("other-ca.pem", &self::ca("some other CA").pem(), 0o644);
    let options = resolve(
        &format!(
            "host=localhost {auth} sslmode=verify-full sslrootcert={}",
            other_ca.display()
        ),
        home.path(),
    );
    let err = must_fail(&options).await;
    assert_eq!(err.kind(), Some(FailureKind::TlsCertificate));
    assert!(err.to_string().contains("sslrootcert"), "{err}");

    // verify-* without any root certificate: refused up front, saying why.
    let err = ConnectOptions::resolve_with(
        Some(&format!("host=localhost {auth} sslmode=verify-full")),
        &no_env,
        Some(home.path()),
    )
    .unwrap_err();
    assert!(err.to_string().contains("sslrootcert"), "{err}");
    assert!(!err.to_string().contains(ALICE_PASSWORD), "{err}");

    // ~/.postgresql/root.crt is the default root certificate.
    home.write(".postgresql/root.crt", &pki.ca_pem, 0o644);
    let options = resolve(
        &format!("host=localhost {auth} sslmode=verify-full"),
        home.path(),
    );
    assert_eq!(must_connect(&options).await, alice_app(true));

    // An unreadable root certificate file is a clear error.
    let options = resolve(
        &format!("host=localhost {auth} sslmode=verify-full sslrootcert=/nonexistent/ca.pem"),
        home.path(),
    );
    let err = must_fail(&options).await;
    assert!(
        matches!(&err, ConnectError::Tls(m) if m.contains("/nonexistent/ca.pem")),
        "{err}"
    );
}

#[tokio::test]
async fn connect_timeout_covers_the_whole_attempt() {
    // Accepts TCP connections (the kernel does) but never answers.
    let silent = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = silent.local_addr().unwrap().port();
    let home = TempDir::new();
    let options = resolve(
        &format!("host=127.0.0.1 port={port} user=u dbname=d sslmode=disable connect_timeout=2"),
        home.path(),
    );
    let started = std::time::Instant::now();
    let err = must_fail(&options).await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.kind(), Some(FailureKind::Timeout));
    assert!(err.to_string().contains("connect_timeout"), "{err}");
    drop(silent);
}

#[test]
fn display_redacts_the_password() {
    let expected = "postgres://alice:***@db.example.com:5432/app?sslmode=require";
    for (url, env) in [
        (
            "postgres://alice:secret@db.example.com:5432/app?sslmode=require",
            env_of(&[]),
        ),
        (
            "postgresql://alice:secret@db.example.com/app?ssl=true",
            env_of(&[]),
        ),
        (
            "host=db.example.com user=alice password=secret dbname=app sslmode=require",
            env_of(&[]),
        ),
        (
            "host=db.example.com user=alice dbname=app",
            env_of(&[
                ("PGPASSWORD", "secret".into()),
                ("PGSSLMODE", "require".into()),
            ]),
        ),
    ] {
        let options = ConnectOptions::resolve_with(Some(url), &env, None).unwrap();
        assert_eq!(options.to_string(), expected, "{url}");
        let debug = format!("{options:?}");
        assert!(!debug.contains("secret"), "{debug}");
    }

    // Without a password there is nothing to redact.
    let options =
        ConnectOptions::resolve_with(Some("postgres://alice@db.example.com/app"), &no_env, None)
            .unwrap();
    assert_eq!(
        options.to_string(),
        "postgres://alice@db.example.com:5432/app?sslmode=prefer"
    );

    // Errors about the string never quote it.
    for bad in [
        "postgres://alice:secret@db.example.com/app?bogus=1",
        "postgres://alice:sec%ZZret@db.example.com/app",
        "alice:secret@db.example.com",
        "host=db.example.com password='secret",
    ] {
        let err = ConnectOptions::resolve_with(Some(bad), &no_env, None).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(!format!("{err:?}").contains("secret"), "{err:?}");
    }
}
