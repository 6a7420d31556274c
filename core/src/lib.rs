//! brain-core: the pure, deterministic engine behind brain.
//!
//! No IO, no clock, no ambient randomness: time and ids come in with each
//! command, randomness from a seed kept in state, so the same command log
//! always gives the same state, byte for byte.

/// The crate's version, shown by the console's footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod assign;
pub mod models;
pub mod outcomes;
pub mod readiness;
pub mod stats;
