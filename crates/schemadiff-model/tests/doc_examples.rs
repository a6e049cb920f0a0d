//! Every ```toml block of docs/schema-toml.md is a complete schema.toml: each must load without error, and
//! its CREATE DDL must apply to a fresh PostgreSQL database.

mod common;

use std::path::Path;

/// The ```toml blocks of a Markdown text: (1-based line of the opening fence, block text).
fn toml_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_end();
        match current.as_mut() {
            None if fence == "```toml" => current = Some((i + 1, String::new())),
            None => {}
            Some(_) if fence.starts_with("```") => blocks.push(current.take().expect("in a block")),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    assert!(
        current.is_none(),
        "the ```toml block at line {} is never closed",
        current.map_or(0, |(l, _)| l)
    );
    blocks
}

#[test]
fn every_toml_example_in_the_reference_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema-toml.md");
    let markdown = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let blocks = toml_blocks(&markdown);
    assert!(
        blocks.len() >= 20,
        "docs/schema-toml.md should have at least 20 ```toml examples, found {}",
        blocks.len()
    );
    let mut failures = Vec::new();
    for (n, (line, text)) in blocks.iter().enumerate() {
        let name = format!("docs/schema-toml.md block {} (line {line})", n + 1);
        if let Err(diagnostics) = schemadiff_model::load_str(&name, text) {
            failures.push(format!("{diagnostics}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples in docs/schema-toml.md do not load (a fragment or a mistake belongs in a ```text block):\n\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n\n")
    );
}

#[tokio::test]
async fn every_toml_example_in_the_reference_applies_to_postgresql() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema-toml.md");
    let markdown = std::fs::read_to_string(&path).unwrap();
    let mut failures = Vec::new();
    for (n, (line, text)) in toml_blocks(&markdown).iter().enumerate() {
        let name = format!("docs/schema-toml.md block {} (line {line})", n + 1);
        let Ok(loaded) = schemadiff_model::load_str(&name, text) else {
            continue; // reported by the test above
        };
        let db = schemadiff_testkit::fresh_database().await;
        let client = db.client().await;
        if let Err(e) = common::apply(&client, &loaded).await {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn blocks_are_found_with_their_lines() {
    let md = "intro\n```toml\na = 1\n```\n```text\nb\n```\n```toml\n[x]\n```\n";
    assert_eq!(
        toml_blocks(md),
        vec![(2, "a = 1\n".to_string()), (8, "[x]\n".to_string())]
    );
}
