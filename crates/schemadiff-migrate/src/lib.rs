//! schemadiff-migrate: migration directories (detect format and naming, next number, atomic writes, replay).
//!
//! A directory's layout (format, naming, its migrations, checked), replaying its up parts, and writing the
//! next migration in its own format.

pub mod layout;
pub mod replay;
pub mod sql;
pub mod sum;
pub mod transaction;
pub mod write;

pub use layout::{Format, Layout, LayoutError, Migration, Naming};
pub use replay::{migration_files, sections, up_scripts, up_section};
pub use sql::split_statements;
pub use write::{NewMigration, slug, write_all};
