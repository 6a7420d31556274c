//! Imports that refuse every edited file (issue 13, item 3): every value of a snapshot (its
//! state, events, command log, origin and audit trail) is edited once, and `Brain::import` (the
//! one loader of the console's import and of `Brain.fromJSON`) must refuse the file, unless the
//! edit is a no-op: the brain it loads exports exactly the original snapshot.
//!
//! Two snapshots cover every part: the demo (no origin: its log starts from the empty brain) and
//! the demo compacted into an origin with a few commands after it (origin, state, events, log).

use brain_core::brain::{Brain, Command, Envelope};
use brain_core::{ab, ingest};
use chrono::{Duration, TimeZone, Utc};
use serde_json::Value;

fn demo() -> Brain {
    Brain::demo(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default(),
    )
}

/// The demo folded into its origin, then three more commands (one of them refused by a guard).
fn compacted_with_history() -> Brain {
    let mut brain = demo().compacted();
    let mut at = brain.state().last_at.unwrap_or_default();
    let experiment = brain.experiments()[0].experiment.clone();
    let variant = brain.experiments()[0].variants[0].name.clone();
    for command in [
        Command::Ab(ab::Command::RecordCounts {
            experiment,
            variant,
            trials: 40,
            conversions: 7,
        }),
        Command::Ingest(ingest::Command::IngestData {
            source: "craigslist".into(),
            payload: "lead: Ann Lee".into(),
        }),
        Command::Ingest(ingest::Command::IngestData {
            source: "zillow".into(),
            payload: "lead: Bo Chan".into(),
        }),
    ] {
        at += Duration::minutes(1);
        if let Err(e) = brain.execute(Envelope::new(at, command).by("ops")) {
            panic!("setup command refused: {e}");
        }
    }
    brain
}

/// Every leaf of a JSON value, as a JSON pointer.
fn leaves(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                leaves(child, format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                leaves(child, format!("{path}/{i}"), out);
            }
        }
        _ => out.push(path),
    }
}

/// A different value of the same JSON type (a null becomes a number).
fn edited(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::from(u.wrapping_add(1)),
            (None, Some(i)) => Value::from(i.wrapping_add(1)),
            _ => Value::from(n.as_f64().unwrap_or(0.0) * 1.5 + 0.25),
        },
        Value::String(s) => Value::String(format!("{s}x")),
        _ => Value::from(1),
    }
}

/// Edits every leaf of `brain`'s snapshot once; returns (refused, no-ops), and fails on an
/// accepted edit that changes anything.
fn every_edit_is_refused(brain: &Brain) -> (usize, usize) {
    let original = brain.to_snapshot_json();
    let snapshot: Value = serde_json::from_str(&original).unwrap_or(Value::Null);
    let mut paths = Vec::new();
    leaves(&snapshot, String::new(), &mut paths);
    assert!(paths.len() > 100, "only {} values", paths.len());
    let (mut refused, mut no_ops) = (0, 0);
    let mut accepted = Vec::new();
    // Every value by default; `BRAIN_EDIT_STRIDE=k` edits every k-th (a quicker run while
    // developing; CI runs them all).
    let stride = std::env::var("BRAIN_EDIT_STRIDE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1usize)
        .max(1);
    for path in paths.iter().step_by(stride) {
        let mut copy = snapshot.clone();
        let Some(slot) = copy.pointer_mut(path) else {
            panic!("{path} is not in the snapshot");
        };
        *slot = edited(slot);
        match Brain::import(&copy.to_string()) {
            Err(_) => refused += 1,
            Ok(loaded) if loaded.to_snapshot_json() == original => no_ops += 1,
            Ok(_) => accepted.push(path.clone()),
        }
    }
    assert!(
        accepted.is_empty(),
        "{} edits were imported and changed the brain, e.g. {:?}",
        accepted.len(),
        &accepted[..accepted.len().min(40)]
    );
    (refused, no_ops)
}

#[test]
fn every_single_edit_of_the_demo_snapshot_is_refused() {
    let (refused, no_ops) = every_edit_is_refused(&demo());
    println!("demo: {refused} edits refused, {no_ops} no-ops");
    assert!(refused > 0);
}

#[test]
fn every_single_edit_of_a_snapshot_with_an_origin_is_refused() {
    let brain = compacted_with_history();
    assert!(brain.origin().is_some() && !brain.log().is_empty());
    let (refused, no_ops) = every_edit_is_refused(&brain);
    println!("compacted: {refused} edits refused, {no_ops} no-ops");
    assert!(refused > 0);
}
