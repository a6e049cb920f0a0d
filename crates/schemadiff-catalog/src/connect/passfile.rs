//! The password file (`passfile`, `PGPASSFILE`, `~/.pgpass`): libpq's format and matching rules, and its
//! permission check.

use super::*;

#[derive(Clone)]
pub(super) struct PassEntry {
    pub(super) fields: [String; 4],
    pub(super) password: String,
    pub(super) line: usize,
}

/// A parsed password file (the passwords inside never get printed).
#[derive(Clone)]
pub(super) struct Passfile {
    pub(super) path: PathBuf,
    pub(super) entries: Vec<PassEntry>,
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
pub(super) fn parse_passfile_line(line: &str) -> Option<([String; 4], String)> {
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

pub(super) fn parse_passfile(path: &Path, text: &str) -> Passfile {
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
pub(super) fn load_passfile(path: &Path) -> Result<Option<Passfile>, String> {
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
    pub(super) fn lookup(
        &self,
        host: &str,
        port: &str,
        dbname: &str,
        user: &str,
    ) -> Option<&PassEntry> {
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
pub(super) fn passfile_host(host: Option<&Host>, hostaddr: Option<IpAddr>) -> String {
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
