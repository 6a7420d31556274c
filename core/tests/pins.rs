//! Determinism pins across builds and versions: the demo brain's state hash and audit head are
//! the values in `fixtures/demo-pins.json`, here natively, in wasm (the console's
//! wasm-bindgen tests, `web/src/pins.rs`) and from Node (`tests/node/js-pins.test.mjs`): one
//! file read by all three, so a change of the engine's hashing is one edit. Snapshots written
//! by earlier schema versions (`fixtures/snapshots/`) still import, to their pinned state.
//!
//! After an intended change of the hashes (the audit log's format, the policy's vocabulary),
//! rewrite the file with `BRAIN_UPDATE_PINS=1 cargo test -p brain-core --test pins` and say why
//! in the commit: a pin that moves without a reason is a determinism bug.

use brain_core::brain::Brain;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn pins() -> Value {
    let text = std::fs::read_to_string(fixtures().join("demo-pins.json")).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Loads a snapshot as the console's import and `Brain.fromJSON` do (`Brain::import`).
fn import(text: &str) -> Result<Brain, String> {
    Brain::import(text).map_err(|e| e.to_string())
}

/// What is pinned about a brain.
fn measure(brain: &Brain) -> Value {
    json!({
        "state_hash": brain.state_hash(),
        "audit_head": brain.state().audit.head(),
        "audit_entries": brain.state().audit.entries.len(),
        "commands": brain.log().len(),
        "events": brain.events().len(),
    })
}

/// The pins as this build computes them: the demo, and every snapshot fixture imported.
fn measured(demo_at: &str) -> Value {
    let at: DateTime<Utc> = demo_at.parse().unwrap_or_default();
    let mut snapshots = serde_json::Map::new();
    let mut names: Vec<_> = std::fs::read_dir(fixtures().join("snapshots"))
        .map(|dir| dir.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    names.sort();
    for name in names {
        let name = name.to_string_lossy().to_string();
        let text =
            std::fs::read_to_string(fixtures().join("snapshots").join(&name)).unwrap_or_default();
        let value = match import(&text) {
            Ok(brain) => measure(&brain),
            Err(e) => json!({ "refused": e }),
        };
        snapshots.insert(name, value);
    }
    json!({
        "about": "Pinned determinism values, read by core/tests/pins.rs (native), web/src/pins.rs (wasm) and tests/node/js-pins.test.mjs (Node). Rewrite with BRAIN_UPDATE_PINS=1 cargo test -p brain-core --test pins, only for an intended change of the hashing.",
        "demo_at": demo_at,
        "demo": measure(&Brain::demo(at)),
        "snapshots": snapshots,
    })
}

#[test]
fn the_demo_and_every_earlier_snapshot_give_the_pinned_values() {
    let pinned = pins();
    let demo_at = pinned["demo_at"]
        .as_str()
        .unwrap_or("2026-03-02T09:00:00Z")
        .to_string();
    let now = measured(&demo_at);
    if std::env::var_os("BRAIN_UPDATE_PINS").is_some() {
        let text = serde_json::to_string_pretty(&now).unwrap_or_default() + "\n";
        std::fs::write(fixtures().join("demo-pins.json"), text).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    assert_eq!(now["demo"], pinned["demo"], "the demo brain's pins moved");
    assert_eq!(
        now["snapshots"], pinned["snapshots"],
        "an earlier snapshot imports differently"
    );
    // Every fixture imports (a refusal is never pinned as the expected answer).
    for (name, value) in now["snapshots"].as_object().into_iter().flatten() {
        assert!(value.get("refused").is_none(), "{name}: {value}");
    }
}
