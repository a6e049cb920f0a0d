//! Every file in tests/invalid/ is a schema.toml with mistakes; its errors must match, byte for byte, the
//! text kept in snapshots/invalid/<name>.txt. Run with SCHEMADIFF_UPDATE_SNAPSHOTS=1 to rewrite the
//! snapshots after an intended change, then review them with `git diff`.

use std::fs;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check_snapshot(name: &str, actual: &str) -> Result<(), String> {
    schemadiff_testkit::snapshot(name, actual)
}

#[test]
fn invalid_schemas_report_every_error_with_its_location() {
    let dir = repo_root().join("tests/invalid");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 15,
        "expected at least 15 invalid schemas, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let text = fs::read_to_string(path).unwrap();
        let shown = format!("tests/invalid/{stem}.toml");
        match schemadiff_model::load_str(&shown, &text) {
            Ok(_) => failures.push(format!("{shown} loaded without error")),
            Err(diagnostics) => {
                let rendered = format!("{diagnostics}\n");
                assert!(
                    rendered.contains(&format!("--> {shown}:")),
                    "{shown}: errors must name file:line:column:\n{rendered}"
                );
                if let Err(e) = check_snapshot(&format!("invalid/{stem}.txt"), &rendered) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn non_utf8_file_is_reported_where_it_breaks() {
    let dir = std::env::temp_dir().join(format!("schemadiff-utf8-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("schema.toml");
    fs::write(
        &path,
        b"[tables.t.columns]\nname = { type = \"te\xffxt\" }\n",
    )
    .unwrap();
    let err = schemadiff_model::load_file(&path).unwrap_err().to_string();
    fs::remove_dir_all(&dir).unwrap();
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert!(err.contains("schema.toml:2:20"), "{err}");
}

#[test]
fn missing_file_says_which() {
    let err = schemadiff_model::load_file(Path::new("/nonexistent/schema.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot read /nonexistent/schema.toml"),
        "{err}"
    );
}

/// No input makes the loader panic: every prefix of the example, and the example with bytes replaced.
#[test]
fn mangled_inputs_never_panic() {
    let text = fs::read_to_string(repo_root().join("schema.toml")).unwrap();
    let bytes = text.as_bytes();
    let mut cases = 0;
    for end in (0..bytes.len()).step_by(3) {
        if text.is_char_boundary(end) {
            let _ = schemadiff_model::load_str("prefix.toml", &text[..end]);
            cases += 1;
        }
    }
    // A fixed pseudo-random walk of single-character replacements.
    let mut seed: u64 = 0x5eed;
    let replacements = [
        '"', '[', ']', '{', '}', '=', ',', '.', '\n', 'x', '0', '#', '\'',
    ];
    for _ in 0..600 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let at = (seed >> 33) as usize % bytes.len();
        let with = replacements[(seed >> 20) as usize % replacements.len()];
        if !text.is_char_boundary(at) || !text.is_char_boundary(at + 1) {
            continue;
        }
        let mangled = format!("{}{}{}", &text[..at], with, &text[at + 1..]);
        if let Err(d) = schemadiff_model::load_str("mangled.toml", &mangled) {
            let _ = d.to_string();
        }
        cases += 1;
    }
    assert!(cases > 1000);
}
