//! The transcendental functions of the statistics (`exp`, `ln`, `ln_1p`,
//! `powf`), in one place so that each build can say where they come from.
//!
//! Natively and in the engine's wasm they are Rust's (`f64::exp`, ...):
//! the engine's state must be byte for byte the same in both, so it keeps
//! Rust's libm. In the lite wasm (the `js` feature without `engine`, built
//! for the `@brain/core/lite` entry) they are JS's `Math` functions, imported
//! by `crate::js::math`: libm's code then stays out of that wasm, which every
//! page that buckets users downloads (issue 19). `Math`'s results may differ
//! from Rust's in the last bits; the Node suites hold the lite entry to the
//! same reference fixtures and tolerances as the core's tests.
//!
//! Every `exp`, `ln`, `ln_1p` and `powf` of the statistics goes through
//! here, `erfc` (`erf.rs`, copied from statrs for this) included: one call
//! left to libm would keep its code in the lite wasm. `powi` stays Rust's
//! (a few instructions, `__powidf2`), and `sqrt` is a wasm instruction.

/// JS's `Math` in the lite wasm, Rust's libm elsewhere.
#[cfg(all(target_arch = "wasm32", feature = "js", not(feature = "engine")))]
pub(crate) use crate::js::math::{exp, ln, ln_1p, powf};

/// `e^x`.
#[cfg(not(all(target_arch = "wasm32", feature = "js", not(feature = "engine"))))]
pub(crate) fn exp(x: f64) -> f64 {
    x.exp()
}

/// The natural logarithm of `x`.
#[cfg(not(all(target_arch = "wasm32", feature = "js", not(feature = "engine"))))]
pub(crate) fn ln(x: f64) -> f64 {
    x.ln()
}

/// `ln(1 + x)`, accurate for `x` near zero.
#[cfg(not(all(target_arch = "wasm32", feature = "js", not(feature = "engine"))))]
pub(crate) fn ln_1p(x: f64) -> f64 {
    x.ln_1p()
}

/// `x^y`.
#[cfg(not(all(target_arch = "wasm32", feature = "js", not(feature = "engine"))))]
pub(crate) fn powf(x: f64, y: f64) -> f64 {
    x.powf(y)
}
