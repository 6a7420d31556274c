//! The JS package (`@brain/core`): wasm-bindgen APIs over assignment,
//! statistics and the `Brain` engine. Only built with the `js` feature,
//! and in two builds that `js/` assembles into one package:
//! - without the `engine` feature, the lite wasm (`@brain/core/lite`,
//!   `js/pkg-lite/`): assignment and statistics as thin exports (`assign`,
//!   `stats`, errors in `coded`) taking numbers, typed arrays and strings.
//!   `js/lite.js`, `js/inputs.js` and `js/assign-fast.js` read and check
//!   each argument, throw the same coded errors the boundary always threw,
//!   and build the result objects; the rules on values stay the core's.
//!   Reading `JsValue`s here cost the lite wasm a fifth of its size (44.3
//!   against 35.8 KB gzip, issue 19);
//! - with `engine`, the `Brain` class and the audit verifiers (`js/pkg/`,
//!   loaded by `js/engine.js`), which read their inputs from `JsValue`s
//!   (`convert`) and leave assignment and statistics to the lite wasm.
//!
//! Conventions:
//! - wrong input is thrown as an `Error` whose `code` is
//!   `"invalid_input"`, and the engine's own errors keep their stable codes
//!   (`StatsError::code`, `BrainError::code`);
//! - nothing on an input path can panic (the release profile aborts on
//!   panic, which would surface as a wasm trap): no indexing, no unwrap, and
//!   sizes are capped before anything is allocated from them (for the lite
//!   exports, by the JS that calls them);
//! - outputs are plain JS objects and arrays, typed in the TypeScript
//!   section of [`types`] (the lite entry's functions in `js/lite.d.ts`).
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
#[cfg(not(feature = "engine"))]
mod assign;
#[cfg(feature = "engine")]
mod audit;
#[cfg(feature = "engine")]
mod brain;
#[cfg(not(feature = "engine"))]
mod coded;
#[cfg(feature = "engine")]
mod commands;
#[cfg(feature = "engine")]
mod convert;
#[cfg(feature = "engine")]
mod csv;
#[cfg(not(feature = "engine"))]
mod stats;
#[cfg(feature = "engine")]
mod tuning;
mod types;

#[cfg(not(feature = "engine"))]
pub use assign::JsExperiment;
#[cfg(feature = "engine")]
pub use brain::JsBrain;
#[cfg(feature = "engine")]
pub use convert::js_error;
#[cfg(feature = "engine")]
pub use tuning::JsPolicyTuner;
