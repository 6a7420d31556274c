//! What the fuzz targets share: the demo brain they act on, the time after it, the import
//! they check (one function, so the console's and the package's loader can be swapped in on
//! one line), and the invariants every loaded or changed brain must keep.
//!
//! The targets assert properties, not only "no panic": a refused command leaves the brain
//! exactly as it was, an accepted one is what `decide` said; a loaded snapshot re-exports to
//! text that loads to the same state; an edited audit export is refused.

use brain_core::brain::Brain;
use brain_core::verify::Status;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::OnceLock;

/// The demo's start, the same instant the pins (`core/tests/fixtures/demo-pins.json`) use.
pub fn demo_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The demo brain, built once per process (every target clones it).
pub fn demo() -> &'static Brain {
    static DEMO: OnceLock<Brain> = OnceLock::new();
    DEMO.get_or_init(|| Brain::demo(demo_start()))
}

/// One minute after the demo's last command: commands in the seed corpus carry this time, so
/// that they are not refused as going back in time.
pub fn after_demo() -> DateTime<Utc> {
    demo().state().last_at.unwrap_or_else(demo_start) + Duration::minutes(1)
}

/// Loads a snapshot as the console's import and `Brain.fromJSON` do (`Brain::import`).
pub fn import(text: &str) -> Result<Brain, String> {
    Brain::import(text).map_err(|e| e.to_string())
}

/// The invariants of a brain built by `execute`: its events replay to its state, its audit chain
/// holds, and its JSON loads back to the same state and re-exports to the same text. (Its log
/// gives its events by construction; [`assert_sound`] also executes it again.)
pub fn assert_consistent(brain: &Brain, what: &str) {
    assert_eq!(
        Brain::replay_hash(brain.origin(), brain.events()),
        brain.state_hash(),
        "{what}: replay"
    );
    assert_eq!(brain.verify_audit(), Ok(()), "{what}: audit chain");
    let json = brain.to_snapshot_json();
    let again = Brain::from_snapshot_json(&json)
        .unwrap_or_else(|e| panic!("{what}: its own export does not load: {e}"));
    assert!(again == *brain, "{what}: round trip");
    assert_eq!(again.to_snapshot_json(), json, "{what}: re-export");
}

/// [`assert_consistent`], and the brain's export passes the whole import (its log executed
/// again) and no verification check fails on it.
pub fn assert_sound(brain: &Brain, what: &str) {
    assert_consistent(brain, what);
    let again = import(&brain.to_snapshot_json())
        .unwrap_or_else(|e| panic!("{what}: its own export is refused: {e}"));
    assert_eq!(again.state_hash(), brain.state_hash(), "{what}: import");
    let failed: Vec<_> = again
        .verify()
        .checks
        .into_iter()
        .filter(|c| c.status == Status::Fail)
        .collect();
    assert!(failed.is_empty(), "{what}: verification fails: {failed:?}");
}

/// Every read-model query of the console, for a brain that was just loaded or changed: none may
/// panic or hang (the policy bounds the work, e.g. `bandit_draws`).
pub fn query_everything(brain: &Brain) {
    for report in brain.experiments() {
        let _ = brain.allocation(&report.experiment);
    }
    let _ = brain.scripts();
    let _ = brain.sources();
    let _ = brain.models();
    let _ = brain.clones();
    let _ = brain.export_packets();
    let _ = brain.state().outcomes.trends(&brain.policy().outcomes);
}
