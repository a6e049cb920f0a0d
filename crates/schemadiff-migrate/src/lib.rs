//! schemadiff-migrate: migration directories (detect format and naming, next number, atomic writes, replay).
//!
//! Empty until the `write` issue lands.
