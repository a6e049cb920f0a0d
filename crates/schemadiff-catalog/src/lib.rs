//! Reading PostgreSQL catalogs, plus the ephemeral local cluster used by the
//! tests and the scratch server.

pub mod cluster;
pub mod composite;
pub mod connect;
pub mod conninfo;
pub mod deps;
pub mod domain;
pub mod introspect;
pub mod normalize;
pub mod packages;
pub mod range;
pub mod scratch;
pub mod unsupported;
pub mod view;
