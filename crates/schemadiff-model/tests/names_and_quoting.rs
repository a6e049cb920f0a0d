//! Names through the real server: PostgreSQL's default names match `naming`, hostile identifiers survive
//! schema.toml -> DDL -> catalog unchanged, and our quoting agrees with the server's.

mod common;

use std::collections::BTreeSet;

use schemadiff_model::ident::{RESERVED_KEYWORDS, is_reserved_keyword};
use schemadiff_model::naming::effective_names;
use schemadiff_model::{QualifiedName, load_str, quote_ident, quote_literal};

/// A TOML basic string holding exactly `s`.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The names the server gave to the constraints and indexes of a schema.
async fn server_names(client: &tokio_postgres::Client, schema: &str) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = common::strings(
        client,
        "SELECT conname::text FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND contype IN ('p','u','f','x')",
        &[&schema],
    )
    .await
    .into_iter()
    .collect();
    names.extend(
        common::strings(
            client,
            "SELECT relname::text FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND relkind = 'i'",
            &[&schema],
        )
        .await,
    );
    names
}

#[tokio::test]
async fn default_names_are_the_servers() {
    let long_table = "t".repeat(58);
    let long_col = "c".repeat(50);
    let wide_table = "ü".repeat(30); // 60 bytes
    let wide_col = "é".repeat(20); // 40 bytes
    let text = format!(
        r#"
[tables.plain]
primary_key = ["a"]
[tables.plain.columns]
a = "integer"
b = "integer"
c = "integer"
[[tables.plain.unique]]
columns = ["b"]
[[tables.plain.unique]]
columns = ["b"]
nulls_not_distinct = true
[[tables.plain.unique]]
columns = ["b", "c"]
[[tables.plain.indexes]]
columns = ["b"]
[[tables.plain.indexes]]
columns = ["b"]
[[tables.plain.indexes]]
columns = ["c DESC", "a"]
[[tables.plain.indexes]]
columns = ["a"]
include = ["b", "c"]
[[tables.plain.indexes]]
columns = ["b", "b DESC", "a"]
[[tables.plain.foreign_keys]]
columns = ["c"]
references = "plain"
[[tables.plain.foreign_keys]]
columns = ["c"]
references = "plain"

[tables.{long_table}]
primary_key = [{long_col:?}]
[tables.{long_table}.columns]
{long_col} = "integer"
other = "integer"
[[tables.{long_table}.unique]]
columns = [{long_col:?}, "other"]
[[tables.{long_table}.indexes]]
columns = ["other", {long_col:?}]
[[tables.{long_table}.foreign_keys]]
columns = ["other"]
references = {long_table:?}

[tables."{wide_table}"]
primary_key = [{wide_col:?}]
[tables."{wide_table}".columns]
"{wide_col}" = "integer"
[[tables."{wide_table}".indexes]]
columns = [{wide_col:?}]
[[tables."{wide_table}".foreign_keys]]
columns = [{wide_col:?}]
references = {long_table:?}
"#
    );
    let loaded = load_str("names.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    common::apply(&client, &loaded)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ours: BTreeSet<String> = effective_names(&loaded.schema).into_values().collect();
    assert_eq!(ours, server_names(&client, "public").await);
}

const HOSTILE: &[&str] = &[
    "MixedCase",
    "with space",
    "with\"quote",
    "it's",
    "select",
    "user",
    "größe",
    "日本語",
    "emoji🎉",
    "a.b",
    "1st",
    "a$b",
    "back\\slash",
    "  padded  ",
    "new\nline",
    "tab\there",
    "a\n-- //@UNDO\n",
    "esc\u{1b}[31m",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // 63 bytes
    "ééééééééééééééééééééééééééééééé",                                 // 62 bytes
];

#[tokio::test]
async fn hostile_identifiers_round_trip_through_toml_ddl_and_catalog() {
    let schema = "My \"Schema\".x";
    let mut text = String::new();
    let q = |name: &str| toml_str(&QualifiedName::new(schema, name).to_string());
    text.push_str(&format!(
        "[schemas.{}]\ncomment = {}\n\n",
        toml_str(schema),
        toml_str("Schema's \"comment\" \\ ünï\nline 2")
    ));
    text.push_str(&format!(
        "[enums.{}]\nvalues = [{}]\ncomment = {}\n\n",
        q("Mood Type"),
        HOSTILE
            .iter()
            .map(|v| toml_str(v))
            .collect::<Vec<_>>()
            .join(", "),
        toml_str("it's an enum")
    ));
    let first = HOSTILE[0];
    for (i, table) in HOSTILE.iter().enumerate() {
        text.push_str(&format!(
            "[tables.{}]\nprimary_key = {{ columns = [{}], comment = {} }}\ncomment = {}\n",
            q(table),
            toml_str(table),
            toml_str(&format!("pk of {table}")),
            toml_str(&format!("table {table} ('{i}')"))
        ));
        text.push_str(&format!("[tables.{}.columns]\n", q(table)));
        for col in HOSTILE {
            text.push_str(&format!(
                "{} = {{ type = \"text\", comment = {} }}\n",
                toml_str(col),
                toml_str(&format!("column {col} \\ '"))
            ));
        }
        text.push_str(&format!(
            "mood = {{ type = {} }}\n",
            toml_str(&QualifiedName::new(schema, "Mood Type").sql())
        ));
        text.push_str(&format!(
            "[[tables.{}.indexes]]\nname = {}\ncolumns = [{}, {{ column = {}, order = \"desc\" }}]\ncomment = {}\n",
            q(table),
            toml_str(&clip(&format!("ix{i} {table}"))),
            toml_str(HOSTILE[HOSTILE.len() - 1]),
            toml_str(first),
            toml_str("index 'comment'")
        ));
        if i > 0 {
            text.push_str(&format!(
                "[[tables.{}.foreign_keys]]\ncolumns = [{}]\nreferences = {{ table = {}, columns = [{}] }}\non_delete = \"cascade\"\ncomment = {}\n",
                q(table),
                toml_str(HOSTILE[1]),
                q(first),
                toml_str(first),
                toml_str("fk \"comment\"")
            ));
        }
        text.push('\n');
    }
    let loaded = load_str("hostile.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    common::apply(&client, &loaded)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let tables: BTreeSet<String> = common::strings(
        &client,
        "SELECT relname::text FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND relkind = 'r'",
        &[&schema],
    )
    .await
    .into_iter()
    .collect();
    assert_eq!(tables, HOSTILE.iter().map(|s| s.to_string()).collect());

    for table in HOSTILE {
        let oid_sql = "(SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)";
        let cols = common::strings(
            &client,
            &format!("SELECT attname::text FROM pg_attribute WHERE attrelid = {oid_sql} AND attnum > 0 AND NOT attisdropped ORDER BY attnum"),
            &[&schema, table],
        )
        .await;
        let mut expected: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
        expected.push("mood".into());
        assert_eq!(cols, expected, "columns of {table:?}");
        let comment = common::strings(
            &client,
            &format!("SELECT obj_description({oid_sql}, 'pg_class')"),
            &[&schema, table],
        )
        .await;
        assert_eq!(
            comment[0],
            format!(
                "table {table} ('{}')",
                HOSTILE.iter().position(|h| h == table).unwrap()
            )
        );
        let col_comment = common::strings(
            &client,
            &format!("SELECT col_description({oid_sql}, 3)"),
            &[&schema, table],
        )
        .await;
        assert_eq!(col_comment[0], format!("column {} \\ '", HOSTILE[2]));
    }

    let labels = common::strings(
        &client,
        "SELECT enumlabel::text FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'Mood Type' ORDER BY enumsortorder",
        &[],
    )
    .await;
    assert_eq!(labels, HOSTILE);

    // Constraint and index names, including the defaults PostgreSQL cut to 63 bytes, and their comments.
    let ours: BTreeSet<String> = effective_names(&loaded.schema).into_values().collect();
    assert_eq!(ours, server_names(&client, schema).await);
    let commented: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_description d JOIN pg_constraint c ON c.oid = d.objoid WHERE d.classoid = 'pg_constraint'::regclass",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        commented as usize,
        HOSTILE.len() * 2 - 1,
        "every primary key and foreign key has its comment"
    );
}

fn clip(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if out.len() + c.len_utf8() > 63 {
            break;
        }
        out.push(c);
    }
    out
}

#[tokio::test]
async fn quoting_agrees_with_the_server() {
    let db = schemadiff_testkit::fresh_database().await;
    let client = db.client().await;
    let server_reserved = common::strings(
        &client,
        "SELECT word::text FROM pg_get_keywords() WHERE catcode <> 'U'",
        &[],
    )
    .await;
    assert!(!server_reserved.is_empty());
    for w in &server_reserved {
        assert!(
            is_reserved_keyword(w),
            "`{w}` is reserved on this server but not in RESERVED_KEYWORDS"
        );
    }
    let mut words: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    words.extend(common::strings(&client, "SELECT word::text FROM pg_get_keywords()", &[]).await);
    words.extend(["users", "_x", "x1", "x$", "$x", "", "ÄB", "a-b"].map(String::from));
    for w in &words {
        let theirs = common::strings(&client, "SELECT quote_ident($1)", &[w])
            .await
            .remove(0);
        let newer_keyword = RESERVED_KEYWORDS.contains(&w.as_str()) && !server_reserved.contains(w);
        // A control character is escaped where the server's functions keep it raw (a raw line break could
        // start a line of a migration file with a marker): the text differs, the value read back does not.
        let escaped = w.chars().any(|c| c.is_control());
        if !newer_keyword && !escaped {
            assert_eq!(quote_ident(w), theirs, "quote_ident({w:?})");
        }
        if !w.is_empty() {
            let row = client
                .query_one(&format!("SELECT 1 AS {}", quote_ident(w)), &[])
                .await
                .unwrap();
            assert_eq!(row.columns()[0].name(), w, "{} reads back", quote_ident(w));
        }
        let lit = common::strings(&client, "SELECT quote_literal($1)", &[w])
            .await
            .remove(0);
        if escaped {
            assert!(
                !quote_literal(w).contains(['\n', '\t']),
                "{}",
                quote_literal(w)
            );
        } else {
            assert_eq!(quote_literal(w), lit, "quote_literal({w:?})");
        }
        let back = common::strings(&client, &format!("SELECT {}::text", quote_literal(w)), &[])
            .await
            .remove(0);
        assert_eq!(&back, w);
    }
}
