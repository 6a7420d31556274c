//! Whole brains as the console reads and writes them: an imported file's
//! checks, the compaction of a brain into its state alone, the snapshot as
//! stored (without a duplicate origin), and the plan of how a brain is
//! stored (as commands, or with its snapshot as the origin).
//!
//! Pure functions over [`Brain`], tested natively. [`import`] and [`compact`]
//! are the engine's `Brain::import` and `Brain::compacted`, named once here
//! so the console has one place that calls each.

use brain_core::brain::{Brain, RetainedPayload, Snapshot};
use brain_core::BrainError;

use crate::error::ConsoleError;
use crate::replay::Replay;

/// An imported file, checked before it replaces anything by the engine's one
/// import ([`Brain::import`]): the format (migrated if older), the origin, the
/// policy, the state against its replayed history, the audit trail, the
/// command log executed again, and verification. JS apps' `Brain.fromJSON`
/// makes the same checks, so both refuse the same files.
pub fn import(text: &str) -> Result<Brain, ConsoleError> {
    Brain::import(text).map_err(|e| {
        ConsoleError::ImportRefused(match e {
            // What differs in a file that reads as a brain: the engine says "the
            // snapshot's ..."; the console's user chose a file.
            BrainError::Import(refusal) => {
                refusal
                    .to_string()
                    .replacen("the snapshot's ", "this file's ", 1)
            }
            other => format!("this file is not a brain state: {other}"),
        })
    })
}

/// The brain with its logs folded into its origin: same state (the audit
/// trail included), no history.
pub fn compact(brain: &Brain) -> Brain {
    brain.compacted()
}

/// The snapshot as stored. Without logs the origin equals the state, so it is
/// left out, which halves a compacted snapshot; [`load_stored`] puts it back.
pub fn stored_snapshot(brain: &Brain) -> String {
    if brain.log().is_empty() && brain.events().is_empty() {
        let mut snap = brain.snapshot();
        snap.origin = None;
        if let Ok(json) = serde_json::to_string(&snap) {
            return json;
        }
    }
    brain.to_snapshot_json()
}

/// Load a snapshot written by [`stored_snapshot`] (or any engine snapshot).
pub fn load_stored(json: &str) -> Result<Brain, BrainError> {
    let mut brain = Brain::from_snapshot_json(json)?;
    if brain.log().is_empty() && brain.events().is_empty() && brain.origin().is_none() {
        return Ok(compact(&brain));
    }
    // Execute a stored log again once, here, so that the overview's
    // verification (run after every action) does not do it each time.
    let _ = brain.confirm_log();
    Ok(brain)
}

/// The snapshot of a brain that is just `state` (and the ingested payloads a
/// compaction retained before it), with no history.
pub fn origin_only(state: &brain_core::BrainState, retained: &[RetainedPayload]) -> String {
    let snap = Snapshot {
        schema_version: brain_core::brain::SCHEMA_VERSION,
        state: state.clone(),
        origin: None,
        log: Vec::new(),
        events: Vec::new(),
        retained: retained.to_vec(),
    };
    serde_json::to_string(&snap).unwrap_or_default()
}

/// How a brain is stored: its origin snapshot, if any, and how many of its
/// log entries that snapshot holds (the rest are stored as commands).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The origin snapshot's JSON (None: the commands start from an empty brain).
    pub origin: Option<String>,
    /// Log entries inside the origin.
    pub base: usize,
}

/// Store the commands when they rebuild this exact brain from its origin
/// (what the console itself writes: demo, reset, its own history); otherwise
/// (a file from another engine version, edited storage) the whole snapshot
/// becomes the origin, so nothing is lost or silently changed.
pub fn plan(brain: &Brain) -> Plan {
    let origin = brain.origin().map(|o| origin_only(o, brain.retained()));
    let rebuilt = Replay::new(origin.as_deref(), brain.log().to_vec()).and_then(Replay::run);
    match rebuilt {
        Ok((rebuilt, 0)) if rebuilt == *brain => Plan { origin, base: 0 },
        _ => Plan {
            origin: Some(stored_snapshot(brain)),
            base: brain.log().len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::{Command, Envelope};
    use chrono::DateTime;

    fn demo() -> Brain {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        Brain::demo(at)
    }

    #[test]
    fn a_compacted_brain_is_stored_without_its_duplicate_origin_and_loads_back_whole() {
        let brain = demo();
        let compacted = compact(&brain);
        assert_eq!(compacted.state_hash(), brain.state_hash());
        assert!(compacted.log().is_empty());
        let stored = stored_snapshot(&compacted);
        assert!(
            stored.len() * 3 < compacted.to_snapshot_json().len() * 2,
            "the origin is left out"
        );
        let loaded = load_stored(&stored).unwrap();
        assert_eq!(loaded.state_hash(), brain.state_hash());
        assert_eq!(loaded.origin(), Some(loaded.state()));
        assert_eq!(
            loaded.ingested(None),
            brain.ingested(None),
            "the ingestion page still lists the accepted payloads"
        );
        assert_ne!(
            loaded.verify().status,
            brain_core::verify::Status::Fail,
            "replay from the origin reproduces the state"
        );
    }

    #[test]
    fn a_brain_with_history_is_stored_as_the_engine_writes_it() {
        let brain = demo();
        assert_eq!(stored_snapshot(&brain), brain.to_snapshot_json());
        assert_eq!(
            load_stored(&stored_snapshot(&brain)).unwrap().state_hash(),
            brain.state_hash()
        );
    }

    #[test]
    fn a_corrupt_stored_snapshot_is_an_error() {
        assert!(load_stored("{\"schema_version\":1,\"state\":42}").is_err());
    }

    #[test]
    fn the_demo_is_stored_as_its_commands_alone_and_replays_to_the_same_brain() {
        let brain = demo();
        let plan = plan(&brain);
        assert_eq!(plan.origin, None, "no snapshot needed");
        assert_eq!(plan.base, 0);
        let (replayed, base) = Replay::new(None, brain.log().to_vec())
            .unwrap()
            .run()
            .unwrap();
        assert_eq!(base, 0);
        assert_eq!(replayed, brain, "same state, same logs, byte for byte");
    }

    #[test]
    fn a_brain_its_commands_do_not_rebuild_keeps_its_snapshot_as_the_origin() {
        // A tampered audit entry (or a file from another engine version):
        // re-running the commands would silently repair it, so it is kept whole.
        let mut snap = demo().snapshot();
        snap.state.audit.entries[3].detail = "tampered".into();
        let brain = Brain::from_snapshot_json(&serde_json::to_string(&snap).unwrap()).unwrap();
        let plan = plan(&brain);
        assert_eq!(plan.base, brain.log().len());
        let (loaded, base) = Replay::new(plan.origin.as_deref(), Vec::new())
            .unwrap()
            .run()
            .unwrap();
        assert_eq!(base, brain.log().len());
        assert_eq!(loaded, brain);
    }

    #[test]
    fn a_compacted_brain_is_stored_as_its_origin_and_later_commands() {
        let mut brain = compact(&demo());
        let plan0 = plan(&brain);
        assert!(plan0.origin.is_some());
        assert_eq!(plan0.base, 0);
        let at = brain.state().last_at.unwrap_or_default();
        let cmd = Command::Ingest(brain_core::ingest::Command::AddSource {
            source: "after compaction".into(),
        });
        brain.execute(Envelope::new(at, cmd)).unwrap();
        let later = brain.log().to_vec();
        let (replayed, base) = Replay::new(plan0.origin.as_deref(), later.clone())
            .unwrap()
            .run()
            .unwrap();
        assert_eq!(base, 0);
        assert_eq!(replayed, brain);
        assert_eq!(
            plan(&brain),
            Plan {
                origin: plan0.origin,
                base: 0
            }
        );
    }

    #[test]
    fn an_import_takes_an_export_whole_and_refuses_an_edited_one_with_a_reason() {
        let brain = demo();
        let imported = import(&brain.to_snapshot_json());
        assert_eq!(imported.map(|b| b.state_hash()), Ok(brain.state_hash()));
        let refused = |text: &str| match import(text) {
            Err(ConsoleError::ImportRefused(reason)) => reason,
            other => panic!("not refused: {:?}", other.map(|b| b.state_hash())),
        };
        assert!(refused("{").starts_with("this file is not a brain state"));
        let mut snap = brain.snapshot();
        snap.state.audit.entries[3].detail = "tampered".into();
        let edited = serde_json::to_string(&snap).unwrap();
        let reason = refused(&edited);
        assert!(reason.starts_with("this file's "), "{reason}");
        assert_eq!(import("{").err().map(|e| e.code()), Some("import_refused"));
    }
}
