//! The JS package (`@brain/core`): a wasm-bindgen API over assignment,
//! statistics and the `Brain` engine. Only built with the `js` feature;
//! without the `engine` feature it is the lite entry (`@brain/core/lite`):
//! assignment and statistics only (`assign`, `stats`, `convert`, `plain`,
//! `types`), so a function added to `assign.rs` or `stats.rs` is in both
//! wasm builds.
//!
//! Conventions:
//! - every input is read from a `JsValue` and checked here (types, NaN,
//!   ranges); wrong input is thrown as an `Error` whose `code` is
//!   `"invalid_input"`, and the engine's own errors keep their stable codes
//!   (`StatsError::code`, `BrainError::code`);
//! - nothing on an input path can panic (the release profile aborts on
//!   panic, which would surface as a wasm trap): no indexing, no unwrap, and
//!   sizes are capped before anything is allocated from them;
//! - outputs are plain JS objects and arrays, typed in the TypeScript
//!   section of [`types`].
//!
//! A panic here would abort the whole wasm instance, so the lints that find
//! one (`unwrap`, `expect`, indexing and slicing, `panic!`) are errors in
//! this module, not just in review.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(all(target_arch = "wasm32", feature = "small-alloc"))]
mod alloc;
mod assign;
#[cfg(feature = "engine")]
mod audit;
#[cfg(feature = "engine")]
mod brain;
#[cfg(feature = "engine")]
mod commands;
mod convert;
#[cfg(feature = "engine")]
mod csv;
mod plain;
mod stats;
#[cfg(feature = "engine")]
mod tuning;
mod types;

pub use assign::JsExperiment;
#[cfg(feature = "engine")]
pub use brain::JsBrain;
pub use convert::js_error;
#[cfg(feature = "engine")]
pub use tuning::JsPolicyTuner;
