//! Reading JS inputs into Rust values with coded errors, and building JS
//! outputs.

use js_sys::{Array, Float64Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Result of every exported function: `Err` is thrown in JS.
pub type JsResult<T> = Result<T, JsValue>;

/// The code of every input error detected at the JS boundary.
pub const INVALID_INPUT: &str = "invalid_input";

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

#[wasm_bindgen(inline_js = r#"
export function firstNonNumber(a) {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== "number") return i;
  return -1;
}
export function firstNonString(a) {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== "string") return i;
  return -1;
}
// Rust's `{}` of an f64 (shortest round-trip digits, never an exponent, "inf", "-0"), so that
// a message with a number reads the same as the core's Display without the wasm carrying
// core::fmt's float printing (a quarter of the lite wasm's code).
export function floatText(x) {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, exponent] = x.toExponential().split("e");
  const sign = x < 0 ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  const e = Number(exponent);
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return sign + digits + "0".repeat(e + 1 - digits.length);
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}
export function describe(v) {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return v.length > 40 ? `a string (${JSON.stringify(v.slice(0, 40))}...)` : `a string (${JSON.stringify(v)})`;
  if (typeof v === "bigint") return `a bigint (${v}n)`;
  if (typeof v === "object") return v instanceof Date ? "a Date" : "an object";
  return `a ${typeof v}`;
}
"#)]
extern "C" {
    /// Index of the first element of `a` that is not a number, or -1.
    #[wasm_bindgen(js_name = firstNonNumber)]
    fn first_non_number(a: &Array) -> i32;
    /// Index of the first element of `a` that is not a string, or -1.
    #[wasm_bindgen(js_name = firstNonString)]
    pub(crate) fn first_non_string(a: &Array) -> i32;
    /// A short description of a value for error messages.
    fn describe(v: &JsValue) -> String;
    /// `x` as Rust's `format!("{x}")` writes it, written by JavaScript.
    #[wasm_bindgen(js_name = floatText)]
    pub(crate) fn float_text(x: f64) -> String;
}

// The engine's JSON input (in its own snippet: the lite wasm's JS does not ship it).
#[cfg(feature = "engine")]
#[wasm_bindgen(inline_js = r#"
// What is wrong with `v`, the JSON value of `holder[key]` (what follows its path in the
// message), or null: NaN and infinities, bigints, functions, symbols, invalid Dates.
function trouble(holder, key, v) {
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) ? null : `must be a finite number, got ${v}`;
    case "bigint":
      return `must be a number, got a bigint (${v}n)`;
    case "function":
    case "symbol":
      return `must be JSON data, got a ${typeof v}`;
    case "object":
      // An invalid Date's toJSON gives null.
      return v === null && holder[key] instanceof Date ? "is an invalid Date" : null;
    default:
      return null;
  }
}
export function toJsonText(value, what) {
  // Fast path: JSON.stringify with a replacer that only notices trouble; the replacer that
  // names each value's path runs only then, to say where.
  let found = false;
  let text;
  try {
    text = JSON.stringify(value, function (key, v) {
      if (trouble(this, key, v) !== null) found = true;
      return v;
    });
  } catch (e) {
    found = true;
  }
  if (!found && typeof text === "string") return text;
  return toJsonTextNamingPaths(value, what);
}
function toJsonTextNamingPaths(value, what) {
  const paths = new Map();
  const fail = (message) => {
    const error = new Error(message);
    error.code = "invalid_input";
    throw error;
  };
  let text;
  try {
    text = JSON.stringify(value, function (key, v) {
      const at = paths.get(this);
      const path = at === undefined ? what : Array.isArray(this) ? `${at}[${key}]` : `${at}.${key}`;
      const wrong = trouble(this, key, v);
      if (wrong !== null) fail(`${path} ${wrong}`);
      if (v !== null && typeof v === "object") paths.set(v, path);
      return v;
    });
  } catch (e) {
    if (e && e.code) throw e;
    fail(`${what} cannot be written as JSON (${e && e.message ? e.message : e}); circular references are not allowed`);
  }
  if (typeof text !== "string") fail(`${what} must be JSON data, got ${typeof value}`);
  return text;
}
"#)]
extern "C" {
    /// `JSON.stringify(value)`, refusing NaN, infinities, bigints,
    /// functions, symbols, invalid Dates and cycles with `invalid_input`
    /// errors naming the path (Dates become ISO strings).
    #[wasm_bindgen(js_name = toJsonText, catch)]
    fn to_json_text(value: &JsValue, what: &str) -> Result<String, JsValue>;
}

/// An `Error` with a stable `code` property.
pub fn js_error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property on a fresh Error cannot fail; ignore the result.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}

/// An `invalid_input` error.
pub fn invalid(message: &str) -> JsValue {
    js_error(INVALID_INPUT, message)
}

/// "`what` must be `expected`, got `<description of v>`".
pub fn wrong(what: &str, expected: &str, v: &JsValue) -> JsValue {
    invalid(&format!("{what} must be {expected}, got {}", describe(v)))
}

/// Whether `v` is `undefined` or `null` (an omitted optional input).
pub fn is_missing(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// Checks that `v` is a plain object (not null, not an array).
pub fn object<'a>(v: &'a JsValue, what: &str) -> JsResult<&'a Object> {
    if !v.is_object() || Array::is_array(v) {
        return Err(wrong(what, "an object", v));
    }
    v.dyn_ref::<Object>()
        .ok_or_else(|| wrong(what, "an object", v))
}

/// `obj[key]` (getters that throw become `invalid_input`).
pub fn field(obj: &Object, key: &str) -> JsResult<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key))
        .map_err(|_| invalid(&format!("cannot read property \"{key}\"")))
}

/// A finite number.
pub fn number(v: &JsValue, what: &str) -> JsResult<f64> {
    match v.as_f64() {
        Some(x) if x.is_finite() => Ok(x),
        _ => Err(wrong(what, "a finite number", v)),
    }
}

/// A number, NaN and infinities included (for callees that report
/// non-finite input with their own codes).
pub fn any_number(v: &JsValue, what: &str) -> JsResult<f64> {
    v.as_f64().ok_or_else(|| wrong(what, "a number", v))
}

/// [`any_number`], or `default` when `undefined`/`null`.
pub fn any_number_or(v: &JsValue, what: &str, default: f64) -> JsResult<f64> {
    if is_missing(v) {
        Ok(default)
    } else {
        any_number(v, what)
    }
}

/// A finite number, or `None` when `undefined`/`null`.
pub fn opt_number(v: &JsValue, what: &str) -> JsResult<Option<f64>> {
    if is_missing(v) {
        Ok(None)
    } else {
        number(v, what).map(Some)
    }
}

/// A whole number in `0..=MAX_SAFE_INTEGER`.
pub fn count(v: &JsValue, what: &str) -> JsResult<u64> {
    v.as_f64()
        .and_then(whole)
        .ok_or_else(|| wrong(what, "a whole number >= 0", v))
}

/// `x` as a count when it is a whole number in `0..=MAX_SAFE_INTEGER`.
pub fn whole(x: f64) -> Option<u64> {
    // In range and whole: the cast is exact.
    (x.is_finite() && x.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&x)).then_some(x as u64)
}

/// A whole number in `0..=max`.
pub fn small_count(v: &JsValue, what: &str, max: usize) -> JsResult<usize> {
    let n = count(v, what)?;
    usize::try_from(n)
        .ok()
        .filter(|&n| n <= max)
        .ok_or_else(|| invalid(&format!("{what} ({n}) must be at most {max}")))
}

/// A string.
pub fn string(v: &JsValue, what: &str) -> JsResult<String> {
    v.as_string().ok_or_else(|| wrong(what, "a string", v))
}

/// A string, or `None` when `undefined`/`null`.
pub fn opt_string(v: &JsValue, what: &str) -> JsResult<Option<String>> {
    if is_missing(v) {
        Ok(None)
    } else {
        string(v, what).map(Some)
    }
}

/// An array (checked with `Array.isArray`).
pub fn array<'a>(v: &'a JsValue, what: &str) -> JsResult<&'a Array> {
    if Array::is_array(v) {
        v.dyn_ref::<Array>()
            .ok_or_else(|| wrong(what, "an array", v))
    } else {
        Err(wrong(what, "an array", v))
    }
}

/// An array of numbers or a `Float64Array`, copied. Every element must be a
/// number; NaN and infinities are kept for the caller to judge (`finite`
/// checks them when the statistics need it).
pub fn numbers(v: &JsValue, what: &str) -> JsResult<Vec<f64>> {
    if let Some(typed) = v.dyn_ref::<Float64Array>() {
        return Ok(typed.to_vec());
    }
    let a = array(v, what).map_err(|_| wrong(what, "an array of numbers or a Float64Array", v))?;
    let bad = first_non_number(a);
    if bad >= 0 {
        let i = u32::try_from(bad).unwrap_or(0);
        return Err(wrong(&format!("{what}[{i}]"), "a number", &a.get(i)));
    }
    Ok(Float64Array::new(a).to_vec())
}

/// [`numbers`], with every element finite.
pub fn finite_numbers(v: &JsValue, what: &str) -> JsResult<Vec<f64>> {
    let xs = numbers(v, what)?;
    if let Some(i) = xs.iter().position(|x| !x.is_finite()) {
        let shown = float_text(xs.get(i).copied().unwrap_or(f64::NAN));
        return Err(invalid(&format!(
            "{what}[{i}] must be a finite number, got {shown}"
        )));
    }
    Ok(xs)
}

/// Any serialisable value as a plain JS value, built directly (no JSON
/// text, no serde_json: the lite build has none). The statistics and
/// assignment results go this way; see [`super::plain`].
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    super::plain::to_value(value)
        .map_err(|e| js_error("internal", &format!("cannot build the result: {e}")))
}

/// Any serialisable value as a plain JS value, through JSON (the engine's
/// outputs: finite numbers, strings, booleans, arrays and objects; one
/// `JSON.parse` of the text costs less than a call per field for its
/// large reports and event lists).
#[cfg(feature = "engine")]
pub fn to_js_json<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    to_js_json_sized(value, 128)
}

/// [`to_js_json`] written into a buffer of `capacity` bytes to start with:
/// a batch's events (megabytes of JSON) are written without growing it a
/// dozen times.
#[cfg(feature = "engine")]
pub fn to_js_json_sized<T: Serialize + ?Sized>(value: &T, capacity: usize) -> JsResult<JsValue> {
    let mut bytes = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut bytes, value)
        .map_err(|e| js_error("internal", &format!("cannot serialise the result: {e}")))?;
    // serde_json writes UTF-8 only.
    let text = String::from_utf8(bytes)
        .map_err(|_| js_error("internal", "cannot serialise the result: not UTF-8"))?;
    js_sys::JSON::parse(&text)
        .map_err(|_| js_error("internal", "cannot parse the serialised result"))
}

/// A JS value (object, array, string, number, boolean, null, Date) as a
/// `serde_json::Value`, through `JSON.stringify` in one call, refusing NaN,
/// infinities, bigints, functions, symbols, invalid Dates and cycles with
/// `invalid_input` (`undefined` object fields are skipped, as JSON does).
#[cfg(feature = "engine")]
pub fn to_json(v: &JsValue, what: &str) -> JsResult<serde_json::Value> {
    let text = to_json_text(v, what)?;
    serde_json::from_str(&text).map_err(|e| js_error("invalid_json", &format!("{what}: {e}")))
}
