//! The parsers and validators of the console's forms, in one place.
//!
//! Every form turns typed text into the engine's values here, so a count, a
//! name or a rate is read the same way on every page and says what is wrong
//! in the same words (the engine checks again: these messages only come
//! earlier, while typing). Pure functions, tested natively; the one reactive
//! helper, [`latch`], is a `Memo` over its field.

use std::collections::BTreeMap;

use brain_core::models::SemVer;
use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;

/// A required text field, trimmed.
pub fn required(label: &str, value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        Err(format!("{label} is required"))
    } else {
        Ok(v.to_string())
    }
}

/// A name or id: trimmed, required, at most the engine's length, no control
/// characters (the engine's own rule, told before the command is sent).
pub fn check_name(label: &str, s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        Err(format!("{label} is required"))
    } else if t.chars().count() > brain_core::MAX_NAME_LEN {
        Err(format!(
            "{label} must be at most {} characters",
            brain_core::MAX_NAME_LEN
        ))
    } else if t.chars().any(char::is_control) {
        Err(format!("{label} must not contain control characters"))
    } else {
        Ok(t.to_string())
    }
}

/// A non-negative whole number.
pub fn parse_count(label: &str, s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("{label} is required"));
    }
    match t.parse::<i64>() {
        Ok(v) if v >= 0 => Ok(v),
        Ok(_) => Err(format!("{label} must not be negative")),
        Err(_) => Err(format!("{label} must be a whole number")),
    }
}

/// A finite number.
pub fn parse_number(label: &str, s: &str) -> Result<f64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("{label} is required"));
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{label} must be a number")),
    }
}

/// An optional number: empty is none.
pub fn parse_optional(label: &str, s: &str) -> Result<Option<f64>, String> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_number(label, s).map(Some)
    }
}

/// A number in [0, 1] (a readiness factor); empty is not a number.
pub fn parse_fraction(label: &str, s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..=1.0).contains(&x) => Ok(x),
        Ok(_) => Err(format!("{label} must be between 0 and 1")),
        Err(_) => Err(format!("{label} must be a number between 0 and 1")),
    }
}

/// A required number in [0, 1] (an accuracy).
pub fn parse_required_fraction(label: &str, s: &str) -> Result<f64, String> {
    required(label, s)?;
    parse_fraction(label, s)
}

/// A variant's traffic weight: a number above zero.
pub fn parse_weight(s: &str) -> Result<f64, String> {
    let w = parse_number("weight", s)?;
    if w > 0.0 {
        Ok(w)
    } else {
        Err("weight must be above 0".into())
    }
}

/// Trials and conversions of a batch: whole numbers, conversions at most trials.
pub fn parse_batch(trials: &str, conversions: &str) -> Result<(i64, i64), String> {
    let t = parse_count("trials", trials)?;
    let c = parse_count("conversions", conversions)?;
    if c > t {
        return Err(format!("conversions ({c}) exceed trials ({t})"));
    }
    Ok((t, c))
}

/// A sample: numbers separated by commas, semicolons, spaces or new lines.
pub fn parse_sample(label: &str, text: &str) -> Result<Vec<f64>, String> {
    let mut out = Vec::new();
    for (i, tok) in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .enumerate()
    {
        match tok.parse::<f64>() {
            Ok(v) if v.is_finite() => out.push(v),
            _ => {
                return Err(format!(
                    "{label}: value {} (\u{201c}{tok}\u{201d}) is not a number",
                    i + 1
                ))
            }
        }
    }
    if out.is_empty() {
        return Err(format!("{label} sample is empty"));
    }
    Ok(out)
}

/// A semantic version such as 1.2.0.
pub fn parse_version(value: &str) -> Result<SemVer, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("version is required (e.g. 1.2.0)".into());
    }
    SemVer::parse(v).map_err(|_| format!("\"{v}\" is not a semantic version like 1.2.0"))
}

/// An optional version (empty: none, e.g. "the champion" as a parent).
pub fn parse_optional_version(value: &str) -> Result<Option<SemVer>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        parse_version(value).map(Some)
    }
}

/// A `datetime-local` value, taken as UTC; empty means no bound.
pub fn parse_time(text: &str) -> Result<Option<DateTime<Utc>>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(Some(n.and_utc()));
        }
    }
    Err(format!(
        "\"{t}\" is not a date and time like 2026-03-02T09:30"
    ))
}

/// A pasted payload: it must be JSON (the engine stores only its size).
pub fn check_payload(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("paste a JSON payload".into());
    }
    serde_json::from_str::<serde_json::Value>(text)
        .map(|_| ())
        .map_err(|e| format!("not valid JSON: {e}"))
}

/// Free fields: one `key=value` (or `key: value`) per line.
pub fn parse_fields(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let split = line
            .find('=')
            .into_iter()
            .chain(line.find(':'))
            .min()
            .ok_or_else(|| format!("line {}: write key=value", i + 1))?;
        let key = line.get(..split).unwrap_or("").trim();
        let value = line.get(split + 1..).unwrap_or("").trim();
        if key.is_empty() {
            return Err(format!("line {}: the field name is empty", i + 1));
        }
        out.insert(key.to_string(), value.to_string());
    }
    Ok(out)
}

/// The message of a validation, if it failed.
pub fn err_of<T>(r: Result<T, String>) -> Option<String> {
    r.err()
}

/// The next value of a [`latch`]: `(generation, dirty)` becomes dirty once
/// the field holds text, and starts again (clean) in a new generation.
pub fn next_latch(prev: Option<(u64, bool)>, generation: u64, filled: bool) -> (u64, bool) {
    match prev {
        Some((g, dirty)) if g == generation => (g, dirty || filled),
        _ => (generation, filled),
    }
}

/// Becomes true once `value` has held text, so clearing the field shows
/// "required" while typing; bumping `cleared` (after a successful submit
/// clears the form) makes it false again. A `Memo` over its own previous
/// value: the field's error line reads it after every keystroke.
pub fn latch(value: RwSignal<String>, cleared: RwSignal<u64>) -> Signal<bool> {
    let state = Memo::new(move |prev: Option<&(u64, bool)>| {
        next_latch(prev.copied(), cleared.get(), value.with(|v| !v.is_empty()))
    });
    Signal::derive(move || state.get().1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_numbers_and_batches_say_what_is_wrong() {
        assert_eq!(parse_batch("10", "3"), Ok((10, 3)));
        assert_eq!(
            parse_batch("10", "11"),
            Err("conversions (11) exceed trials (10)".into())
        );
        assert_eq!(
            parse_batch("-1", "0"),
            Err("trials must not be negative".into())
        );
        assert_eq!(
            parse_batch("x", "0"),
            Err("trials must be a whole number".into())
        );
        assert_eq!(parse_count("arms", " "), Err("arms is required".into()));
        assert_eq!(
            parse_number("mde", "inf"),
            Err("mde must be a number".into())
        );
        assert_eq!(parse_optional("mde", " "), Ok(None));
        assert_eq!(parse_optional("mde", "0.5"), Ok(Some(0.5)));
        assert_eq!(parse_weight("0"), Err("weight must be above 0".into()));
        assert_eq!(parse_weight("2.5"), Ok(2.5));
    }

    #[test]
    fn names_follow_the_engines_rule() {
        assert!(check_name("variant", "  ").is_err());
        assert_eq!(check_name("variant", " bold "), Ok("bold".into()));
        assert_eq!(
            check_name("variant", &"x".repeat(201)),
            Err("variant must be at most 200 characters".into())
        );
        assert!(check_name("variant", &"x".repeat(200)).is_ok());
        assert_eq!(
            check_name("variant", "bo\u{0}ld"),
            Err("variant must not contain control characters".into())
        );
        assert_eq!(required("name", "  "), Err("name is required".into()));
        assert_eq!(required("name", " a "), Ok("a".into()));
    }

    #[test]
    fn fractions_are_between_0_and_1_and_an_accuracy_is_required() {
        assert_eq!(parse_fraction("accuracy", "0.9"), Ok(0.9));
        assert_eq!(
            parse_fraction("accuracy", "1.5"),
            Err("accuracy must be between 0 and 1".into())
        );
        assert_eq!(
            parse_fraction("accuracy", ""),
            Err("accuracy must be a number between 0 and 1".into())
        );
        assert_eq!(
            parse_required_fraction("accuracy", ""),
            Err("accuracy is required".into())
        );
        assert_eq!(
            parse_required_fraction("accuracy", "abc"),
            Err("accuracy must be a number between 0 and 1".into())
        );
    }

    #[test]
    fn versions_samples_times_payloads_and_fields_parse_or_name_the_problem() {
        assert!(parse_version("1.2").is_err());
        assert_eq!(
            parse_version(" 1.2.0 ").map(|v| v.to_string()),
            Ok("1.2.0".into())
        );
        assert_eq!(parse_optional_version(""), Ok(None));
        assert_eq!(parse_sample("r", "1, 2;3\n4"), Ok(vec![1.0, 2.0, 3.0, 4.0]));
        assert!(parse_sample("r", "1 x").is_err_and(|e| e.contains("value 2")));
        assert_eq!(parse_sample("r", " "), Err("r sample is empty".into()));
        assert_eq!(
            parse_time("2026-03-02T09:30").map(|t| t.map(|t| t.to_rfc3339())),
            Ok(Some("2026-03-02T09:30:00+00:00".into()))
        );
        assert_eq!(parse_time(" "), Ok(None));
        assert!(parse_time("yesterday").is_err());
        assert!(check_payload("{\"a\": 1}").is_ok());
        assert!(check_payload("{").is_err_and(|e| e.starts_with("not valid JSON")));
        assert_eq!(check_payload("  "), Err("paste a JSON payload".into()));
        let f = parse_fields("city=Austin\n\nbeds: 3\n").unwrap_or_default();
        assert_eq!(f.get("city").map(String::as_str), Some("Austin"));
        assert_eq!(f.get("beds").map(String::as_str), Some("3"));
        assert!(parse_fields("city").is_err_and(|e| e.contains("line 1")));
        assert!(parse_fields("=x").is_err_and(|e| e.contains("name is empty")));
    }

    #[test]
    fn a_latch_stays_set_once_filled_until_the_form_is_cleared() {
        let mut state = next_latch(None, 0, false);
        assert_eq!(state, (0, false));
        for (filled, dirty) in [(true, true), (false, true), (false, true)] {
            state = next_latch(Some(state), 0, filled);
            assert_eq!(state.1, dirty);
        }
        // Submitted and cleared: a new generation, clean.
        state = next_latch(Some(state), 1, false);
        assert_eq!(state, (1, false));
    }
}
