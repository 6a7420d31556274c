//! The transcendental functions of the statistics (`exp`, `ln`, `ln_1p`,
//! `powf`), in one place so that each build can say where they come from.
//!
//! Natively and in the engine's wasm they are Rust's (`f64::exp`, ...):
//! the engine's state must be byte for byte the same in both, so it keeps
//! Rust's libm. In the lite wasm (the `js` feature without `engine`, built
//! for the `@brain/core/lite` entry) they are JS's `Math` functions, imported
//! here: a call to an import is a few bytes where libm's `pow` alone is 2 KB,
//! and libm's code then stays out of that wasm, which every page that buckets
//! users downloads (issue 19). `Math`'s results may differ
//! from Rust's in the last bits; the Node suites hold the lite entry to the
//! same reference fixtures and tolerances as the core's tests.
//!
//! Only the functions whose libm code leaves the lite wasm go through here:
//! `powi` is a few instructions already, and statrs's `erfc` calls libm's
//! `exp` and `ln` itself, so those two cost nothing extra when kept; they
//! are here so that every statistic's `exp` and `ln` is the same function.

// JS's `Math` in the lite wasm. The one use of wasm-bindgen outside `js/`:
// importing these from `js` would make the modules import in a circle
// (`stats -> js -> ab -> stats`, `scripts/module-graph.py`).
#[cfg(all(target_arch = "wasm32", feature = "js", not(feature = "engine")))]
#[wasm_bindgen::prelude::wasm_bindgen(js_namespace = Math)]
extern "C" {
    /// `Math.exp`.
    pub(crate) fn exp(x: f64) -> f64;
    /// `Math.log`.
    #[wasm_bindgen(js_name = log)]
    pub(crate) fn ln(x: f64) -> f64;
    /// `Math.log1p`.
    #[wasm_bindgen(js_name = log1p)]
    pub(crate) fn ln_1p(x: f64) -> f64;
    /// `Math.pow`.
    #[wasm_bindgen(js_name = pow)]
    pub(crate) fn powf(x: f64, y: f64) -> f64;
}

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
