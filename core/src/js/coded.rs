//! The lite build's errors: the core's errors thrown as JS `Error`s with
//! their stable `code`. The `Error` is made, and a message's number written
//! (as Rust's `{}` writes an f64), by `js/inputs.js`, the module that also
//! reads and checks the lite entry's inputs, so that the lite wasm carries
//! neither `core::fmt`'s float printing nor the glue of `Error` and
//! `Reflect`.

use wasm_bindgen::prelude::*;

use crate::stats::StatsError;

/// Result of every exported function: `Err` is thrown in JS.
pub type JsResult<T> = Result<T, JsValue>;

// A raw module: wasm-bindgen writes this path into the generated glue as it
// is, and the glue (`js/pkg-lite/brain_core_lite.js`) sits one directory
// below `js/inputs.js`.
#[wasm_bindgen(raw_module = "../inputs.js")]
extern "C" {
    /// An `Error` with `message` and a `code` property.
    #[wasm_bindgen(js_name = codedError)]
    pub fn coded_error(code: &str, message: &str) -> JsValue;
    /// `x` as Rust's `format!("{x}")` writes it, written by JavaScript.
    #[wasm_bindgen(js_name = floatText)]
    fn float_text(x: f64) -> String;
}

/// A statistics error, thrown with its stable code and the core's message.
pub fn stats_error(e: StatsError) -> JsValue {
    coded_error(e.code(), &e.message(float_text))
}
