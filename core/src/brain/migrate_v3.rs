//! Snapshot schema 2 -> 3: the audit trail became an RFC 6962 Merkle log.
//!
//! Schema 2 chained its audit entries: each carried `prevHash` and a `hash`
//! over a compact binary form (domain tag `brain-audit-v1`, length-prefixed
//! fields, the previous hash), the first one chained to 64 zeros. Schema 3
//! entries carry `commandHash` and `eventsHash`, and `hash` is the entry's
//! leaf hash, `root` the tree head after it (see `crate::audit`).
//!
//! An old file is converted only once its chain is verified: every `seq` in
//! place, every `prevHash` the hash before it, every `hash` recomputed. An
//! edited file is refused (`import_audit_broken`), never re-hashed into a
//! valid one. Then, the simplest sound way:
//!
//! * entries of the origin (no command known) are sealed again with both
//!   hashes the empty string, the documented placeholder;
//! * the command log is executed again from that converted origin, and every
//!   event it gives must equal the file's: the same non-audit events, each
//!   audit entry with the same summary (seq, time, actor, subject, action,
//!   outcome, detail), each snapshot mark at the same place and time whose
//!   state hash is the schema-2 hash of the state there (otherwise
//!   `import_log_mismatch`). The re-executed events then replace the file's:
//!   their entries get the command and events hashes exactly as execution
//!   computes them, every leaf and root is recomputed, and each mark records
//!   the schema-3 hash of its state (which includes the new audit head);
//! * the state keeps everything it says but its audit entries (which must be
//!   the origin's and the events' entries: they become the converted ones)
//!   and its marks (a mark the events rewrote is rewritten the same way), so
//!   an edited state still fails the import's replay check.
//!
//! Marks recorded in the origin have no command to re-execute; they are kept
//! as they are.

use crate::audit::{self, Draft, Outcome, SnapshotMark};
use crate::brain::{Brain, BrainState, Command, Envelope, Event};
use crate::canon;
use crate::error::{BrainError, ImportError};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The hash schema 2 chained its first entry to.
pub const LEGACY_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A schema-2 audit entry, as it was written.
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Legacy {
    seq: u64,
    at: DateTime<Utc>,
    actor: Option<String>,
    subject: String,
    action: String,
    outcome: Outcome,
    detail: String,
    prev_hash: String,
    hash: String,
}

/// Rewrites a schema-2 snapshot (a JSON object) as schema 3, after checking
/// its audit chain (see the module's doc); the caller sets the version.
pub fn migrate(snapshot: &mut Value) -> Result<(), BrainError> {
    let obj = snapshot
        .as_object_mut()
        .ok_or_else(|| BrainError::Json("snapshot must be an object".into()))?;
    let origin_entries = legacy_entries(obj.get("origin"))?;
    let state_entries = legacy_entries(obj.get("state"))?;
    let file_events: Vec<Value> = match obj.get("events") {
        Some(Value::Array(events)) => events.clone(),
        _ => Vec::new(),
    };
    let mut chain = origin_entries.clone();
    for e in &file_events {
        if tags(e) == ("audit", "EntryAppended") {
            chain.push(legacy(e.get("entry"))?);
        }
    }
    verify_legacy(&chain)?;
    if state_entries != chain {
        return Err(broken(
            "the state's audit entries are not the origin's and the events' entries".into(),
        ));
    }

    let origin = parse_view::<Option<BrainState>>(obj.get("origin"), "origin")?.map(convert_origin);
    let log: Vec<Envelope> = match obj.get("log") {
        Some(log @ Value::Array(_)) => serde_json::from_value(log.clone())
            .map_err(|e| BrainError::Json(format!("log: {e}")))?,
        _ => Vec::new(),
    };
    let mut brain = Brain::replay_from(origin.as_ref(), &[]);
    let mut old_events = file_events.iter();
    let mut old_marks: Vec<SnapshotMark> = brain.state().audit.snapshots.clone();
    // (position, schema-2 hash) -> schema-3 hash
    let mut rewritten: BTreeMap<(u64, String), String> = BTreeMap::new();
    for (i, env) in log.into_iter().enumerate() {
        let before = matches!(env.command, Command::Audit(audit::Command::TakeSnapshot))
            .then(|| brain.state().clone());
        let events = brain
            .execute(env)
            .map_err(|e| mismatch(format!("command {i} no longer executes: {e}")))?;
        for new in &events {
            let old = old_events
                .next()
                .ok_or_else(|| mismatch(format!("command {i} gives more events than the file")))?;
            match new {
                Event::Audit(audit::Event::EntryAppended { entry }) => {
                    let old = legacy(old.get("entry"))?;
                    if !same_summary(entry, &old) {
                        return Err(mismatch(format!(
                            "command {i}: audit entry {} differs from the file's",
                            entry.seq
                        )));
                    }
                }
                Event::Audit(audit::Event::SnapshotTaken { mark }) => {
                    let old: SnapshotMark =
                        serde_json::from_value(old.get("mark").cloned().unwrap_or(Value::Null))
                            .map_err(|_| {
                                mismatch(format!("command {i}: the file has no snapshot mark"))
                            })?;
                    let mut legacy_state = before.clone().unwrap_or_default();
                    legacy_state.audit.snapshots = old_marks.clone();
                    let len = origin_entries.len() + i;
                    let head = len
                        .checked_sub(1)
                        .and_then(|n| chain.get(n))
                        .map_or(LEGACY_GENESIS, |e| e.hash.as_str());
                    let old_hash = legacy_state.hash_as(2, len, head);
                    if old.position != mark.position
                        || old.at != mark.at
                        || old.state_hash != old_hash
                    {
                        return Err(mismatch(format!(
                            "command {i}: the snapshot mark is not the state's hash at its place"
                        )));
                    }
                    rewritten.insert((old.position, old_hash), mark.state_hash.clone());
                    old_marks.push(old);
                }
                other => {
                    let new = serde_json::to_value(other).unwrap_or(Value::Null);
                    if &new != old {
                        return Err(mismatch(format!(
                            "command {i}: an event differs from the file's"
                        )));
                    }
                }
            }
        }
    }
    if old_events.next().is_some() {
        return Err(mismatch("the file has events no command gives".into()));
    }

    let to_value =
        |v: Result<Value, serde_json::Error>| v.map_err(|e| BrainError::Json(e.to_string()));
    if let Some(origin) = &origin {
        obj.insert("origin".into(), to_value(serde_json::to_value(origin))?);
    }
    obj.insert(
        "events".into(),
        to_value(serde_json::to_value(brain.events()))?,
    );
    let entries = to_value(serde_json::to_value(&brain.state().audit.entries))?;
    if let Some(audit) = obj
        .get_mut("state")
        .and_then(|s| s.get_mut("audit"))
        .and_then(Value::as_object_mut)
    {
        audit.insert("entries".into(), entries);
        if let Some(Value::Array(marks)) = audit.get_mut("snapshots") {
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
    }
    Ok(())
}

/// A copy of a schema-2 state, origin or event list (JSON) whose audit
/// entries read as schema 3's, for code that needs the typed value: both
/// hashes empty, and `hash` and `root` the old chain hash, so that the
/// state's `audit.head()` is schema 2's head. Only for reading old values
/// (`migrate_v2` compares marks with it); never a valid schema-3 log.
pub(crate) fn legacy_view(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(Value::Array(entries)) = value.pointer_mut("/audit/entries") {
        entries.iter_mut().for_each(view_entry);
    }
    if let Value::Array(events) = &mut value {
        for e in events.iter_mut() {
            if tags(e) == ("audit", "EntryAppended") {
                if let Some(entry) = e.get_mut("entry") {
                    view_entry(entry);
                }
            }
        }
    }
    value
}

/// One entry of [`legacy_view`].
fn view_entry(entry: &mut Value) {
    if let Some(o) = entry.as_object_mut() {
        if o.remove("prevHash").is_some() {
            let hash = o.get("hash").cloned().unwrap_or(Value::Null);
            o.insert("commandHash".into(), Value::String(String::new()));
            o.insert("eventsHash".into(), Value::String(String::new()));
            o.insert("root".into(), hash);
        }
    }
}

/// Parses a schema-2 value through [`legacy_view`].
fn parse_view<T: serde::de::DeserializeOwned>(
    v: Option<&Value>,
    what: &str,
) -> Result<T, BrainError> {
    serde_json::from_value(legacy_view(v.unwrap_or(&Value::Null)))
        .map_err(|e| BrainError::Json(format!("{what}: {e}")))
}

/// The origin with its entries sealed into a Merkle log, both hashes the
/// placeholder (no command is known for them).
fn convert_origin(mut origin: BrainState) -> BrainState {
    let mut log = audit::State::default();
    log.snapshots = origin.audit.snapshots.clone();
    for e in &origin.audit.entries {
        let sealed = log.seal(Draft {
            at: e.at,
            actor: e.actor.clone(),
            subject: e.subject.clone(),
            action: e.action.clone(),
            outcome: e.outcome,
            detail: e.detail.clone(),
            command_hash: String::new(),
            events_hash: String::new(),
        });
        log.apply(&sealed);
    }
    origin.audit = log;
    origin
}

/// The schema-2 entries of a state or origin (none when absent).
fn legacy_entries(holder: Option<&Value>) -> Result<Vec<Legacy>, BrainError> {
    match holder.and_then(|h| h.pointer("/audit/entries")) {
        Some(entries) => serde_json::from_value(entries.clone())
            .map_err(|e| BrainError::Json(format!("schema-2 audit entries: {e}"))),
        None => Ok(Vec::new()),
    }
}

/// One schema-2 entry.
fn legacy(entry: Option<&Value>) -> Result<Legacy, BrainError> {
    serde_json::from_value(entry.cloned().unwrap_or(Value::Null))
        .map_err(|e| BrainError::Json(format!("schema-2 audit entry: {e}")))
}

/// Checks schema 2's chain: positions, links and every hash recomputed.
fn verify_legacy(chain: &[Legacy]) -> Result<(), BrainError> {
    let mut prev = LEGACY_GENESIS;
    for (i, e) in chain.iter().enumerate() {
        if e.seq != i as u64 {
            return Err(broken(format!("entry {i} says it is entry {}", e.seq)));
        }
        if e.prev_hash != prev {
            return Err(broken(format!(
                "entry {i} is not chained to the entry before it"
            )));
        }
        if legacy_hash(e) != e.hash {
            return Err(broken(format!(
                "entry {i} was altered (its hash does not match)"
            )));
        }
        prev = &e.hash;
    }
    Ok(())
}

/// Schema 2's entry hash: SHA-256 over the domain tag, then each field
/// (length-prefixed where variable) in a fixed order, then the previous hash.
fn legacy_hash(e: &Legacy) -> String {
    fn put(h: &mut Sha256, bytes: &[u8]) {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    let mut h = Sha256::new();
    h.update(b"brain-audit-v1");
    h.update(e.seq.to_le_bytes());
    h.update(e.at.timestamp().to_le_bytes());
    h.update(e.at.timestamp_subsec_nanos().to_le_bytes());
    match &e.actor {
        Some(a) => {
            h.update([1u8]);
            put(&mut h, a.as_bytes());
        }
        None => h.update([0u8]),
    }
    put(&mut h, e.subject.as_bytes());
    put(&mut h, e.action.as_bytes());
    h.update([match e.outcome {
        Outcome::Accepted => 0u8,
        Outcome::Refused => 1u8,
    }]);
    put(&mut h, e.detail.as_bytes());
    put(&mut h, e.prev_hash.as_bytes());
    canon::hex(&h.finalize())
}

/// Whether a re-executed entry says what the file's entry said.
fn same_summary(new: &audit::Entry, old: &Legacy) -> bool {
    new.seq == old.seq
        && new.at == old.at
        && new.actor == old.actor
        && new.subject == old.subject
        && new.action == old.action
        && new.outcome == old.outcome
        && new.detail == old.detail
}

/// The `block` and `type` tags of a command or event.
fn tags(v: &Value) -> (&str, &str) {
    let tag = |k| v.get(k).and_then(Value::as_str).unwrap_or("");
    (tag("block"), tag("type"))
}

/// A broken schema-2 chain.
fn broken(why: String) -> BrainError {
    ImportError::AuditBroken(format!("schema-2 chain: {why}")).into()
}

/// A log that no longer gives the file's events.
fn mismatch(why: String) -> BrainError {
    ImportError::LogMismatch(format!("schema 2 -> 3: {why}")).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const V1: &str = include_str!("../../tests/fixtures/snapshot-v1-console.json");

    fn code(json: &str) -> Option<&'static str> {
        Brain::import(json).err().map(|e| e.code())
    }

    #[test]
    fn an_edited_schema_2_entry_is_refused_not_rehashed() {
        assert!(Brain::import(V1).is_ok());
        // The entry's detail edited everywhere it appears (state and events).
        let edited = V1.replace(
            "source craigslist is not on the whitelist",
            "source craigslist is on the whitelist",
        );
        assert_ne!(edited, V1);
        assert_eq!(code(&edited), Some("import_audit_broken"));
        assert!(Brain::from_snapshot_json(&edited).is_err());
    }

    #[test]
    fn entries_from_the_log_get_the_hashes_execution_gives() {
        let brain = Brain::import(V1).expect("the v1 export imports");
        let entries = &brain.state().audit.entries;
        assert_eq!(entries.len(), brain.log().len());
        for (entry, env) in entries.iter().zip(brain.log()) {
            assert_eq!(
                entry.command_hash,
                crate::brain::hash_names::command_hash(env)
            );
        }
        // Executing the same log afresh from its origin (the empty state under the rules
        // of its time, which the import gives it) gives the same entries, byte for byte.
        assert!(brain.origin().is_some());
        let mut fresh = Brain::replay_from(brain.origin(), &[]);
        for env in brain.log() {
            fresh.execute(env.clone()).expect("re-executes");
        }
        assert_eq!(&fresh.state().audit.entries, entries);
    }

    /// A schema-2 file whose origin holds chained entries (as a compacted
    /// console brain would): the brain's entries written back in schema 2's
    /// form, chained with the old hash.
    fn schema_2_compacted() -> Value {
        let mut brain = Brain::default();
        for (i, subject) in ["a", "b", "c"].into_iter().enumerate() {
            let at = Utc
                .with_ymd_and_hms(2026, 3, 2, 9, i as u32, 0)
                .single()
                .unwrap_or_default();
            let env: Envelope = serde_json::from_value(serde_json::json!({
                "at": at, "actor": "ops", "block": "ingest", "type": "AddSource", "source": subject
            }))
            .expect("a command");
            brain.execute(env).expect("executes");
        }
        let mut snap = serde_json::to_value(brain.compacted().snapshot()).unwrap_or_default();
        let mut prev = LEGACY_GENESIS.to_string();
        let legacy: Vec<Value> = brain
            .state()
            .audit
            .entries
            .iter()
            .map(|e| {
                let mut l = Legacy {
                    seq: e.seq,
                    at: e.at,
                    actor: e.actor.clone(),
                    subject: e.subject.clone(),
                    action: e.action.clone(),
                    outcome: e.outcome,
                    detail: e.detail.clone(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                l.hash = legacy_hash(&l);
                prev = l.hash.clone();
                serde_json::json!({"seq": l.seq, "at": l.at, "actor": l.actor, "subject": l.subject,
                    "action": l.action, "outcome": l.outcome, "detail": l.detail,
                    "prevHash": l.prev_hash, "hash": l.hash})
            })
            .collect();
        for key in ["/state/audit/entries", "/origin/audit/entries"] {
            if let Some(slot) = snap.pointer_mut(key) {
                *slot = Value::Array(legacy.clone());
            }
        }
        snap["schema_version"] = serde_json::json!(2);
        snap
    }

    #[test]
    fn origin_entries_get_the_placeholder_and_a_valid_tree() {
        let snap = schema_2_compacted();
        let brain = Brain::import(&snap.to_string()).expect("the schema-2 file imports");
        let entries = &brain.state().audit.entries;
        assert_eq!(entries.len(), 3);
        assert!(entries
            .iter()
            .all(|e| e.command_hash.is_empty() && e.events_hash.is_empty()));
        assert_eq!(brain.verify_audit(), Ok(()));
        assert_eq!(brain.audit_root().size, 3);
    }

    #[test]
    fn a_broken_origin_chain_is_refused() {
        let mut snap = schema_2_compacted();
        for key in [
            "/state/audit/entries/1/prevHash",
            "/origin/audit/entries/1/prevHash",
        ] {
            if let Some(slot) = snap.pointer_mut(key) {
                *slot = Value::String(LEGACY_GENESIS.into());
            }
        }
        assert_eq!(code(&snap.to_string()), Some("import_audit_broken"));
        // An entry dropped from the state alone: the state is not its history.
        let mut snap = schema_2_compacted();
        if let Some(Value::Array(es)) = snap.pointer_mut("/state/audit/entries") {
            es.pop();
        }
        assert_eq!(code(&snap.to_string()), Some("import_audit_broken"));
    }
}
