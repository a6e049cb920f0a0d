//! schemadiff-migrate: migration directories (detect format and naming, next number, atomic writes, replay).
//!
//! So far: the files of a directory and their up parts, and splitting SQL into statements, as replay runs them.

pub mod replay;
pub mod sql;

pub use replay::{migration_files, up_section};
pub use sql::split_statements;
