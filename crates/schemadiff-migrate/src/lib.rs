//! schemadiff-migrate: migration directories (detect format and naming, next number, atomic writes, replay).
//!
//! So far: splitting SQL scripts into statements, as replay runs them.

pub mod sql;

pub use sql::split_statements;
