//! The connection keywords schemadiff knows, their environment variables, and whether each is supported.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Support {
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

pub(super) struct Keyword {
    pub(super) name: &'static str,
    pub(super) env: Option<&'static str>,
    pub(super) support: Support,
}

pub(super) const fn kw(name: &'static str, env: Option<&'static str>, support: Support) -> Keyword {
    Keyword { name, env, support }
}

pub(super) const KEYWORDS: &[Keyword] = &[
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

pub(super) fn keyword(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// Where a setting came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
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

pub(super) struct Setting {
    pub(super) value: String,
    pub(super) origin: Origin,
}

pub(super) type Settings = HashMap<&'static str, Setting>;

pub(super) fn invalid(name: &str, setting: &Setting, expected: &str) -> ConnectError {
    ConnectError::InvalidOption(format!(
        "invalid {name} value \"{}\" (from {}); expected {expected}",
        setting.value.escape_debug(),
        setting.origin
    ))
}
