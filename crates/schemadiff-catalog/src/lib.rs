//! Reading PostgreSQL catalogs, plus the ephemeral local cluster used by the
//! tests and the scratch server.

pub mod cluster;
pub mod composite;
pub mod connect;
pub mod conninfo;
pub mod deps;
pub mod domain;
mod enum_type;
mod extension;
pub mod function;
mod grant;
pub mod incremental;
pub mod introspect;
pub mod normalize;
pub mod packages;
mod partition;
pub mod policy;
pub mod range;
mod schema;
pub mod scratch;
mod sequence;
mod table;
mod table_options;
pub mod trigger;
pub mod unsupported;
pub mod view;
