//! The parsers and validators of the console's forms, in one place.
//!
//! Every form turns typed text into the engine's values here, so a count, a
//! name or a rate is read the same way on every page and says what is wrong
//! in the same words (the engine checks again: these messages only come
//! earlier, while typing). Pure functions, tested natively; the one reactive
//! helper, [`latch`], is a `Memo` over its field.

use std::collections::BTreeMap;

use brain_core::models::SemVer;
use brain_core::rollouts::{Criteria, Stage};
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

/// Named numbers of a measurement: each filled fixed field (empty: not measured) and every
/// `name=value` line of `extra` (any other metric), each a finite number.
pub fn parse_metrics(fixed: &[(&str, &str)], extra: &str) -> Result<BTreeMap<String, f64>, String> {
    let mut out = BTreeMap::new();
    for (name, text) in fixed {
        if let Some(v) = parse_optional(name, text)? {
            out.insert((*name).to_string(), v);
        }
    }
    for (name, text) in parse_fields(extra)? {
        let name = check_name("metric name", &name)?;
        let v = parse_number(&name, &text)?;
        out.insert(name, v);
    }
    Ok(out)
}

/// A traffic share written as a percentage (`5%`) or a fraction (`0.05`), in (0, 1].
pub fn parse_share(label: &str, s: &str) -> Result<f64, String> {
    let t = s.trim();
    let share = match t.strip_suffix('%') {
        Some(p) => parse_number(label, p)? / 100.0,
        None => parse_number(label, t)?,
    };
    if share > 0.0 && share <= 1.0 {
        Ok(share)
    } else {
        Err(format!("{label} must be above 0% and at most 100%"))
    }
}

/// A rollout's stages, one per line: `name share [minutes] [samples]` (spaces or commas
/// between), e.g. `Pilot 5% 60 100`; every stage gets `criteria`. The engine checks the
/// order of the shares and the ranges again.
pub fn parse_stages(text: &str, criteria: &Criteria) -> Result<Vec<Stage>, String> {
    let mut stages = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .collect();
        let Some((name, rest)) = parts.split_first() else {
            continue;
        };
        let at = |what: &str| format!("line {}: {what}", i + 1);
        let name = check_name("stage name", name).map_err(|e| at(&e))?;
        let Some(share) = rest.first() else {
            return Err(at("write the stage's share after its name, e.g. Pilot 5%"));
        };
        if rest.len() > 3 {
            return Err(at("write name, share, minutes, samples"));
        }
        let traffic = parse_share("share", share).map_err(|e| at(&e))?;
        let whole = |label: &str, t: Option<&&str>| -> Result<u64, String> {
            t.map_or(Ok(0), |t| parse_count(label, t).map(i64::unsigned_abs))
                .map_err(|e| at(&e))
        };
        stages.push(Stage {
            name,
            traffic,
            min_duration_minutes: whole("minutes", rest.get(1))?,
            min_samples: whole("samples", rest.get(2))?,
            criteria: criteria.clone(),
        });
    }
    if stages.is_empty() {
        return Err("write at least one stage, e.g. Production 100%".into());
    }
    Ok(stages)
}

/// Stages as [`parse_stages`] reads them, one per line (a preset shown for editing).
pub fn stage_lines(stages: &[Stage]) -> String {
    stages
        .iter()
        .map(|s| {
            format!(
                "{} {}% {} {}",
                s.name,
                // To 4 decimals of a percent: 0.07 shows as 7, not 7.000000000000001.
                (s.traffic * 1e6).round() / 1e4,
                s.min_duration_minutes,
                s.min_samples
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
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
    fn metrics_take_the_filled_fields_and_named_lines_and_name_a_bad_number() {
        let m = parse_metrics(&[("f1", "0.8"), ("latency_p95", " ")], "auc=0.91\ncost: 3")
            .unwrap_or_default();
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(m.get("f1"), Some(&0.8));
        assert_eq!(m.get("auc"), Some(&0.91));
        assert!(!m.contains_key("latency_p95"));
        assert_eq!(
            parse_metrics(&[("f1", "high")], ""),
            Err("f1 must be a number".into())
        );
        assert_eq!(
            parse_metrics(&[], "auc=x"),
            Err("auc must be a number".into())
        );
    }

    #[test]
    fn stages_are_read_one_per_line_and_a_preset_reads_back_as_itself() {
        let criteria = Criteria::default();
        let stages = parse_stages(
            "Pilot 5% 60 100\n\nLimited, 0.25, 240\nProduction 100%",
            &criteria,
        )
        .unwrap_or_default();
        assert_eq!(stages.len(), 3);
        assert_eq!(
            (stages[0].name.as_str(), stages[0].min_samples),
            ("Pilot", 100)
        );
        assert!((stages[0].traffic - 0.05).abs() < 1e-12);
        assert_eq!(
            (stages[1].min_duration_minutes, stages[1].min_samples),
            (240, 0)
        );
        assert_eq!(stages[2].traffic, 1.0);
        let policy = brain_core::rollouts::Policy::default().stages;
        assert_eq!(parse_stages(&stage_lines(&policy), &criteria), Ok(policy));
        assert_eq!(
            parse_stages("Pilot", &criteria),
            Err("line 1: write the stage's share after its name, e.g. Pilot 5%".into())
        );
        assert_eq!(
            parse_stages("Pilot 5%\nAll 150%", &criteria),
            Err("line 2: share must be above 0% and at most 100%".into())
        );
        assert_eq!(
            parse_stages("Pilot 5% soon", &criteria),
            Err("line 1: minutes must be a whole number".into())
        );
        assert!(parse_stages(" \n", &criteria).is_err());
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
