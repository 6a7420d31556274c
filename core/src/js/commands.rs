//! Reading commands from JS: one at a time (`execute`, `decide`), and a
//! batch (`executeAll`) in one JSON text.
//!
//! A command read alone costs several boundary crossings (its `at`, then its
//! JSON text with the checks that name a bad value's path) and a JSON parse
//! of its own. A batch of 10,000 commands paid that 10,000 times, most of
//! `executeAll`'s time from JS. So a batch is first read in one crossing:
//! one `JSON.stringify` of the whole array (with the same checks, only
//! noticing trouble) and one parse. Anything out of the ordinary (a command
//! that is not a plain object, an `at` that is neither a string nor a valid
//! Date, NaN anywhere, a command the engine cannot read) sends the reader
//! back to the one-at-a-time path, which says what is wrong with the same
//! words as before and sets `index`. The fast path only accepts what the
//! slow path accepts, and reads it to the same command.

use chrono::{DateTime, Utc};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::brain::{read_value, time};
use super::convert::{field, invalid, is_missing, js_error, JsResult};
use crate::brain::Envelope;

#[wasm_bindgen(inline_js = r#"
// What `convert.rs`'s toJsonText refuses, only noticed: NaN and infinities, bigints, functions,
// symbols, invalid Dates (whose toJSON gives null).
function troubled(holder, key, v) {
  switch (typeof v) {
    case "number":
      return !Number.isFinite(v);
    case "bigint":
    case "function":
    case "symbol":
      return true;
    case "object":
      return v === null && holder[key] instanceof Date;
    default:
      return false;
  }
}
// The JSON text of a batch of commands, or null when the batch is out of the ordinary: an
// element that is not a plain object, an `at` that is neither a string nor a valid Date,
// anything toJsonText would refuse, or a throwing getter. The caller then reads command by
// command, which names what is wrong.
export function batchJsonText(commands) {
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i];
    if (c === null || typeof c !== "object" || Array.isArray(c)) return null;
    const at = c.at;
    if (typeof at !== "string" && !(at instanceof Date && !Number.isNaN(at.getTime()))) return null;
  }
  let found = false;
  let text;
  try {
    text = JSON.stringify(commands, function (key, v) {
      if (!found && troubled(this, key, v)) found = true;
      return v;
    });
  } catch (e) {
    return null;
  }
  return found || typeof text !== "string" ? null : text;
}
"#)]
extern "C" {
    /// The JSON text of `commands` when every one is ordinary, else null.
    #[wasm_bindgen(js_name = batchJsonText)]
    fn batch_json_text(commands: &Array) -> JsValue;
}

/// Reads a command, checking its time first so that a bad `at` is named.
pub(super) fn read_command(v: &JsValue, what: &str) -> JsResult<Envelope> {
    let mut at = None;
    if v.is_object() && !Array::is_array(v) {
        let o: &js_sys::Object = v.unchecked_ref();
        let value = field(o, "at")?;
        if is_missing(&value) {
            return Err(invalid(&format!(
                "{what}.at is missing: every command needs its time (a Date or an RFC 3339 string)"
            )));
        }
        at = Some(time(&value, &format!("{what}.at"))?);
    }
    let value = read_value(v, what)?;
    // The time read above is the one the JSON carries (a Date becomes its ISO
    // text), so it is not parsed a second time.
    match at {
        Some(at) => Envelope::from_value_at(value, at),
        None => Envelope::from_value(value),
    }
    .map_err(|e| js_error("invalid_json", &format!("{what}: {e}")))
}

/// Reads a batch of commands in order; an unreadable one is thrown with
/// `index` set to its position.
pub(super) fn read_commands(list: &Array) -> JsResult<Vec<Envelope>> {
    let values = super::convert::text(&batch_json_text(list))
        .and_then(|text| serde_json::from_str::<Vec<serde_json::Value>>(&text).ok())
        .filter(|values| values.len() == list.length() as usize);
    let Some(values) = values else {
        return list
            .iter()
            .enumerate()
            .map(|(i, c)| read_one(&c, i))
            .collect();
    };
    let mut envelopes = Vec::with_capacity(values.len());
    for (i, value) in values.into_iter().enumerate() {
        let env = match ordinary_command(value) {
            Some(env) => env,
            // The slow path names what is wrong (or reads what the fast one
            // would not risk).
            None => read_one(&list.get(i as u32), i)?,
        };
        envelopes.push(env);
    }
    Ok(envelopes)
}

/// [`read_command`] for the batch's command `i`, its error carrying `index`.
fn read_one(command: &JsValue, i: usize) -> JsResult<Envelope> {
    read_command(command, &format!("commands[{i}]")).map_err(|e| with_index(e, i))
}

/// `e` with its `index` property set to `i`.
pub(super) fn with_index(e: JsValue, i: usize) -> JsValue {
    let _ = js_sys::Reflect::set(&e, &"index".into(), &JsValue::from(i as f64));
    e
}

/// A command of an ordinary batch, read as [`read_command`] reads it (its
/// `at` parsed as RFC 3339 text, a Date having become its ISO text), or
/// None for the slow path to judge.
fn ordinary_command(value: serde_json::Value) -> Option<Envelope> {
    let at = value.get("at")?.as_str()?;
    let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    Envelope::from_value_at(value, at).ok()
}
