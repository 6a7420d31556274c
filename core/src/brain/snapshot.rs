//! Snapshots: the saved form of a `Brain` (state, origin, command log,
//! event log, schema version), migration of older schema versions, and
//! `compacted` (the same state with its history folded into the origin).
//! The strict loader, `Brain::import`, lives in `crate::import` (it runs
//! verification, which reads a `Brain`).

use super::ingest_queries::check_retained;
use super::{Brain, BrainState, Derived, Envelope, Event, RetainedPayload};
use crate::error::BrainError;
use serde::{Deserialize, Serialize};

/// The newest snapshot schema this build writes.
pub const SCHEMA_VERSION: u32 = 4;

/// A saved `Brain`: its state, command log and event log, versioned.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Snapshot {
    /// Schema version (see `ARCHITECTURE-core.md`).
    pub schema_version: u32,
    /// The state.
    pub state: BrainState,
    /// The state the event log starts from, for snapshots migrated from a
    /// version without logs (None: the empty state).
    #[serde(default)]
    pub origin: Option<BrainState>,
    /// Accepted commands, in order (what-if replays these).
    pub log: Vec<Envelope>,
    /// Events, in order (replay folds these).
    pub events: Vec<Event>,
    /// Accepted ingestion payloads from before the origin that a compaction
    /// kept (see `Brain::ingested`), each bound to its audit entry's command
    /// hash; outside the state and its hash. Absent when empty, so other
    /// snapshots read and write as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retained: Vec<RetainedPayload>,
}

impl Brain {
    /// The versioned snapshot.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            schema_version: SCHEMA_VERSION,
            state: self.state.clone(),
            origin: self.origin.clone(),
            log: self.log.clone(),
            events: self.events.clone(),
            retained: self.retained.clone(),
        }
    }

    /// The accepted ingestion payloads from before the origin that a
    /// compaction kept (empty unless this brain was compacted).
    pub fn retained(&self) -> &[RetainedPayload] {
        &self.retained
    }

    /// The snapshot as JSON.
    pub fn to_snapshot_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).unwrap_or_default()
    }

    /// Loads a snapshot, migrating older schema versions, without checking
    /// it (verification then shows what is wrong with it); see
    /// `Brain::import` for the loader that refuses an edited file. Retained
    /// payloads are checked against their audit entries here, as a payload
    /// no entry vouches for would otherwise be listed as ingested.
    pub fn from_snapshot_json(json: &str) -> Result<Brain, BrainError> {
        let snap = read_and_migrate(json)?;
        check_retained(&snap.state.audit.entries, &snap.retained)?;
        Ok(Brain {
            state: snap.state,
            origin: snap.origin,
            log: snap.log,
            events: snap.events,
            retained: snap.retained,
            derived: Derived::unconfirmed(),
        })
    }

    /// The same state with its history folded into the origin: no command
    /// log, no event log (what the console keeps when storage is full), and
    /// the ingested payloads `Brain::ingested` lists kept as retained ones.
    pub fn compacted(&self) -> Brain {
        // The same entries: as far known to chain as they were.
        let derived = Derived {
            chain_checked: self.derived.chain_checked,
            ..Derived::default()
        };
        Brain {
            state: self.state.clone(),
            origin: Some(self.state.clone()),
            log: Vec::new(),
            events: Vec::new(),
            retained: self.retained_for_compaction(),
            derived,
        }
    }
}

/// A snapshot of any known schema: read as a JSON tree, migrated, then read
/// from the tree. The current schema takes the same way: reading it straight
/// from the text (without the tree) was faster, but compiled every state
/// type's reader a second time, for the text besides the tree (+104.6 KB gzip
/// of the JS package's engine); every engine type is read from a
/// `serde_json::Value`, once (see `crate::wire`).
fn read_and_migrate(json: &str) -> Result<Snapshot, BrainError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| BrainError::Json(e.to_string()))?;
    let value = migrate(value)?;
    read_tree(value).map_err(|e| BrainError::Json(e.to_string()))
}

/// `serde_json::from_value::<Snapshot>`, with the command and event logs
/// (most of a long snapshot) read element by element from the tree: through
/// the derived `Vec`, each element's `Deserialize` (`deserialize_via_value!`)
/// copies its subtree into a new `Value` first. The same errors in the same
/// order: the tree's object visits its keys sorted (`events`, `log`, then
/// the rest), and a log that is not an array is left to the derive.
fn read_tree(mut value: serde_json::Value) -> Result<Snapshot, serde_json::Error> {
    use serde_json::Value;
    let Some(obj) = value
        .as_object_mut()
        .filter(|o| o.get("events").is_none_or(Value::is_array))
        .filter(|o| o.get("log").is_none_or(Value::is_array))
    else {
        return serde_json::from_value(value);
    };
    let mut take = |key: &str| match obj.get_mut(key) {
        Some(Value::Array(items)) => Some(std::mem::take(items)),
        _ => None,
    };
    let (events, log) = (take("events"), take("log"));
    let events = events
        .map(|items| items.into_iter().map(Event::from_value).collect())
        .transpose()?;
    let log = log
        .map(|items| items.into_iter().map(Envelope::from_value).collect())
        .transpose()?;
    let mut snap: Snapshot = serde_json::from_value(value)?;
    if let Some(events) = events {
        snap.events = events;
    }
    if let Some(log) = log {
        snap.log = log;
    }
    Ok(snap)
}

/// Brings a snapshot of any known version to the current one.
///
/// v0 (before logs were kept): `{"schema_version": 0, "state": {...}}`, the
/// promotion policy's `min_sample` was called `min_trials`, and there was
/// no seed. v1 keeps `origin` (the state the logs start from), `log`, `events`.
/// v2 renamed policy fields (`super::migrate_v2`); v3 made the audit log a
/// Merkle tree (`super::migrate_v3`, which checks the old hash chain first).
/// v4 renamed command fields to one id convention (`script_id`, `source_id`,
/// `experiment_id`, `template_id`): nothing to rewrite, the commands read
/// their schema-3 names as serde aliases, and their audit entries keep their
/// hashes because a command is hashed under its schema-3 names
/// (`super::hash_names`), so the audit root and its witnesses still hold.
pub fn migrate(mut value: serde_json::Value) -> Result<serde_json::Value, BrainError> {
    let version = value
        .get("schema_version")
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    if version > u64::from(SCHEMA_VERSION) {
        return Err(BrainError::SchemaVersion {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    // First: v2's and v3's migrations execute the log again.
    pin_old_rules(&mut value)?;
    if version < 2 {
        super::migrate_v2::migrate(&mut value)?;
    }
    if version == 0 {
        let obj = value
            .as_object_mut()
            .ok_or_else(|| BrainError::Json("snapshot must be an object".into()))?;
        let mut state = obj.remove("state").unwrap_or_else(|| serde_json::json!({}));
        if let Some(promo) = state
            .pointer_mut("/policy/promotion")
            .and_then(|p| p.as_object_mut())
        {
            if let Some(v) = promo.remove("min_trials") {
                promo.insert("min_sample".into(), v);
            }
        }
        if let Some(s) = state.as_object_mut() {
            s.entry("rng_seed").or_insert(serde_json::json!(0));
        }
        // The entries are schema 2's (checked and converted by migrate_v3):
        // kept aside while the rest of the state is read with its defaults.
        let entries = state
            .pointer_mut("/audit/entries")
            .map(|e| std::mem::replace(e, serde_json::json!([])));
        let state: BrainState = serde_json::from_value(state)
            .map_err(|e| BrainError::Json(format!("v0 state: {e}")))?;
        let mut origin =
            serde_json::to_value(&state).map_err(|e| BrainError::Json(e.to_string()))?;
        if let (Some(entries), Some(slot)) = (entries, origin.pointer_mut("/audit/entries")) {
            *slot = entries;
        }
        obj.insert("schema_version".into(), serde_json::json!(1));
        obj.insert("origin".into(), origin.clone());
        obj.insert("state".into(), origin);
        obj.insert("log".into(), serde_json::json!([]));
        obj.insert("events".into(), serde_json::json!([]));
    }
    if version < 3 {
        super::migrate_v3::migrate(&mut value)?;
    }
    Ok(value)
}

/// A snapshot written before a rule existed starts its log from the empty state of its
/// time. Its stored policy reads as the old rules (the fields' serde defaults), but without
/// an origin the log would start from today's empty state, which has the new rules, and
/// replay to other decisions. So such a snapshot gets the empty state under the old rules
/// as its origin, and the file means what it meant. The rules:
/// - promotion's new-evidence rules (no `promotion.min_new_trials`: every evaluation counted,
///   evidence was per script);
/// - the models block's evidence rule (no `models.evidence`: promotion by accuracy only).
fn pin_old_rules(value: &mut serde_json::Value) -> Result<(), BrainError> {
    let policy = value.pointer("/state/policy");
    let missing = |block: &str, field: &str| {
        policy
            .and_then(|p| p.get(block))
            .and_then(|b| b.as_object())
            .is_some_and(|b| !b.contains_key(field))
    };
    let old_promotion = missing("promotion", "min_new_trials");
    let old_models = missing("models", "evidence");
    let empty_origin = value.get("origin").is_none_or(|o| o.is_null());
    if !(empty_origin && (old_promotion || old_models)) {
        return Ok(());
    }
    let mut origin = BrainState::default();
    if old_promotion {
        origin.policy.promotion.min_new_trials = 0;
        origin.policy.promotion.evidence_per_version = false;
    }
    if old_models {
        origin.policy.models.evidence = None;
    }
    let origin = serde_json::to_value(&origin).map_err(|e| BrainError::Json(e.to_string()))?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("origin".into(), origin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_current_snapshot_reads_back_to_the_same_json() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let demo = Brain::demo(at);
        let mut old_rules = BrainState::default();
        old_rules.policy.promotion.min_new_trials = 0;
        let old_rules = Brain {
            state: old_rules,
            ..Brain::default()
        };
        // The last: a policy field at its old-rule value is left out of the
        // JSON, and the migration pins the old rules in an origin.
        for brain in [&demo, &demo.compacted(), &Brain::new()] {
            let json = brain.to_snapshot_json();
            let read = Brain::from_snapshot_json(&json).map(|b| b.to_snapshot_json());
            assert_eq!(read, Ok(json));
        }
        let read = Brain::from_snapshot_json(&old_rules.to_snapshot_json());
        assert_eq!(read.map(|b| b.state), Ok(old_rules.state));
    }
}
