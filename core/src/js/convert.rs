//! The engine build's boundary: reading JS inputs into Rust values with
//! coded errors, and building JS outputs. (The lite build reads its inputs
//! in JS: `js/inputs.js`.)

use js_sys::{Array, Object, Reflect};
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
export function firstNonString(a) {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== "string") return i;
  return -1;
}
export function inExperiment(variationId, bucket) {
  return { inExperiment: true, variationId, bucket };
}
export function notInExperiment() {
  return { inExperiment: false, variationId: 0, bucket: undefined };
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
    /// Index of the first element of `a` that is not a string, or -1.
    #[wasm_bindgen(js_name = firstNonString)]
    pub(crate) fn first_non_string(a: &Array) -> i32;
    /// A short description of a value for error messages.
    fn describe(v: &JsValue) -> String;
    #[wasm_bindgen(js_name = inExperiment)]
    fn in_experiment_result(variation_id: i32, bucket: f64) -> JsValue;
    #[wasm_bindgen(js_name = notInExperiment)]
    fn not_in_experiment_result() -> JsValue;
}

// The engine's JSON input.
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

// Long strings in: TextEncoder writes their UTF-8 straight into the wasm
// memory in one native call, where wasm-bindgen's glue copies a string char
// by char in a JS loop up to its first non-ASCII char (for a snapshot of
// 12 MB, about 15 of `Brain.fromJSON`'s 240 ms against 7; issue 19).
#[wasm_bindgen(inline_js = r#"
const utf8 = new TextEncoder();
export function utf8Into(text, from, bytes) {
  const done = utf8.encodeInto(from === 0 ? text : text.substring(from), bytes);
  return [done.read, done.written];
}
"#)]
extern "C" {
    /// Writes as much of `text` from UTF-16 unit `from` as fits into
    /// `bytes` as UTF-8 (a lone surrogate becomes U+FFFD, as in the glue's
    /// copy): `[units read, bytes written]`.
    #[wasm_bindgen(js_name = utf8Into)]
    fn utf8_into(text: &js_sys::JsString, from: u32, bytes: &mut [u8]) -> Array;
}

/// Strings at least this many UTF-16 units long are read through
/// [`utf8_into`]; shorter ones through the glue, whose loop is cheaper
/// for them.
const LONG_TEXT: u32 = 4096;

/// `v` as a Rust string when it is a JS string (what `as_string` gives,
/// faster for a long text: a snapshot, a batch's JSON).
pub fn text(v: &JsValue) -> Option<String> {
    let s = v.dyn_ref::<js_sys::JsString>()?;
    let units = s.length();
    if units < LONG_TEXT {
        return v.as_string();
    }
    let units = units as usize;
    // One byte a unit (ASCII) first; what is left then needs at most three
    // bytes a unit, so a second call finishes.
    let mut bytes = vec![0; units];
    let (mut read, mut written) = (0, 0);
    for _ in 0..2 {
        let done = utf8_into(s, u32::try_from(read).ok()?, bytes.get_mut(written..)?);
        let count = |i| done.get(i).as_f64().and_then(whole).map(|n| n as usize);
        read += count(0)?;
        written += count(1)?;
        if read >= units {
            bytes.truncate(written);
            // TextEncoder writes UTF-8; the check only keeps this safe code.
            return String::from_utf8(bytes).ok().or_else(|| v.as_string());
        }
        bytes.resize(written + (units - read) * 3, 0);
    }
    v.as_string()
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

/// A user or unit id: a string (numbers are refused, as GrowthBook's SDK
/// hashes strings), as its UTF-16 code units, which is what the SDK hashes
/// (a `String` would replace a lone surrogate with U+FFFD).
pub fn user_id(v: &JsValue) -> JsResult<Vec<u16>> {
    v.dyn_ref::<js_sys::JsString>()
        .map(|s| s.iter().collect())
        .ok_or_else(|| wrong("userId", "a string (convert numbers with String(id))", v))
}

/// An assignment as GrowthBook's result fields (`bucket` undefined when
/// not in the experiment).
pub fn assignment(a: &crate::assign::Assignment) -> JsValue {
    match (a.in_experiment, a.bucket) {
        (true, Some(bucket)) => in_experiment_result(a.variation_id, bucket),
        _ => not_in_experiment_result(),
    }
}

/// A string.
pub fn string(v: &JsValue, what: &str) -> JsResult<String> {
    v.as_string().ok_or_else(|| wrong(what, "a string", v))
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

/// Any serialisable value as a plain JS value, through JSON (the engine's
/// outputs: finite numbers, strings, booleans, arrays and objects; one
/// `JSON.parse` of the text costs less than a call per field for its
/// large reports and event lists).
pub fn to_js_json<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    to_js_json_sized(value, 128)
}

/// [`to_js_json`] written into a buffer of `capacity` bytes to start with:
/// a batch's events (megabytes of JSON) are written without growing it a
/// dozen times.
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
pub fn to_json(v: &JsValue, what: &str) -> JsResult<serde_json::Value> {
    let text = to_json_text(v, what)?;
    serde_json::from_str(&text).map_err(|e| js_error("invalid_json", &format!("{what}: {e}")))
}
