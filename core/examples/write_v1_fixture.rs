//! One-off: writes the schema-v1 snapshot fixture (the demo plus commands using the field
//! names of schema 1) to `core/tests/fixtures/snapshot-v1-console.json`. Run at the commit
//! before schema 2; kept in history only.
use brain_core::brain::Brain;
use chrono::{TimeZone, Utc};

fn main() {
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let mut brain = Brain::demo(at);
    for json in [
        r#"{"at":"2026-03-03T09:00:00Z","actor":"cfo","block":"policy","type":"SetPolicy","policy":{"gates":{"min_accuracy":0.9,"max_accuracy_drop":0.01,"srm_alpha":0.001},"models":{"max_accuracy_drop":0.05}}}"#,
        r#"{"at":"2026-03-03T09:01:00Z","actor":"ops","block":"gates","type":"EvaluateGates","clone":"clone-alpha","model":"lead-scorer","experiment":"opening-script"}"#,
        r#"{"at":"2026-03-03T09:02:00Z","actor":"cfo","block":"policy","type":"SetPolicy","policy":{"ab":{"winner":{"srmThreshold":0.01,"minSamplePerVariant":50,"bayesThreshold":0.9}},"readiness":{"ready_threshold":0.7}}}"#,
        r#"{"at":"2026-03-03T09:03:00Z","actor":"ops","block":"gates","type":"EvaluateGates","clone":"clone-beta","model":"lead-scorer"}"#,
        r#"{"at":"2026-03-03T09:04:00Z","actor":"ops","block":"gates","type":"EvaluateGates","clone":"clone-alpha"}"#,
        r#"{"at":"2026-03-03T09:05:00Z","actor":"ops","block":"audit","type":"TakeSnapshot"}"#,
    ] {
        brain.execute_json(json).expect("accepted at schema 1");
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/snapshot-v1-console.json");
    std::fs::write(path, brain.to_snapshot_json()).unwrap();
    println!("{} commands, state hash {}", brain.snapshot().log.len(), brain.state_hash());
}
