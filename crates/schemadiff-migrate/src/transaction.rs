//! How each format's runner runs the statements of one migration file, and so how a statement that cannot run
//! inside a transaction block (`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`) must be written for it.
//!
//! | format | runner | a statement that cannot run in a transaction block |
//! |---|---|---|
//! | plain | psql: statement by statement, each committing | as it is |
//! | goose | a transaction per file, unless `-- +goose NO TRANSACTION`: then statement by statement | the file marked |
//! | Flyway | a transaction per file, unless its script configuration `V..sql.conf` says `executeInTransaction=false`: then statement by statement | the file marked |
//! | dbmate | a transaction per file, unless `transaction:false`; the section goes as one multi-statement query (an implicit transaction) either way | alone in a migration, marked |
//! | golang-migrate / sqlx | golang-migrate sends the file as one multi-statement query (an implicit transaction); sqlx wraps it in a transaction unless its first line is `-- no-transaction` | alone in a migration, marked |
//! | diesel | a transaction per migration, unless `metadata.toml` says `run_in_transaction = false`; the file goes as one batch | alone in a migration, marked |
//! | MyBatis | statement by statement, in one transaction per file unless the environment has `auto_commit=true`; no per-file setting | alone in a migration, which says to run it with `auto_commit=true` |

use crate::layout::Format;

/// What a format offers for a statement that cannot run inside a transaction block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    /// The runner runs statement by statement without a transaction (psql): nothing to do.
    Anywhere,
    /// A file can be marked to run statement by statement outside a transaction (goose, Flyway).
    MarkFile,
    /// A marked file still goes as one multi-statement query, which PostgreSQL runs as one implicit
    /// transaction: the statement must be alone in a migration of its own, marked (dbmate, golang-migrate and
    /// sqlx, diesel).
    AloneMarked,
    /// No per-file setting (MyBatis): alone in a migration of its own, saying how to run it.
    AloneUnmarked,
}

pub fn outside(format: Format) -> Outside {
    match format {
        Format::Plain => Outside::Anywhere,
        Format::Goose | Format::Flyway => Outside::MarkFile,
        Format::Dbmate | Format::Pairs | Format::Diesel => Outside::AloneMarked,
        Format::MyBatis => Outside::AloneUnmarked,
    }
}

/// Whether a statement that cannot run in a transaction block must be alone in its migration.
pub fn alone(format: Format) -> bool {
    matches!(
        outside(format),
        Outside::AloneMarked | Outside::AloneUnmarked
    )
}

/// The first line of an sqlx migration that must not run in a transaction (golang-migrate reads it as a comment).
pub const SQLX_NO_TRANSACTION: &str = "-- no-transaction";

/// Flyway's script configuration for a file that runs outside a transaction.
pub const FLYWAY_CONF: &str = "executeInTransaction=false\n";

/// diesel's `metadata.toml` for a migration that runs outside a transaction.
pub const DIESEL_METADATA: &str = "run_in_transaction = false\n";

/// The note at the top of a MyBatis migration that runs outside a transaction.
pub const MYBATIS_NOTE: &str = "-- schemadiff: this statement cannot run inside a transaction block: run this migration with auto_commit=true in the environment (MyBatis has no per-file setting)";
