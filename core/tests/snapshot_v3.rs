//! A schema-3 export written by the console (its demo, exported; made by
//! `core/examples/write_v3_fixture.rs` at the commit that added the fixture,
//! see `git log -- core/tests/fixtures/snapshots/v3-console-export.json`)
//! imports under schema 4 to the same state, decisions and audit root: its
//! commands use schema 3's names (`script`, `source`, `experiment`, a
//! template's `name`), read as aliases, and their audit entries keep their
//! hashes (commands are hashed under their schema-3 names), so a browser's
//! witness of the root still holds. An edited export is still refused.

use brain_core::audit::TreeHead;
use brain_core::brain::{Brain, Envelope, SCHEMA_VERSION};
use brain_core::verify::Status;
use serde_json::Value;

const V3: &str = include_str!("fixtures/snapshots/v3-console-export.json");

fn raw() -> Value {
    serde_json::from_str(V3).unwrap_or(Value::Null)
}

/// The tree head the schema-3 file recorded: its last entry's root.
fn recorded_head(v: &Value) -> TreeHead {
    let entries = v
        .pointer("/state/audit/entries")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    TreeHead {
        size: entries.len() as u64,
        root: entries
            .last()
            .and_then(|e| e.get("root"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    }
}

fn import(json: &str) -> Brain {
    match Brain::import(json) {
        Ok(b) => b,
        Err(e) => panic!("the export must import: {e}"),
    }
}

#[test]
fn a_schema_3_export_imports_to_the_same_state_and_audit_root_and_verifies() {
    let v = raw();
    assert_eq!(v["schema_version"], 3);
    let head = recorded_head(&v);
    assert_eq!(head.size, 161);
    let brain = import(V3);
    assert_eq!(brain.audit_root(), head);
    assert!(brain.check_audit_root(&head).is_ok());
    // The state (every decision, every audit entry) is the file's, unchanged.
    assert_eq!(
        serde_json::to_value(brain.state()).ok(),
        Some(v["state"].clone())
    );
    let report = brain.verify();
    assert!(
        report.checks.iter().all(|c| c.status != Status::Fail),
        "{}",
        report.to_json()
    );
}

/// The file's own commands, executed one by one by today's engine on a new brain (as a
/// browser replays its stored log, not through the importer), reach the root the schema-3
/// engine recorded: the witness a browser holds stays valid, whatever today's demo is.
#[test]
fn the_files_commands_executed_under_schema_4_give_the_schema_3_audit_root() {
    let v = raw();
    let log = v["log"].as_array().cloned().unwrap_or_default();
    assert_eq!(log.len(), 161);
    let mut brain = Brain::new();
    for (i, command) in log.into_iter().enumerate() {
        let envelope: Envelope = match serde_json::from_value(command) {
            Ok(e) => e,
            Err(e) => panic!("command {i} must read under schema 4: {e}"),
        };
        if let Err(e) = brain.execute(envelope) {
            panic!("command {i} must be accepted again: {e}");
        }
    }
    assert_eq!(brain.audit_root(), recorded_head(&v));
    assert_eq!(
        serde_json::to_value(brain.state()).ok(),
        Some(v["state"].clone())
    );
}

#[test]
fn re_exported_it_writes_the_new_names_and_imports_again_to_the_same_root() {
    let brain = import(V3);
    let out: Value = serde_json::from_str(&brain.to_snapshot_json()).unwrap_or(Value::Null);
    assert_eq!(out["schema_version"], u64::from(SCHEMA_VERSION));
    assert_eq!(SCHEMA_VERSION, 4);
    let log = out["log"].as_array().cloned().unwrap_or_default();
    let with = |key: &str| log.iter().filter(|c| c.get(key).is_some()).count();
    assert_eq!(with("script"), 0);
    assert_eq!(with("source"), 0);
    assert_eq!(with("script_id"), 25);
    assert_eq!(with("source_id"), 10);
    assert_eq!(with("template_id"), 1);
    assert!(log
        .iter()
        .filter(|c| c["block"] == "ab")
        .all(|c| c.get("experiment").is_none() && c.get("experiment_id").is_some()));
    let again = import(&out.to_string());
    assert_eq!(again.audit_root(), recorded_head(&raw()));
    assert_eq!(again.state_hash(), brain.state_hash());
}

#[test]
fn an_edited_schema_3_export_is_still_refused() {
    // A script id changed in a logged command: the log no longer gives the events.
    let mut v = raw();
    let log = v["log"].as_array_mut().map(|l| l.iter_mut());
    let renamed = log
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "EvaluateScript")
        .map(|c| c["script"] = Value::from("edited"));
    assert!(renamed.is_some());
    assert!(Brain::import(&v.to_string()).is_err());
    // A count changed in the state: replaying the events no longer gives it.
    let mut v = raw();
    let entry = v.pointer_mut("/state/audit/entries/3/commandHash");
    assert!(entry.is_some());
    if let Some(h) = entry {
        *h = Value::from("0".repeat(64));
    }
    assert!(Brain::import(&v.to_string()).is_err());
}
