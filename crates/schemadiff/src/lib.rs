//! The schemadiff pipeline as a library: what the `schemadiff` commands run, and what the tests drive.

pub mod erd;
pub mod filter;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod versions;
