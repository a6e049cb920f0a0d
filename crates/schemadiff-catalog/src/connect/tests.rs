//! Unit tests of connection settings: parsing, the environment, the password file, TLS modes.

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
