//! Roles and row-level security through the commands: a migrations directory that creates a policy for a
//! role declared in schema.toml (`[roles]`) replays on the scratch server, which creates the role; one naming
//! a role nobody declared fails with an error naming the role and how to declare it, as does a policy of
//! schema.toml itself (pointing at its `roles`); a plan that disables row-level security is refused unless
//! `removes_row_security` is allowed; a grant, a revoke, a policy or row-level security changed by hand on a
//! live database is drift that `check --database-url` reports, with the statements that undo it.

mod common;

use std::process::Output;

fn text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn schema(role: &str, declare: bool) -> String {
    let roles = if declare {
        format!("[roles]\n{role} = {{}}\n\n")
    } else {
        String::new()
    };
    format!(
        "{roles}[tables.docs]\nrow_level_security = true\nprimary_key = [\"id\"]\n\n[tables.docs.columns]\nid = \"integer\"\nowner = \"text\"\n\n[[tables.docs.policies]]\nname = \"own\"\nroles = [\"{role}\"]\nusing = \"owner = current_user\"\n"
    )
}

fn migration(role: &str) -> String {
    format!(
        "CREATE TABLE docs (id integer PRIMARY KEY, owner text);\nALTER TABLE docs ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON docs TO {role} USING (owner = current_user);\n"
    )
}

/// The command stopped (exit 2) on a role nobody declared: the error names it, points at `place`, and says
/// how to declare it.
fn assert_undeclared_role(out: &Output, role: &str, place: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}", text(out));
    assert!(
        err.contains(&format!("role \"{role}\" does not exist")),
        "{err}"
    );
    assert!(err.contains(place), "{err}");
    assert!(err.contains(&format!("`{role} = {{}}`")), "{err}");
}

#[tokio::test]
async fn a_declared_role_replays_and_an_undeclared_one_is_named() {
    let (_keep, dev) = common::dev_url().await;
    let declared = format!("sec_declared_{}", std::process::id());
    let dir = common::project_with_migrations(
        "cli-security",
        "declared",
        &schema(&declared, true),
        &[("001_init.sql", &migration(&declared))],
    );
    let out = common::schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Nobody declared it, and the server lacks it: the replay names it and says how to declare it.
    let undeclared = format!("sec_undeclared_{}", std::process::id());
    let dir = common::project_with_migrations(
        "cli-security",
        "undeclared",
        &schema(&declared, true),
        &[("001_init.sql", &migration(&undeclared))],
    );
    let out = common::schemadiff(&dir, &["check", "--dev-url", &dev], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        err.contains(&format!("role \"{undeclared}\" does not exist")),
        "{err}"
    );
    assert!(err.contains(&format!("`{undeclared} = {{}}`")), "{err}");
    assert!(err.contains("[roles]"), "{err}");

    // A policy of schema.toml naming an undeclared role: the error points at its `roles`.
    let dir = common::project("cli-security", "toml", &schema(&undeclared, false), &[]);
    let out = common::schemadiff(&dir, &["plan", "--dev-url", &dev], &[]);
    assert_undeclared_role(&out, &undeclared, "schema.toml:11:");
}

#[tokio::test]
async fn disabling_row_level_security_is_refused_unless_allowed() {
    let (_keep, dev) = common::dev_url().await;
    let db = schemadiff_testkit::fresh_database().await;
    db.client()
        .await
        .batch_execute(
            "CREATE TABLE docs (id integer PRIMARY KEY); ALTER TABLE docs ENABLE ROW LEVEL SECURITY; \
             CREATE POLICY all_rows ON docs USING (true);",
        )
        .await
        .unwrap();
    let url = db.conninfo().to_string();
    // The last policy goes while row-level security stays: nobody but the owner sees a row.
    let last_policy = "[tables.docs]\nrow_level_security = true\nprimary_key = [\"id\"]\n\n[tables.docs.columns]\nid = \"integer\"\n";
    // Row-level security goes: every row is open.
    let disabled = "[tables.docs]\nprimary_key = [\"id\"]\n\n[tables.docs.columns]\nid = \"integer\"\n\n[[tables.docs.policies]]\nname = \"all_rows\"\nusing = \"true\"\n";
    for (name, toml) in [("last-policy", last_policy), ("disabled", disabled)] {
        let dir = common::project("cli-security", name, toml, &[]);
        let out = common::schemadiff(
            &dir,
            &["plan", "--dev-url", &dev, "--database-url", &url],
            &[],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out));
        assert!(err.contains("removes row-level security"), "{name}: {err}");
        assert!(
            err.contains("--allow-hazards removes_row_security"),
            "{name}: {err}"
        );
        // --allow-destructive is about data, not access.
        let out = common::schemadiff(
            &dir,
            &[
                "plan",
                "--dev-url",
                &dev,
                "--database-url",
                &url,
                "--allow-destructive",
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out));
        let out = common::schemadiff(
            &dir,
            &[
                "plan",
                "--dev-url",
                &dev,
                "--database-url",
                &url,
                "--allow-hazards",
                "removes_row_security",
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out));
    }
}

/// A schema with a grant, row-level security and a policy, and the migration that makes it.
fn access_schema(role: &str) -> (String, String) {
    let toml = format!(
        "[roles]\n{role} = {{}}\n\n[tables.docs]\nrow_level_security = true\nprimary_key = [\"id\"]\n\n[tables.docs.columns]\nid = \"integer\"\nowner = \"text\"\n\n[[tables.docs.policies]]\nname = \"own\"\nroles = [\"{role}\"]\nusing = \"owner = current_user\"\n\n[tables.docs.grants]\n{role} = [\"select\"]\n"
    );
    let sql = format!(
        "CREATE TABLE docs (id integer PRIMARY KEY, owner text);\nALTER TABLE docs ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON docs TO {role} USING (owner = current_user);\nGRANT SELECT ON docs TO {role};\n"
    );
    (toml, sql)
}

#[tokio::test]
async fn a_grant_a_policy_or_row_level_security_changed_by_hand_is_live_drift() {
    let (_keep, dev) = common::dev_url().await;
    let role = format!("sec_drift_{}", std::process::id());
    let (toml, sql) = access_schema(&role);
    let dir =
        common::project_with_migrations("cli-security", "drift", &toml, &[("001_init.sql", &sql)]);
    // What is changed by hand, the object named, and what the report shows of it.
    for (name, by_hand, object, shown) in [
        (
            "grant",
            format!("GRANT INSERT ON docs TO {role}; GRANT SELECT ON docs TO PUBLIC"),
            "(table docs)",
            format!(
                "REVOKE SELECT ON TABLE public.docs FROM PUBLIC;\nREVOKE INSERT ON TABLE public.docs FROM {role};"
            ),
        ),
        (
            "revoke",
            format!("REVOKE SELECT ON docs FROM {role}"),
            "(table docs)",
            format!("+{role} = [\"select\"]"),
        ),
        (
            "policy",
            "ALTER POLICY own ON docs USING (true)".to_string(),
            "(policy own on docs)",
            "ALTER POLICY own ON public.docs USING (owner = CURRENT_USER);".to_string(),
        ),
        (
            "rls",
            "ALTER TABLE docs DISABLE ROW LEVEL SECURITY".to_string(),
            "(table docs)",
            "+row_level_security = true".to_string(),
        ),
    ] {
        let live = schemadiff_testkit::fresh_database().await;
        let client = live.client().await;
        client
            .batch_execute(&format!("CREATE ROLE {role} NOLOGIN"))
            .await
            .or_else(|e| {
                if e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT) {
                    Ok(())
                } else {
                    Err(e)
                }
            })
            .unwrap();
        client.batch_execute(&sql).await.unwrap();
        let args = [
            "check",
            "--dev-url",
            &dev,
            "--database-url",
            live.conninfo(),
        ];
        let out = common::schemadiff(&dir, &args, &[]);
        assert_eq!(out.status.code(), Some(0), "{name}, before: {}", text(&out));
        client.batch_execute(&by_hand).await.unwrap();
        let out = common::schemadiff(&dir, &args, &[]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out));
        assert!(stdout.contains("drift: live database"), "{name}: {stdout}");
        assert!(stdout.contains(object), "{name}: {stdout}");
        assert!(stdout.contains(&shown), "{name}: {stdout}");
        if name == "policy" {
            // The policy's own schema.toml text, both sides, although it lives under its table's section.
            assert!(
                stdout.contains("-using = \"true\"") && stdout.contains("[[tables.docs.policies]]"),
                "{name}: {stdout}"
            );
        }
    }
}

#[tokio::test]
async fn a_grant_to_an_undeclared_role_is_named_at_its_grants() {
    let (_keep, dev) = common::dev_url().await;
    let undeclared = format!("sec_grantee_{}", std::process::id());
    let toml = format!(
        "[tables.docs]\nprimary_key = [\"id\"]\n\n[tables.docs.columns]\nid = \"integer\"\n\n[tables.docs.grants]\n{undeclared} = [\"select\"]\n"
    );
    let dir = common::project("cli-security", "grantee", &toml, &[]);
    let out = common::schemadiff(&dir, &["plan", "--dev-url", &dev], &[]);
    assert_undeclared_role(&out, &undeclared, "schema.toml:7:");
}

/// `[migrations] manage_ownership = true`: an owner nobody declared is named, the error pointing at its
/// `owner`, with how to declare it; `dump --owners` writes owners (and the opt-in), plain `dump` does not.
#[tokio::test]
async fn an_undeclared_owner_is_named_and_dump_writes_owners_on_request() {
    let (_keep, dev) = common::dev_url().await;
    let undeclared = format!("own_undeclared_{}", std::process::id());
    let toml = format!(
        "[migrations]\nmanage_ownership = true\n\n[tables.docs]\nowner = \"{undeclared}\"\ncolumns = {{ id = {{ type = \"integer\" }} }}\n"
    );
    let dir = common::project("cli-security", "owner", &toml, &[]);
    let out = common::schemadiff(&dir, &["plan", "--dev-url", &dev], &[]);
    assert_undeclared_role(&out, &undeclared, "schema.toml:5:");
    // Any kind's owner: a view's here.
    let toml = format!(
        "[migrations]\nmanage_ownership = true\n\n[views.v]\nowner = \"{undeclared}\"\nquery = \"SELECT 1 AS one\"\n"
    );
    let view_dir = common::project("cli-security", "owner-view", &toml, &[]);
    let out = common::schemadiff(&view_dir, &["plan", "--dev-url", &dev], &[]);
    assert_undeclared_role(&out, &undeclared, "schema.toml:5:");

    let db = schemadiff_testkit::fresh_database().await;
    db.client()
        .await
        .batch_execute(
            "CREATE TABLE owned (id integer); CREATE TABLE serials (id serial); CREATE SCHEMA app; \
             CREATE VIEW v AS SELECT 1 AS one; CREATE MATERIALIZED VIEW m AS SELECT 1 AS one; \
             CREATE SEQUENCE s; CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a'; \
             CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'; CREATE TYPE e AS ENUM ('x'); \
             CREATE DOMAIN d AS integer; CREATE TYPE c AS (a integer); CREATE TYPE r AS RANGE (subtype = integer)",
        )
        .await
        .unwrap();
    let url = db.conninfo();
    let dump = ["dump", "--database-url", url, "--dev-url", &dev];
    let out = common::schemadiff(&dir, &[&dump[..], &["--owners"]].concat(), &[]);
    let dumped = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(dumped.contains("manage_ownership = true"), "{dumped}");
    for header in [
        "[tables.owned]",
        "[schemas.app]",
        "[views.v]",
        "[materialized_views.m]",
        "[sequences.s]",
        "[functions.\"f(a integer)\"]",
        "[procedures.\"p()\"]",
        "[enums.e]",
        "[domains.d]",
        "[composite_types.c]",
        "[range_types.r]",
    ] {
        assert!(dumped.contains(&format!("{header}\nowner = ")), "{dumped}");
    }
    // A serial's sequence has its table's owner; `public` has its default owner: neither is written.
    assert!(dumped.contains("[sequences.serials_id_seq]\n"), "{dumped}");
    assert!(
        !dumped.contains("[sequences.serials_id_seq]\nowner"),
        "{dumped}"
    );
    assert!(!dumped.contains("[schemas.public]"), "{dumped}");
    let again = schemadiff_model::load_str("schema.toml", &dumped).expect("the dump loads");
    assert_eq!(again.schema.owners.len(), 12, "{:?}", again.schema.owners);
    // And it is in sync with its database, owners included.
    let file = dir.join("dumped-with-owners.toml");
    std::fs::write(&file, dumped.as_bytes()).unwrap();
    let plan = common::schemadiff(
        &dir,
        &[
            "plan",
            "--schema-file",
            file.to_str().unwrap(),
            "--database-url",
            url,
            "--dev-url",
            &dev,
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    let v: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(v["changes"].as_array().map(Vec::len), Some(0), "{v}");
    let out = common::schemadiff(&dir, &dump, &[]);
    let plain = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!plain.contains("owner"), "{plain}");
}

/// A role schema.toml declares and the live database's server lacks: the plan says so (plans never create
/// roles on a live database), and says nothing once the role is there. The scratch cluster is a local one, whose
/// roles are not the live server's.
#[tokio::test]
async fn a_declared_role_missing_on_the_live_server_is_said() {
    let role = format!("sec_absent_{}", std::process::id());
    let toml = format!(
        "[roles]\n{role} = {{}}\n\n[tables.docs.columns]\nid = \"integer\"\n\n[tables.docs.grants]\n{role} = [\"select\"]\n"
    );
    let dir = common::project("cli-security", "absent-role", &toml, &[]);
    let live = schemadiff_testkit::fresh_database().await;
    let args = ["plan", "--database-url", live.conninfo(), "--format", "sql"];
    let out = common::schemadiff(&dir, &args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "warning: declared in [roles] but missing on the live database's server: {role}"
        )),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains(&format!("GRANT SELECT ON TABLE public.docs TO {role}"))
    );
    live.client()
        .await
        .batch_execute(&format!("CREATE ROLE {role} NOLOGIN"))
        .await
        .unwrap();
    let out = common::schemadiff(&dir, &args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("missing on the live"),
        "{}",
        text(&out)
    );
    live.client()
        .await
        .batch_execute(&format!("DROP ROLE {role}"))
        .await
        .unwrap();
}
