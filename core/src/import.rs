//! `Brain::import`: the one loader of a snapshot from outside (a file, a
//! JS app's `Brain.fromJSON`, the console's import) that refuses a file
//! edited or damaged after the fact, naming the first thing that differs.
//! It sits above `brain` and `verify` (it runs verification) so that no
//! module imports in a circle.

use crate::brain::Brain;
use crate::error::{BrainError, ImportError};
use crate::verify::Status;

impl Brain {
    /// Loads a snapshot (migrating older schema versions) and checks it, in
    /// this order; the first failure is the error:
    /// 1. it is JSON of a snapshot of a known schema (`invalid_json`,
    ///    `unsupported_schema`);
    /// 2. its origin (the state the logs start from) is a valid state of its
    ///    own: its policy validates and every verification check passes on
    ///    it alone
    ///    (`import_origin_invalid`);
    /// 3. its policy validates (`import_policy_invalid`);
    /// 4. folding its events onto the origin gives its state hash
    ///    (`import_state_mismatch`);
    /// 5. its audit chain is intact (`import_audit_broken`);
    /// 6. executing its command log again from the origin gives its events
    ///    and state, also when the log is empty (then there must be no
    ///    events) (`import_log_mismatch`);
    /// 7. no verification check fails (`import_verification_failed`).
    pub fn import(json: &str) -> Result<Brain, BrainError> {
        let mut brain = Brain::from_snapshot_json(json)?;
        if let Some(origin) = brain.origin() {
            // A policy no command could have set, at the origin as in force.
            origin
                .policy
                .validate()
                .map_err(|e| ImportError::PolicyInvalid(format!("at the origin: {e}")))?;
            let alone = Brain::replay_from(Some(origin), &[]);
            if let Some(check) = first_failure(&alone) {
                return Err(ImportError::OriginInvalid(check).into());
            }
        }
        brain
            .policy()
            .validate()
            .map_err(|e| ImportError::PolicyInvalid(e.to_string()))?;
        // Steps 4 to 6 in one pass, each hash computed once; when anything
        // differs, the checks one by one name the first thing that does.
        if !brain.confirm_history() {
            first_difference(&mut brain)?;
        }
        let report = brain.verify();
        if let Some(c) = report.checks.iter().find(|c| c.status == Status::Fail) {
            return Err(ImportError::VerificationFailed {
                check: c.name.clone(),
                details: c.details.clone(),
            }
            .into());
        }
        Ok(brain)
    }
}

/// Steps 4 to 6 of [`Brain::import`] one by one: the first that fails is the
/// error.
fn first_difference(brain: &mut Brain) -> Result<(), BrainError> {
    let replayed = Brain::replay_hash(brain.origin(), brain.events());
    let state = brain.state_hash();
    if replayed != state {
        return Err(ImportError::StateMismatch {
            events: brain.events().len(),
            replayed,
            state,
        }
        .into());
    }
    brain
        .verify_audit()
        .map_err(|e| ImportError::AuditBroken(e.to_string()))?;
    brain.confirm_log().map_err(ImportError::LogMismatch)?;
    Ok(())
}

/// The first failing verification check of `brain`, as "name: details".
fn first_failure(brain: &Brain) -> Option<String> {
    brain
        .verify()
        .checks
        .into_iter()
        .find(|c| c.status == Status::Fail)
        .map(|c| format!("{}: {}", c.name, c.details))
}

#[cfg(test)]
mod tests {
    use crate::{ab, audit, merkle, Brain, Command, Envelope};
    use chrono::{Duration, TimeZone, Utc};
    use serde_json::{json, Value};

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    /// Given `brain`'s snapshot edited by `edit`, then import refuses it with `code`.
    fn check_refused(brain: &Brain, edit: impl Fn(&mut Value), code: &str) {
        let mut value: Value = serde_json::from_str(&brain.to_snapshot_json()).unwrap_or_default();
        edit(&mut value);
        let result = Brain::import(&value.to_string()).map(|b| b.state_hash());
        assert_eq!(
            result.as_ref().map_err(|e| e.code()),
            Err(code),
            "{result:?}"
        );
    }

    fn set(value: &mut Value, pointer: &str, to: Value) {
        match value.pointer_mut(pointer) {
            Some(v) => *v = to,
            None => panic!("no {pointer}"),
        }
    }

    #[test]
    fn a_snapshot_the_engine_wrote_imports_to_the_same_brain() {
        for brain in [demo(), demo().compacted(), Brain::new()] {
            let imported = Brain::import(&brain.to_snapshot_json());
            assert_eq!(imported.as_ref().ok(), Some(&brain), "{imported:?}");
        }
    }

    #[test]
    fn each_edit_is_refused_with_the_first_thing_that_differs() {
        let demo = demo();
        check_refused(&demo, |v| *v = json!([1]), "invalid_json");
        check_refused(
            &demo,
            |v| set(v, "/schema_version", json!(99)),
            "unsupported_schema",
        );
        check_refused(
            &demo,
            |v| set(v, "/state/policy/promotion/consecutive", json!(0)),
            "import_policy_invalid",
        );
        check_refused(
            &demo,
            |v| {
                set(
                    v,
                    "/state/ab/experiments/contact-channel/variants/sms/trials",
                    json!(1),
                )
            },
            "import_state_mismatch",
        );
        // An audit entry's detail edited in its event only: the replay
        // takes the entry's stored hash, so only executing the log again
        // shows it.
        check_refused(
            &demo,
            |v| {
                let detail = v.pointer("/events/1/entry/detail").cloned();
                if let Some(Value::String(d)) = detail {
                    set(v, "/events/1/entry/detail", json!(format!("{d}!")));
                }
            },
            "import_log_mismatch",
        );
        // The same edit in the state's chain too: the chain is broken.
        check_refused(
            &demo,
            |v| {
                for at in ["/events/1/entry/detail", "/state/audit/entries/0/detail"] {
                    set(v, at, json!("edited"));
                }
            },
            "import_audit_broken",
        );
        let at = demo
            .log()
            .iter()
            .position(|e| matches!(e.command, Command::Ab(ab::Command::RecordCounts { .. })))
            .unwrap_or_default();
        check_refused(
            &demo,
            |v| set(v, &format!("/log/{at}/trials"), json!(999_999)),
            "import_log_mismatch",
        );
    }

    /// Recomputes every audit entry's leaf hash and tree head, in the state
    /// and in the events, as someone who edited an entry and then repaired
    /// the chain would: the chain is intact again, the state's head is the
    /// events' head, only executing the log again shows the edit.
    fn reseal(value: &mut Value) {
        let entries: Vec<audit::Entry> = value
            .pointer("/state/audit/entries")
            .and_then(|e| serde_json::from_value(e.clone()).ok())
            .unwrap_or_default();
        let mut range = merkle::CompactRange::default();
        let mut sealed = Vec::new();
        for mut e in entries {
            let leaf = audit::entry_leaf_hash(&e);
            range.append(leaf);
            e.hash = merkle::to_hex(&leaf);
            e.root = merkle::to_hex(&range.root());
            sealed.push(serde_json::to_value(e).unwrap_or_default());
        }
        let Some(Value::Array(events)) = value.pointer_mut("/events") else {
            panic!("no events");
        };
        for entry in events.iter_mut().filter_map(|e| e.get_mut("entry")) {
            let seq = entry.get("seq").and_then(Value::as_u64).unwrap_or_default();
            *entry = sealed[seq as usize].clone();
        }
        set(value, "/state/audit/entries", Value::Array(sealed));
    }

    #[test]
    fn an_entry_edited_with_its_chain_resealed_is_refused_as_the_log_not_giving_it() {
        // Each field the one-pass check compares, edited in the state's entry
        // and in its event alike, the chain then recomputed; in the last
        // entry, which no later snapshot mark's state hash covers.
        let demo = demo();
        let last = demo.log().len() - 1;
        let snapshot = demo
            .log()
            .iter()
            .position(|e| matches!(e.command, Command::Audit(audit::Command::TakeSnapshot)))
            .unwrap_or_default();
        // The other outcome than the last entry's (the demo ends on a refusal).
        let flipped = match demo.state().audit.entries.last().map(|e| e.outcome) {
            Some(audit::Outcome::Refused) => json!("accepted"),
            _ => json!("refused"),
        };
        for (seq, field, to) in [
            (last, "commandHash", json!(audit::EMPTY_ROOT)),
            (last, "eventsHash", json!(audit::EMPTY_ROOT)),
            (last, "detail", json!("edited")),
            (last, "actor", json!("someone else")),
            (last, "outcome", flipped),
            (snapshot, "eventsHash", json!(audit::EMPTY_ROOT)),
        ] {
            check_refused(
                &demo,
                |v| {
                    set(
                        v,
                        &format!("/state/audit/entries/{seq}/{field}"),
                        to.clone(),
                    );
                    let Some(Value::Array(events)) = v.pointer_mut("/events") else {
                        return;
                    };
                    for entry in events.iter_mut().filter_map(|e| e.get_mut("entry")) {
                        if entry.get("seq") == Some(&json!(seq)) {
                            set(entry, &format!("/{field}"), to.clone());
                        }
                    }
                    reseal(v);
                },
                "import_log_mismatch",
            );
        }
        // Resealing alone changes nothing: the file still imports.
        let mut value: Value = serde_json::from_str(&demo.to_snapshot_json()).unwrap_or_default();
        reseal(&mut value);
        assert_eq!(Brain::import(&value.to_string()).ok().as_ref(), Some(&demo));
    }

    #[test]
    fn a_snapshot_mark_with_another_state_hash_is_refused_as_the_log_not_giving_it() {
        // The mark edited in its event and in the state alike: the events
        // still give the state, only executing the log gives the mark's hash.
        let demo = demo();
        check_refused(
            &demo,
            |v| {
                set(
                    v,
                    "/state/audit/snapshots/0/stateHash",
                    json!(audit::EMPTY_ROOT),
                );
                let Some(Value::Array(events)) = v.pointer_mut("/events") else {
                    return;
                };
                for mark in events.iter_mut().filter_map(|e| e.get_mut("mark")) {
                    set(mark, "/stateHash", json!(audit::EMPTY_ROOT));
                }
            },
            "import_log_mismatch",
        );
    }

    #[test]
    fn the_one_pass_check_confirms_what_the_engine_wrote_and_verify_reports_the_same() {
        // The fast path is taken for the engine's own files (else import is
        // correct but slow), and what it remembers gives the same report as
        // checking everything again.
        for brain in [
            demo(),
            demo().compacted(),
            Brain::new(),
            with_history_after_origin(),
        ] {
            let json = brain.to_snapshot_json();
            let Ok(mut loaded) = Brain::from_snapshot_json(&json) else {
                panic!("the snapshot does not load");
            };
            let unchecked = loaded.clone();
            assert!(loaded.confirm_history());
            assert_eq!(loaded.verify(), unchecked.verify());
            assert_eq!(brain.verify(), unchecked.verify());
            let imported = Brain::import(&json);
            assert_eq!(imported.as_ref().map(Brain::verify), Ok(unchecked.verify()));
        }
    }

    /// The demo compacted, then a few commands (one a snapshot mark).
    fn with_history_after_origin() -> Brain {
        let mut brain = demo().compacted();
        let mut at = brain.state().last_at.unwrap_or_default();
        for command in [
            Command::Audit(audit::Command::TakeSnapshot),
            Command::Ab(ab::Command::RecordCounts {
                experiment: "contact-channel".into(),
                variant: "sms".into(),
                trials: 40,
                conversions: 7,
            }),
        ] {
            at += Duration::minutes(1);
            assert!(brain.execute(Envelope::new(at, command)).is_ok());
        }
        brain
    }

    #[test]
    fn an_empty_log_must_give_no_events() {
        // The events and state of the demo with its log removed: they agree
        // with each other and the chain is intact, but no command gave them.
        let demo = demo();
        check_refused(&demo, |v| set(v, "/log", json!([])), "import_log_mismatch");
    }

    #[test]
    fn an_invalid_origin_is_refused() {
        // A compacted brain whose origin (= its state) has a script made
        // Primary without evidence, edited in both places so that replay
        // agrees.
        let compacted = demo().compacted();
        check_refused(
            &compacted,
            |v| {
                for at in ["/state", "/origin"] {
                    set(
                        v,
                        &format!("{at}/promotion/scripts/story-led/status"),
                        json!("Primary"),
                    );
                }
            },
            "import_origin_invalid",
        );
    }

    #[test]
    fn an_origin_that_breaks_an_invariant_is_refused_though_its_log_replays() {
        // A variant whose kind differs from its experiment's, in the origin
        // and the state alike: the log replays on it, its own checks fail.
        let mut brain = Brain::new();
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let env = Envelope::new(
            at,
            Command::Ab(ab::Command::RegisterVariant {
                experiment: "e".into(),
                variant: "v".into(),
                kind: ab::VariantKind::Script,
                weight: 1.0,
            }),
        );
        assert!(brain.execute(env).is_ok());
        let compacted = brain.compacted();
        let mut later = compacted.clone();
        let env = Envelope::new(
            at + Duration::minutes(1),
            Command::Ab(ab::Command::RecordCounts {
                experiment: "e".into(),
                variant: "v".into(),
                trials: 10,
                conversions: 1,
            }),
        );
        assert!(later.execute(env).is_ok());
        assert_eq!(
            Brain::import(&later.to_snapshot_json()).map(|b| b.state_hash()),
            Ok(later.state_hash())
        );
        check_refused(
            &later,
            |v| {
                set(
                    v,
                    "/state/ab/experiments/e/variants/v/kind",
                    json!("channel"),
                );
                set(
                    v,
                    "/origin/ab/experiments/e/variants/v/kind",
                    json!("channel"),
                );
            },
            "import_origin_invalid",
        );
    }
}
