//! A snapshot exported by the console before schema 2 (the demo plus
//! commands using schema 1's names: `EvaluateGates {clone, model,
//! experiment}`, a partial `SetPolicy` that replaced the whole policy,
//! `ab.winner.srmThreshold`, `gates.max_accuracy_drop`) still imports, to
//! the same decisions. The fixture was written by the engine at the commit
//! before schema 2 (`git log -- core/tests/fixtures/snapshot-v1-console.json`
//! shows the example that wrote it).

use brain_core::brain::{Brain, Envelope, SCHEMA_VERSION};
use brain_core::verify::Status;
use serde_json::Value;

const V1: &str = include_str!("fixtures/snapshot-v1-console.json");

fn raw() -> Value {
    serde_json::from_str(V1).unwrap_or(Value::Null)
}

fn loaded() -> Brain {
    match Brain::from_snapshot_json(V1) {
        Ok(b) => b,
        Err(e) => panic!("the schema-1 export must import: {e}"),
    }
}

/// Every event's decision as schema 1 wrote it and as the migrated brain
/// holds it: gate verdicts, script statuses, model outcomes, ingestion.
fn decisions(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| {
            let t = e.get("type")?.as_str()?;
            match t {
                "GatesDecided" => Some(format!(
                    "{t} {} {}",
                    e.pointer("/decision/clone")?,
                    e.pointer("/decision/verdict")?
                )),
                "ScriptStatusChanged" => Some(format!("{t} {}", e.get("change")?)),
                "UpdateAccepted" | "UpdateRefused" | "VersionPromoted" | "PromotionRefused"
                | "RolledBack" | "IngestAccepted" | "IngestBlocked" | "AlertRaised" => {
                    Some(format!("{t} {e}"))
                }
                _ => None,
            }
        })
        .collect()
}

fn events_json(brain: &Brain) -> Vec<Value> {
    brain
        .events()
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .collect()
}

#[test]
fn a_schema_1_export_imports_and_its_log_executes_again_to_its_events() {
    let mut brain = loaded();
    assert_eq!(brain.log().len(), 103);
    assert_eq!(brain.confirm_log(), Ok(103));
    assert_eq!(
        Brain::replay_hash(brain.origin(), brain.events()),
        brain.state_hash()
    );
    let report = brain.verify();
    assert_ne!(report.status, Status::Fail, "{report:?}");
    assert_eq!(brain.snapshot().schema_version, SCHEMA_VERSION);
}

#[test]
fn a_schema_1_export_keeps_every_decision_and_every_audit_entry() {
    let raw = raw();
    let brain = loaded();
    let before = raw
        .get("events")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let after = events_json(&brain);
    assert_eq!(before.len(), after.len());
    assert!(!decisions(&before).is_empty());
    assert_eq!(decisions(&before), decisions(&after));
    // The audit trail says what schema 1 wrote, entry for entry (schema 3
    // re-hashed it as a Merkle log: the summaries are kept, the hashes are
    // new, and the log checks).
    let summaries = |v: &Value| -> Vec<Value> {
        v.pointer("/state/audit/entries")
            .and_then(Value::as_array)
            .map(|es| {
                es.iter()
                    .map(|e| {
                        [
                            "seq", "at", "actor", "subject", "action", "outcome", "detail",
                        ]
                        .map(|k| e.get(k).cloned().unwrap_or(Value::Null))
                        .into()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let migrated = serde_json::from_str::<Value>(&brain.to_snapshot_json()).unwrap_or(Value::Null);
    assert_eq!(summaries(&raw), summaries(&migrated));
    assert!(!summaries(&raw).is_empty());
    assert_eq!(brain.verify_audit(), Ok(()));
}

#[test]
fn a_schema_1_set_policy_still_replaces_the_policy_it_replaced_then() {
    // The fixture's second SetPolicy named only `ab.winner` and `readiness`:
    // schema 1 reset every other block to its defaults, so the gates'
    // 0.9 / 0.01 of the first SetPolicy were gone. The migrated command is
    // the full policy it set, and gives the same policy.
    let brain = loaded();
    let p = brain.policy();
    assert_eq!(p.ab.winner.srm_alpha, 0.01);
    assert_eq!(p.ab.winner.min_sample_per_variant, 50);
    assert_eq!(p.ab.winner.bayes_threshold, 0.9);
    assert_eq!(p.readiness.ready_threshold, 0.7);
    assert_eq!(p.gates.min_accuracy, 0.85);
    assert_eq!(p.gates.safety_max_accuracy_drop, 0.02);
    assert_eq!(p.models.max_accuracy_drop, 0.02);
    let raw = raw();
    assert_eq!(
        raw.pointer("/state/policy/ab/winner/srmThreshold"),
        Some(&Value::from(0.01))
    );
}

#[test]
fn a_schema_1_export_exported_again_is_the_current_schema_and_loads_to_the_same_state() {
    let brain = loaded();
    let again = Brain::from_snapshot_json(&brain.to_snapshot_json()).map(|b| b.state_hash());
    assert_eq!(again, Ok(brain.state_hash()));
    assert!(brain
        .to_snapshot_json()
        .contains("\"clone_id\":\"clone-beta\""));
    assert!(!brain.to_snapshot_json().contains("srmThreshold"));
}

#[test]
fn an_edited_snapshot_mark_in_a_schema_1_export_is_not_repaired() {
    // The mark in the events and in the state, edited alike.
    let edited = V1.replace(
        "d3bc6d5acbf14c58fa01ed93e24e0833f5acc178e8b8118f6855264400a791d1",
        "e3bc6d5acbf14c58fa01ed93e24e0833f5acc178e8b8118f6855264400a791d1",
    );
    assert_ne!(edited, V1);
    // Schema 3's migration re-executes the log and compares each mark with
    // the schema-2 hash of the state at its place: an edited mark is refused
    // on load, never rewritten into a valid one.
    let code = |r: Result<Brain, brain_core::error::BrainError>| r.err().map(|e| e.code());
    assert_eq!(
        code(Brain::from_snapshot_json(&edited)),
        Some("import_log_mismatch")
    );
    assert_eq!(code(Brain::import(&edited)), Some("import_log_mismatch"));
    assert!(Brain::import(V1).is_ok());
}

#[test]
fn a_partial_set_policy_after_the_import_keeps_the_imported_values() {
    let mut brain = loaded();
    let at = "2026-03-04T09:00:00Z";
    let json = format!(
        r#"{{"at":"{at}","actor":"cfo","block":"policy","type":"SetPolicy","policy":{{"gates":{{"min_accuracy":0.9}}}}}}"#
    );
    let env: Result<Envelope, _> = serde_json::from_str(&json);
    assert!(env.is_ok());
    assert!(brain.execute_json(&json).is_ok());
    let p = brain.policy();
    assert_eq!(p.gates.min_accuracy, 0.9);
    assert_eq!(p.ab.winner.srm_alpha, 0.01);
    assert_eq!(p.readiness.ready_threshold, 0.7);
}
