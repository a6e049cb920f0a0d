//! The schemadiff model: the types of a database schema, loading and validating schema.toml with precise
//! errors, and rendering a schema to CREATE DDL.

pub mod composite;
pub mod deps;
pub mod directives;
pub mod domain;
pub mod dump;
mod enum_type;
pub mod fragment;
pub mod function;
pub mod grant;
pub mod ident;
pub mod kinds;
pub mod load;
pub mod naming;
pub mod owner;
pub mod partition;
pub mod policy;
pub mod range;
pub mod render;
mod sequence;
pub mod source;
mod table;
pub mod table_options;
pub mod trigger;
pub mod types;
mod validate;
pub mod view;

pub use composite::{Attribute, CompositeType};
pub use deps::{Dependency, ObjectRef};
pub use directives::{Directives, Target};
pub use domain::{Domain, DomainCheck};
pub use dump::{to_toml, write_toml};
pub use function::{Function, FunctionUse, FunctionUser};
pub use grant::{DefaultObjects, GrantTarget, ObjectGrants, Privilege};
pub use ident::{QualifiedName, quote_ident, quote_literal};
pub use kinds::Kind;
pub use load::{
    LoadError, LoadedSchema, ObjectPath, SourceMap, Spans, load_file, load_str, load_str_unchecked,
    load_str_without_spans,
};
pub use owner::ObjectOwner;
pub use partition::PartitionOf;
pub use policy::Policy;
pub use range::RangeType;
pub use render::{Statement, create_script, script_text};
pub use source::{Diagnostic, Diagnostics, SourceFile, printable};
pub use table_options::ReplicaIdentity;
pub use trigger::Trigger;
pub use types::*;
pub use view::{View, ViewColumn, ViewUse};
