//! The lite build's errors: the core's errors thrown as JS `Error`s with
//! their stable `code`. The `Error` is made, and a message's number written
//! (as Rust's `{}` writes an f64), by `js/inputs.js`, the module that also
//! reads and checks the lite entry's inputs, so that the lite wasm carries
//! neither `core::fmt`'s float printing nor the glue of `Error` and
//! `Reflect`. The number goes to JS beside the message, which holds
//! [`NUMBER`] in its place: no string crosses from JS into the wasm.

use wasm_bindgen::prelude::*;

use crate::stats::StatsError;

/// Result of every exported function: `Err` is thrown in JS.
pub type JsResult<T> = Result<T, JsValue>;

// A raw module: wasm-bindgen writes this path into the generated glue as it
// is (`js/pkg-lite/brain_core_lite.js`), and `scripts/bundle-lite.mjs`
// resolves it to `js/inputs.js` when it bundles the glue into the lite entry.
#[wasm_bindgen(raw_module = "./inputs.js")]
extern "C" {
    /// An `Error` with a `code` property and `message`, whose [`NUMBER`],
    /// if any, JS replaces by `number` as Rust's `format!("{number}")`
    /// writes it.
    #[wasm_bindgen(js_name = coreError)]
    fn core_error(code: &str, message: &str, number: f64) -> JsValue;
}

/// Where a message's number goes (`js/inputs.js`'s `coreError` writes it).
const NUMBER: &str = "\u{0}";

/// An error with a stable code and a message without numbers to write.
pub fn coded_error(code: &str, message: &str) -> JsValue {
    core_error(code, message, 0.0)
}

/// A statistics error, thrown with its stable code and the core's message.
pub fn stats_error(e: StatsError) -> JsValue {
    let mut number = 0.0;
    let message = e.message(|x| {
        number = x;
        NUMBER.to_owned()
    });
    core_error(e.code(), &message, number)
}
