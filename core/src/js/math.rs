//! JS's `Math` functions, imported by the lite wasm in place of libm's code
//! (`crate::stats::math` says which and why): a call to an import is a few
//! bytes, libm's `pow` alone is 2 KB of wasm.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_namespace = Math)]
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
