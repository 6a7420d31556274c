//! Determinism pins in wasm: the demo brain built by the engine compiled for the browser has
//! the state hash and audit head that the native build and Node pin
//! (`core/tests/fixtures/demo-pins.json`, read by all three), and the snapshots of earlier
//! schema versions import in the browser to their pinned state.

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use brain_core::Brain;
    use serde_json::{json, Value};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const PINS: &str = include_str!("../../core/tests/fixtures/demo-pins.json");
    const SNAPSHOTS: [(&str, &str); 3] = [
        (
            "v0.json",
            include_str!("../../core/tests/fixtures/snapshots/v0.json"),
        ),
        (
            "v1-console-export.json",
            include_str!("../../core/tests/fixtures/snapshots/v1-console-export.json"),
        ),
        (
            "v3-console-export.json",
            include_str!("../../core/tests/fixtures/snapshots/v3-console-export.json"),
        ),
    ];

    fn measure(brain: &Brain) -> Value {
        json!({
            "state_hash": brain.state_hash(),
            "audit_head": brain.state().audit.head(),
            "audit_entries": brain.state().audit.entries.len(),
            "commands": brain.log().len(),
            "events": brain.events().len(),
        })
    }

    #[wasm_bindgen_test]
    fn the_demo_brain_in_wasm_has_the_pinned_state_hash_and_audit_head() {
        let pins: Value = serde_json::from_str(PINS).unwrap_or(Value::Null);
        let at = pins["demo_at"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default();
        assert_eq!(measure(&Brain::demo(at)), pins["demo"]);
    }

    #[wasm_bindgen_test]
    fn snapshots_of_earlier_versions_import_in_wasm_to_their_pinned_state() {
        let pins: Value = serde_json::from_str(PINS).unwrap_or(Value::Null);
        for (name, text) in SNAPSHOTS {
            // The console's import (`crate::snapshot::import`, the engine's `Brain::import`).
            let brain = crate::snapshot::import(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(measure(&brain), pins["snapshots"][name], "{name}");
        }
        let pinned = pins["snapshots"].as_object().map(|o| o.len());
        assert_eq!(
            pinned,
            Some(SNAPSHOTS.len()),
            "every pinned snapshot is checked here"
        );
    }
}
