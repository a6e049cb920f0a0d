//! schemadiff-diff: model x model -> changes with hazards, the dependency graph, and ordered DDL.
//!
//! Empty until the diff issue lands; the CREATE DDL of single objects lives in `schemadiff_model::render`.
