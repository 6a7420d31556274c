//! Property tests: random command sequences never panic and leave the state
//! untouched on error; replay reproduces the state; rollback restores the
//! previous champion; any changed byte of an exported audit log is detected.

use brain_core::brain::{Brain, Command, Envelope};
use brain_core::{
    ab, audit, gates, ingest, models, outcomes, packets, policy, promotion, readiness,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just(" A ".to_string()),
        Just(String::new()),
        Just("Ｚｉｌｌｏｗ".to_string())
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..1.0f64,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-1.0),
        Just(1.5),
        Just(0.9)
    ]
}

fn count() -> impl Strategy<Value = i64> {
    prop_oneof![0i64..300, Just(-1i64), Just(i64::MAX), Just(i64::MIN)]
}

fn version() -> impl Strategy<Value = semver::Version> {
    (0u64..3, 0u64..4).prop_map(|(a, b)| semver::Version::new(a, b, 0))
}

fn command() -> impl Strategy<Value = Command> {
    let kind = prop_oneof![
        Just(ab::VariantKind::Script),
        Just(ab::VariantKind::Channel)
    ];
    prop_oneof![
        (name(), name(), kind, number()).prop_map(|(experiment, variant, kind, weight)| {
            Command::Ab(ab::Command::RegisterVariant {
                experiment,
                variant,
                kind,
                weight: if weight == 0.9 { 1.0 } else { weight },
            })
        }),
        (name(), name(), count(), count()).prop_map(
            |(experiment, variant, trials, conversions)| Command::Ab(ab::Command::RecordCounts {
                experiment,
                variant,
                trials,
                conversions
            })
        ),
        (name(), name()).prop_map(|(script, body)| Command::Promotion(
            promotion::Command::RegisterScript { script, body }
        )),
        (
            name(),
            proptest::option::of(count()),
            proptest::option::of(count())
        )
            .prop_map(|(script, trials, conversions)| Command::Promotion(
                promotion::Command::EvaluateScript {
                    script,
                    trials,
                    conversions
                }
            )),
        (name(), name()).prop_map(|(script, reason)| Command::Promotion(
            promotion::Command::RetireScript { script, reason }
        )),
        (
            name(),
            number(),
            proptest::option::of(proptest::collection::vec(name(), 0..2))
        )
            .prop_map(|(n, value, scripts)| {
                Command::Packets(packets::Command::BuildPacket {
                    lead: packets::Lead {
                        name: n,
                        value,
                        terms: String::new(),
                        source: String::new(),
                        fields: BTreeMap::new(),
                    },
                    scripts,
                    channels: None,
                })
            }),
        (
            name(),
            prop_oneof![Just("{{name}}".to_string()), Just("{{x".to_string())]
        )
            .prop_map(
                |(name, body)| Command::Packets(packets::Command::AddTemplate { name, body })
            ),
        name().prop_map(|source| Command::Ingest(ingest::Command::AddSource { source })),
        name().prop_map(|source| Command::Ingest(ingest::Command::RemoveSource { source })),
        name().prop_map(|source| Command::Ingest(ingest::Command::SuspendSource { source })),
        (name(), "[a-z]{0,8}").prop_map(|(source, payload)| Command::Ingest(
            ingest::Command::IngestData { source, payload }
        )),
        (name(), number()).prop_map(|(series_id, baseline)| Command::Outcomes(
            outcomes::Command::DefineSeries {
                series_id,
                metric: "m".into(),
                subject: Some("a".into()),
                direction: outcomes::Direction::default(),
                baseline: Some(baseline),
            }
        )),
        (name(), "[0-9]{1,2}", number()).prop_map(|(series_id, outcome_id, value)| {
            Command::Outcomes(outcomes::Command::RecordOutcome {
                series_id,
                outcome_id,
                value,
                label: None,
            })
        }),
        name().prop_map(|model_id| Command::Models(models::Command::RegisterModel {
            model_id,
            name: "m".into()
        })),
        (name(), version(), number()).prop_map(|(model_id, version, accuracy)| Command::Models(
            models::Command::ProposeUpdate {
                model_id,
                version,
                parent: None,
                strategy: models::Strategy::Incremental,
                accuracy
            }
        )),
        (name(), version()).prop_map(|(model_id, version)| Command::Models(
            models::Command::PromoteVersion { model_id, version }
        )),
        name().prop_map(|model_id| Command::Models(models::Command::RollBack {
            model_id,
            reason: "r".into()
        })),
        (name(), number(), number(), proptest::option::of(name())).prop_map(
            |(clone_id, a, b, model_id)| {
                Command::Readiness(readiness::Command::AssessClone {
                    clone_id,
                    factors: readiness::Factors {
                        accuracy: a,
                        confidence: b,
                        consistency: 0.8,
                        robustness: 0.7,
                    },
                    model_id,
                    experiment_id: None,
                })
            }
        ),
        (
            name(),
            proptest::option::of(name()),
            proptest::option::of(name())
        )
            .prop_map(|(clone, model, experiment)| Command::Gates(
                gates::Command::EvaluateGates {
                    clone_id: clone,
                    model_id: model,
                    experiment_id: experiment
                }
            )),
        Just(Command::Audit(audit::Command::TakeSnapshot)),
        any::<u64>().prop_map(|seed| Command::Policy(policy::Command::SetSeed { seed })),
    ]
}

fn envelopes() -> impl Strategy<Value = Vec<Envelope>> {
    proptest::collection::vec((command(), -1i64..3), 1..60).prop_map(|cmds| {
        let mut minute = 0i64;
        cmds.into_iter()
            .map(|(command, step)| {
                minute += step;
                Envelope {
                    at: t0() + Duration::minutes(minute),
                    actor: None,
                    command,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_commands_never_panic_errors_leave_state_untouched_and_replay_reproduces(envs in envelopes()) {
        let mut brain = Brain::new();
        for env in envs {
            let before = brain.state_hash();
            let entries = brain.state().audit.entries.len();
            match brain.execute(env) {
                Ok(events) => prop_assert!(!events.is_empty()),
                Err(e) => {
                    prop_assert!(!e.code().is_empty());
                    prop_assert_eq!(brain.state_hash(), before);
                    prop_assert_eq!(brain.state().audit.entries.len(), entries);
                }
            }
        }
        prop_assert_eq!(Brain::replay(brain.events()).state_hash(), brain.state_hash());
        let report = brain.verify();
        prop_assert!(report.checks.iter().all(|c| c.status != brain_core::verify::Status::Fail), "{:?}", report.checks);
        let snap = Brain::from_snapshot_json(&brain.to_snapshot_json()).map(|b| b.state_hash()).ok();
        prop_assert_eq!(snap, Some(brain.state_hash()));
    }

    #[test]
    fn rollback_restores_the_previous_champion(accuracies in proptest::collection::vec(0.80f64..0.95, 2..6)) {
        let mut brain = Brain::new();
        let mut minute = 0;
        let mut run = |brain: &mut Brain, command: Command| {
            minute += 1;
            brain.execute(Envelope { at: t0() + Duration::minutes(minute), actor: None, command })
        };
        let id = || "m".to_string();
        let registered = run(&mut brain, Command::Models(models::Command::RegisterModel { model_id: id(), name: "m".into() }));
        prop_assert!(registered.is_ok());
        for (i, accuracy) in accuracies.iter().enumerate() {
            let version = semver::Version::new(1, i as u64, 0);
            let _ = run(&mut brain, Command::Models(models::Command::ProposeUpdate {
                model_id: id(), version: version.clone(), parent: None, strategy: models::Strategy::FullRetrain, accuracy: *accuracy,
            }));
            let _ = run(&mut brain, Command::Models(models::Command::PromoteVersion { model_id: id(), version }));
        }
        let before = brain.state().models.champion("m").map(|v| v.version.clone());
        let target = brain.state().models.rollback_target("m").map(|v| v.version.clone());
        let rolled = run(&mut brain, Command::Models(models::Command::RollBack { model_id: id(), reason: "test".into() }));
        let after = brain.state().models.champion("m").map(|v| v.version.clone());
        match target {
            Some(t) => {
                prop_assert!(rolled.is_ok());
                prop_assert_eq!(after, Some(t));
                prop_assert_ne!(brain.state().models.champion("m").map(|v| v.version.clone()), before);
            }
            None => {
                prop_assert!(rolled.is_err());
                prop_assert_eq!(after, before);
            }
        }
    }

    #[test]
    fn any_changed_byte_of_an_exported_audit_log_is_detected(index in any::<prop::sample::Index>(), delta in 1u8..=255) {
        let brain = small_brain();
        let json = brain.audit_export();
        prop_assert!(audit::import(&json).is_ok());
        let mut bytes = json.into_bytes();
        let i = index.index(bytes.len());
        if let Some(b) = bytes.get_mut(i) {
            *b = b.wrapping_add(delta);
        }
        let changed = String::from_utf8_lossy(&bytes).to_string();
        prop_assert!(audit::import(&changed).is_err());
    }
}

/// What `Brain::execute` returns.
type Outcome = Result<Vec<brain_core::Event>, brain_core::BrainError>;

fn small_brain() -> Brain {
    let mut brain = Brain::new();
    let cmds = [
        Command::Ab(ab::Command::RegisterVariant {
            experiment: "e".into(),
            variant: "a".into(),
            kind: ab::VariantKind::Script,
            weight: 1.0,
        }),
        Command::Ingest(ingest::Command::IngestData {
            source: "craigslist".into(),
            payload: "x".into(),
        }),
        Command::Ab(ab::Command::RecordCounts {
            experiment: "e".into(),
            variant: "a".into(),
            trials: 10,
            conversions: 2,
        }),
    ];
    for (i, c) in cmds.into_iter().enumerate() {
        let _ = brain.execute(Envelope {
            at: t0() + Duration::seconds(i as i64),
            actor: Some("ops".into()),
            command: c,
        });
    }
    brain
}

#[test]
fn the_safety_gate_blocks_a_clone_whose_model_has_an_open_regression() {
    let mut brain = Brain::new();
    let mut minute = 0;
    let mut run = |brain: &mut Brain, command: Command| {
        minute += 1;
        brain.execute(Envelope {
            at: t0() + Duration::minutes(minute),
            actor: None,
            command,
        })
    };
    let ok = [
        Command::Models(models::Command::RegisterModel {
            model_id: "m".into(),
            name: "m".into(),
        }),
        Command::Models(models::Command::ProposeUpdate {
            model_id: "m".into(),
            version: semver::Version::new(1, 0, 0),
            parent: None,
            strategy: models::Strategy::FullRetrain,
            accuracy: 0.9,
        }),
        Command::Readiness(readiness::Command::AssessClone {
            clone_id: "c".into(),
            factors: readiness::Factors {
                accuracy: 0.9,
                confidence: 0.9,
                consistency: 0.9,
                robustness: 0.9,
            },
            model_id: Some("m".into()),
            experiment_id: None,
        }),
        Command::Outcomes(outcomes::Command::DefineSeries {
            series_id: "acc".into(),
            metric: "accuracy".into(),
            subject: Some("m".into()),
            direction: outcomes::Direction::default(),
            baseline: None,
        }),
    ];
    for c in ok {
        assert!(run(&mut brain, c).is_ok());
    }
    let gate = |brain: &mut Brain, run: &mut dyn FnMut(&mut Brain, Command) -> Outcome| {
        let _ = run(
            brain,
            Command::Gates(gates::Command::EvaluateGates {
                clone_id: "c".into(),
                model_id: None,
                experiment_id: None,
            }),
        );
        brain
            .gate_decisions()
            .last()
            .map(|d| (d.verdict, d.failures()))
    };
    assert_eq!(
        gate(&mut brain, &mut run),
        Some((gates::Verdict::Promote, vec![]))
    );
    for (i, v) in [
        0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6,
    ]
    .iter()
    .enumerate()
    {
        let _ = run(
            &mut brain,
            Command::Outcomes(outcomes::Command::RecordOutcome {
                series_id: "acc".into(),
                outcome_id: format!("{i}"),
                value: *v,
                label: None,
            }),
        );
    }
    let decided = gate(&mut brain, &mut run);
    assert_eq!(decided.as_ref().map(|d| d.0), Some(gates::Verdict::Block));
    assert!(decided
        .map(|d| d.1.iter().any(|r| r.contains("open regression alerts")))
        .unwrap_or(false));
}

#[test]
fn blocked_ingestion_leaves_only_its_counter_and_audit_entry() {
    let brain = small_brain();
    let state = serde_json::to_string(brain.state()).unwrap_or_default();
    let source = brain.state().ingest.sources.get("craigslist").cloned();
    assert_eq!(
        source.map(|s| (s.accepted, s.blocked, s.accepted_bytes)),
        Some((0, 1, 0))
    );
    let entry = brain.audit_query(&audit::Query {
        subject: Some("source/craigslist".into()),
        ..Default::default()
    });
    assert_eq!(
        entry.first().map(|e| e.outcome),
        Some(audit::Outcome::Refused)
    );
    assert!(state.contains("not on the whitelist"));
}

#[test]
fn the_sample_ratio_gate_blocks_a_clone_whose_experiment_split_is_broken() {
    let mut brain = Brain::new();
    let cmds = [
        Command::Ab(ab::Command::RegisterVariant {
            experiment: "e".into(),
            variant: "a".into(),
            kind: ab::VariantKind::Script,
            weight: 1.0,
        }),
        Command::Ab(ab::Command::RegisterVariant {
            experiment: "e".into(),
            variant: "b".into(),
            kind: ab::VariantKind::Script,
            weight: 1.0,
        }),
        Command::Ab(ab::Command::RecordCounts {
            experiment: "e".into(),
            variant: "a".into(),
            trials: 5000,
            conversions: 500,
        }),
        Command::Ab(ab::Command::RecordCounts {
            experiment: "e".into(),
            variant: "b".into(),
            trials: 3000,
            conversions: 300,
        }),
        Command::Readiness(readiness::Command::AssessClone {
            clone_id: "c".into(),
            factors: readiness::Factors {
                accuracy: 0.9,
                confidence: 0.9,
                consistency: 0.9,
                robustness: 0.9,
            },
            model_id: None,
            experiment_id: Some("e".into()),
        }),
        Command::Gates(gates::Command::EvaluateGates {
            clone_id: "c".into(),
            model_id: None,
            experiment_id: None,
        }),
    ];
    for (i, c) in cmds.into_iter().enumerate() {
        assert!(brain
            .execute(Envelope {
                at: t0() + Duration::minutes(i as i64),
                actor: None,
                command: c
            })
            .is_ok());
    }
    let d = brain.gate_decisions().last().cloned();
    assert_eq!(d.as_ref().map(|d| d.verdict), Some(gates::Verdict::Block));
    let failures = d.map(|d| d.failures()).unwrap_or_default();
    assert!(
        failures
            .iter()
            .any(|r| r.contains("sample ratio mismatch in experiment e")),
        "{failures:?}"
    );
    assert!(
        failures.iter().any(|r| r.contains("no model named")),
        "{failures:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A snapshot with any byte changed either fails to load with a typed
    /// error or loads into a brain that verifies and executes without panic.
    #[test]
    fn a_corrupted_snapshot_never_panics(index in any::<prop::sample::Index>(), delta in 1u8..=255) {
        let json = small_brain().to_snapshot_json();
        let mut bytes = json.into_bytes();
        let i = index.index(bytes.len());
        if let Some(b) = bytes.get_mut(i) {
            *b = b.wrapping_add(delta);
        }
        let changed = String::from_utf8_lossy(&bytes).to_string();
        match Brain::from_snapshot_json(&changed) {
            Err(e) => prop_assert!(!e.code().is_empty()),
            Ok(mut brain) => {
                let _ = brain.verify();
                let at = brain.state().last_at.unwrap_or_else(t0) + Duration::minutes(1);
                let cmd = Command::Ab(ab::Command::RecordCounts { experiment: "e".into(), variant: "a".into(), trials: 1, conversions: 1 });
                let _ = brain.execute(Envelope { at, actor: None, command: cmd });
                let _ = brain.experiments();
            }
        }
    }
}
