//! Snapshot schema 1 -> 2: one vocabulary and one partial-policy rule.
//!
//! Schema 2 renamed wire fields and changed what `SetPolicy` means; a file
//! written by schema 1 (an export, the console's stored origin) is rewritten
//! here on load, so that it imports to the same decisions:
//!
//! | where | schema 1 | schema 2 |
//! |---|---|---|
//! | policy `ab.winner` | `minSamplePerVariant`, `srmThreshold`, `sequentialTuning`, `bayesThreshold` | `min_sample_per_variant`, `srm_alpha`, `sequential_tuning`, `bayes_threshold` |
//! | policy `gates` | `max_accuracy_drop` | `safety_max_accuracy_drop` |
//! | command `EvaluateGates` | `clone`, `model`, `experiment` | `clone_id`, `model_id`, `experiment_id` |
//! | command `SetPolicy` | a policy that *replaced* the one in force (omitted blocks reset to defaults) | a patch merged over the one in force: the old command becomes the full policy it set |
//!
//! Policies are renamed in the state, the origin, every `SetPolicy` command
//! and every `PolicyChanged` event. A `TakeSnapshot` mark records the state
//! hash, whose input (the schema version, the policy's field names) changed:
//! a mark that equals the schema-1 hash of the replayed state at its place is
//! rewritten to the schema-2 hash of that state; any other mark is kept as
//! it was, so an edited file still fails the import's checks.

use crate::brain::{BrainState, Event};
use crate::error::BrainError;
use crate::policy::Policy;
use crate::{audit, canon};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Renames in `ab.winner` (schema 1 name, schema 2 name).
const WINNER_RENAMES: [(&str, &str); 4] = [
    ("minSamplePerVariant", "min_sample_per_variant"),
    ("srmThreshold", "srm_alpha"),
    ("sequentialTuning", "sequential_tuning"),
    ("bayesThreshold", "bayes_threshold"),
];

/// Renames in `gates`.
const GATES_RENAMES: [(&str, &str); 1] = [("max_accuracy_drop", "safety_max_accuracy_drop")];

/// Renames in the `EvaluateGates` command.
const EVALUATE_GATES_RENAMES: [(&str, &str); 3] = [
    ("clone", "clone_id"),
    ("model", "model_id"),
    ("experiment", "experiment_id"),
];

/// Rewrites a schema-1 (or schema-0) snapshot (a JSON object) with schema 2's
/// names and meanings; the caller sets the version.
pub fn migrate(snapshot: &mut Value) -> Result<(), BrainError> {
    let obj = snapshot
        .as_object_mut()
        .ok_or_else(|| BrainError::Json("snapshot must be an object".into()))?;
    for key in ["state", "origin"] {
        if let Some(p) = obj.get_mut(key).and_then(|s| s.get_mut("policy")) {
            rename_policy(p);
        }
    }
    if let Some(Value::Array(log)) = obj.get_mut("log") {
        log.iter_mut().for_each(command);
    }
    if let Some(Value::Array(events)) = obj.get_mut("events") {
        for e in events.iter_mut() {
            if tags(e) == ("policy", "PolicyChanged") {
                if let Some(p) = e.get_mut("policy") {
                    rename_policy(p);
                }
            }
        }
    }
    rehash_marks(obj)
}

/// Rewrites one schema-1 command envelope (JSON) as schema 2; other
/// commands are left as they are.
pub fn command(env: &mut Value) {
    rename_command(env);
    if tags(env) == ("policy", "SetPolicy") {
        if let Some(p) = env.get_mut("policy") {
            // Schema 1 replaced the policy: what it set is the policy it
            // reads as, defaults filled in. A policy that does not read is
            // left as it was, for the import to refuse.
            // Written as serde writes it (the promotion fields added since
            // are left out at their old values), so the command's text, and
            // the hashes over it, are what they were.
            if let Ok(policy) = serde_json::from_value::<Policy>(p.clone()) {
                if let Ok(full) = serde_json::to_value(&policy) {
                    *p = full;
                }
            }
        }
    }
}

/// Renames schema 1's field names in one command envelope (JSON), and does
/// nothing else: safe to run on a command of either schema (a schema-2
/// command has none of the old names). For a stored command log that does
/// not say its schema (the console's storage format 2); unlike [`command`],
/// a schema-1 partial `SetPolicy` keeps its text and so takes schema 2's
/// meaning (merged over the policy in force).
pub fn rename_command(env: &mut Value) {
    match tags(env) {
        ("gates", "EvaluateGates") => {
            if let Some(o) = env.as_object_mut() {
                rename(o, &EVALUATE_GATES_RENAMES);
            }
        }
        ("policy", "SetPolicy") => {
            if let Some(p) = env.get_mut("policy") {
                rename_policy(p);
            }
        }
        _ => {}
    }
}

/// The `block` and `type` tags of a command or event.
fn tags(v: &Value) -> (&str, &str) {
    let tag = |k| v.get(k).and_then(Value::as_str).unwrap_or("");
    (tag("block"), tag("type"))
}

/// Renames keys of an object (a key already under its new name is kept).
fn rename(o: &mut Map<String, Value>, renames: &[(&str, &str)]) {
    for (old, new) in renames {
        if let Some(v) = o.remove(*old) {
            o.entry(*new).or_insert(v);
        }
    }
}

/// Renames the fields of a schema-1 policy (JSON).
fn rename_policy(policy: &mut Value) {
    if let Some(w) = policy
        .pointer_mut("/ab/winner")
        .and_then(Value::as_object_mut)
    {
        rename(w, &WINNER_RENAMES);
    }
    if let Some(g) = policy.get_mut("gates").and_then(Value::as_object_mut) {
        rename(g, &GATES_RENAMES);
    }
}

/// Rewrites the state hash of every snapshot mark the events recorded, when
/// it is the schema-1 hash of the replayed state at that point (see the
/// module's doc).
fn rehash_marks(obj: &mut Map<String, Value>) -> Result<(), BrainError> {
    // Entries are still schema 2's here: read through schema 3's legacy view
    // (the audit head is then schema 2's chain head, what `v1_hash` hashed).
    let read = |key: &str| super::migrate_v3::legacy_view(obj.get(key).unwrap_or(&Value::Null));
    let origin: Option<BrainState> = serde_json::from_value(read("origin"))
        .map_err(|e| BrainError::Json(format!("origin: {e}")))?;
    let events: Vec<Event> = match read("events") {
        Value::Null => Vec::new(),
        events => {
            serde_json::from_value(events).map_err(|e| BrainError::Json(format!("events: {e}")))?
        }
    };
    let mut state = origin.unwrap_or_default();
    // (position, schema-1 hash) -> schema-2 hash
    let mut rewritten: BTreeMap<(u64, String), String> = BTreeMap::new();
    let mut at: BTreeMap<usize, String> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Event::Audit(audit::Event::SnapshotTaken { mark }) = e {
            if mark.state_hash == v1_hash(&state) {
                // The state's own earlier marks enter its hash: schema 2's
                // hash takes them as rewritten.
                let v1_marks = state.audit.snapshots.clone();
                for m in &mut state.audit.snapshots {
                    if let Some(h) = rewritten.get(&(m.position, m.state_hash.clone())) {
                        m.state_hash = h.clone();
                    }
                }
                // Schema 2's hash (schema 3 migrates it in its turn).
                let new = state.hash_as(2, state.audit.entries.len(), state.audit.head());
                state.audit.snapshots = v1_marks;
                at.insert(i, new.clone());
                rewritten.insert((mark.position, mark.state_hash.clone()), new);
            }
        }
        state.apply(e);
    }
    if let Some(Value::Array(events)) = obj.get_mut("events") {
        for (i, new) in at {
            if let Some(h) = events
                .get_mut(i)
                .and_then(|e| e.pointer_mut("/mark/stateHash"))
            {
                *h = Value::String(new);
            }
        }
    }
    if let Some(Value::Array(marks)) = obj
        .get_mut("state")
        .and_then(|s| s.pointer_mut("/audit/snapshots"))
    {
        for m in marks.iter_mut() {
            let position = m.get("position").and_then(Value::as_u64).unwrap_or(0);
            let old = m.get("stateHash").and_then(Value::as_str).unwrap_or("");
            if let Some(new) = rewritten.get(&(position, old.to_string())) {
                if let Some(h) = m.get_mut("stateHash") {
                    *h = Value::String(new.clone());
                }
            }
        }
    }
    Ok(())
}

/// The state hash schema 1 gave this state: the same canonical JSON as
/// `BrainState::hash`, with schema version 1 and the policy under its
/// schema-1 field names (same field order, so only the names differ).
fn v1_hash(s: &BrainState) -> String {
    #[derive(Serialize)]
    struct Rest<'a> {
        rng_seed: u64,
        position: u64,
        last_at: Option<chrono::DateTime<chrono::Utc>>,
        ab: &'a crate::ab::State,
        promotion: &'a crate::promotion::State,
        packets: &'a crate::packets::State,
        ingest: &'a crate::ingest::State,
        outcomes: &'a crate::outcomes::State,
        models: &'a crate::models::State,
        readiness: &'a crate::readiness::State,
        gates: &'a crate::gates::State,
        audit_len: usize,
        audit_head: &'a str,
        snapshots: &'a [audit::SnapshotMark],
    }
    let rest = serde_json::to_string(&Rest {
        rng_seed: s.rng_seed,
        position: s.position,
        last_at: s.last_at,
        ab: &s.ab,
        promotion: &s.promotion,
        packets: &s.packets,
        ingest: &s.ingest,
        outcomes: &s.outcomes,
        models: &s.models,
        readiness: &s.readiness,
        gates: &s.gates,
        audit_len: s.audit.entries.len(),
        audit_head: s.audit.head(),
        snapshots: &s.audit.snapshots,
    })
    .unwrap_or_default();
    let mut policy = serde_json::to_string(&s.policy).unwrap_or_default();
    // `ab` comes first in the policy and `winner` first in `ab`, so the first
    // `srm_alpha` is the winner rule's; a key inside a string value would be
    // escaped (`\"`) and cannot match.
    for (old, new) in WINNER_RENAMES.iter().chain(GATES_RENAMES.iter()) {
        policy = policy.replacen(&format!("\"{new}\":"), &format!("\"{old}\":"), 1);
    }
    let text = format!(
        "{{\"schema_version\":1,\"policy\":{policy},{}",
        rest.get(1..).unwrap_or("")
    );
    use sha2::{Digest, Sha256};
    canon::hex(&Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::Envelope;
    use crate::policy::PolicyPatch;
    use serde_json::json;

    #[test]
    fn a_stored_schema_1_command_is_renamed_and_a_schema_2_command_is_left_alone() {
        let mut v1 = json!({"at": "2026-03-03T09:01:00Z", "block": "gates", "type": "EvaluateGates",
            "clone": "c", "model": "m", "experiment": "e"});
        rename_command(&mut v1);
        let v2 = json!({"at": "2026-03-03T09:01:00Z", "block": "gates", "type": "EvaluateGates",
            "clone_id": "c", "model_id": "m", "experiment_id": "e"});
        assert_eq!(v1, v2);
        let mut again = v2.clone();
        rename_command(&mut again);
        assert_eq!(again, v2);
        assert!(serde_json::from_value::<Envelope>(v2).is_ok());
    }

    #[test]
    fn a_schema_1_set_policy_becomes_the_full_policy_it_set() {
        let mut v1 = json!({"at": "2026-03-03T09:02:00Z", "block": "policy", "type": "SetPolicy",
            "policy": {"ab": {"winner": {"srmThreshold": 0.01}}}});
        command(&mut v1);
        let mut expected = Policy::default();
        expected.ab.winner.srm_alpha = 0.01;
        let set = v1.get("policy").cloned().unwrap_or_default();
        assert_eq!(
            serde_json::from_value::<Policy>(set).ok(),
            Some(expected.clone())
        );
        // Over any policy in force it gives the same policy: schema 1's replacement.
        let mut custom = Policy::default();
        custom.gates.min_accuracy = 0.95;
        let patch = v1.get("policy").cloned().map(PolicyPatch::from_value);
        let merged = patch
            .and_then(Result::ok)
            .map(|p| crate::policy::merge(&custom, &p));
        assert_eq!(merged, Some(Ok(expected)));
    }
}
