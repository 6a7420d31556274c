//! Property tests: random command sequences never panic and leave the state untouched on
//! error; sequences that mostly make sense (commands naming ids that exist, most of them
//! accepted: asserted) keep decide = execute, replay, the log's re-execution, the snapshot
//! import and verification; 1,000-case decision properties (one command on the demo, rollback);
//! every flipped bit of a 20-entry audit export is refused.

use brain_core::brain::{Brain, BrainState, Command, Envelope, Event, Stepper};
use brain_core::{
    ab, audit, gates, ingest, models, outcomes, packets, policy, promotion, readiness,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::json;
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
                    conversions,
                    score: None,
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
                version: Some(version),
                bump: None,
                parent: None,
                strategy: models::Strategy::Incremental,
                accuracy,
                created_by: None,
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
    fn a_decision_only_replay_of_random_commands_decides_as_the_full_execution(envs in envelopes()) {
        decisions_only_agree(None, &envs)?;
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

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
                model_id: id(), version: Some(version.clone()), bump: None, parent: None, strategy: models::Strategy::FullRetrain, accuracy: *accuracy, created_by: None,
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
            version: Some(semver::Version::new(1, 0, 0)),
            bump: None,
            parent: None,
            strategy: models::Strategy::FullRetrain,
            accuracy: 0.9,
            created_by: None,
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

// ---------------------------------------------------------------------------------------------
// Command sequences that mostly make sense: each step is an intent (which command, which of the
// existing ids, numbers) turned into a command against the brain as it is at that step, so most
// commands name an experiment, variant, script, source, series, alert, model or clone that
// exists, and most are accepted (asserted over the whole run).

/// One step of a sequence, before it meets the brain.
#[derive(Clone, Debug)]
struct Intent {
    kind: u8,
    a: u16,
    b: u16,
    x: f64,
    n: u32,
    fresh: bool,
    minutes: i64,
}

fn intent() -> impl Strategy<Value = Intent> {
    (
        0u8..30,
        any::<u16>(),
        any::<u16>(),
        0.0..1.0f64,
        0u32..600,
        proptest::bool::weighted(0.1),
        prop_oneof![1 => Just(-1i64), 30 => 0i64..3],
    )
        .prop_map(|(kind, a, b, x, n, fresh, minutes)| Intent {
            kind,
            a,
            b,
            x,
            n,
            fresh,
            minutes,
        })
}

/// An existing id (most of the time), or a new one from a small set (so new ones clash too).
fn pick(existing: Vec<String>, i: u16, fresh: bool, prefix: &str) -> String {
    if fresh || existing.is_empty() {
        format!("{prefix}{}", i % 4)
    } else {
        existing[usize::from(i) % existing.len()].clone()
    }
}

const STRATEGIES: [&str; 3] = ["incremental", "full_retrain", "shadow"];

/// The command `it` means for `brain` now, as envelope JSON at `at`.
fn materialize(it: &Intent, brain: &Brain, at: DateTime<Utc>) -> String {
    let s = brain.state();
    let experiments: Vec<String> = s.ab.experiments.keys().cloned().collect();
    let scripts: Vec<String> = s.promotion.scripts.keys().cloned().collect();
    let sources: Vec<String> = s.ingest.sources.keys().cloned().collect();
    let series: Vec<String> = s.outcomes.series.keys().cloned().collect();
    let alerts: Vec<String> = s
        .outcomes
        .alerts
        .iter()
        .map(|a| a.alert_id.clone())
        .collect();
    let models: Vec<String> = s.models.models.keys().cloned().collect();
    let clones: Vec<String> = s.readiness.clones.keys().cloned().collect();
    let (a, b, x, n, fresh) = (it.a, it.b, it.x, it.n, it.fresh);
    let experiment = pick(experiments, a, fresh, "exp-");
    let variants: Vec<String> =
        s.ab.experiments
            .get(&experiment)
            .map(|e| e.order.clone())
            .unwrap_or_default();
    let model = pick(models, a, fresh, "model-");
    let versions: Vec<String> = s
        .models
        .models
        .get(&model)
        .map(|m| m.versions.iter().map(|v| v.version.to_string()).collect())
        .unwrap_or_default();
    let trials = i64::from(n);
    let conversions = (x * f64::from(n)).floor() as i64;
    let command = match it.kind {
        0 | 1 => {
            let kind = match s.ab.experiments.get(&experiment) {
                Some(e) => serde_json::to_value(e.kind).unwrap_or_default(),
                None => json!(if b % 2 == 0 { "script" } else { "channel" }),
            };
            json!({"block": "ab", "type": "RegisterVariant", "experiment": experiment,
                   "variant": format!("v{}", b % 4), "kind": kind, "weight": 1.0})
        }
        2..=4 => json!({"block": "ab", "type": "RecordCounts", "experiment": experiment,
                        "variant": pick(variants, b, false, "v"), "trials": trials, "conversions": conversions}),
        5 => {
            json!({"block": "promotion", "type": "RegisterScript", "script": format!("s{}", a % 4),
                    "body": format!("Hi {{{{name}}}}, offer {b}")})
        }
        6 => {
            json!({"block": "promotion", "type": "AddScriptVersion", "script": pick(scripts, a, fresh, "s"),
                    "body": format!("Hello {{{{name}}}} #{b}")})
        }
        7 if b % 2 == 0 => json!({"block": "promotion", "type": "EvaluateScript",
                                  "script": pick(scripts, a, fresh, "s"), "trials": trials, "conversions": conversions}),
        7 => {
            json!({"block": "promotion", "type": "EvaluateScript", "script": pick(scripts, a, fresh, "s")})
        }
        8 => {
            json!({"block": "promotion", "type": "RetireScript", "script": pick(scripts, a, fresh, "s"), "reason": "replaced"})
        }
        9 => json!({"block": "packets", "type": "AddTemplate", "name": format!("t{}", a % 3),
                    "body": "Packet for {{name}}: {{value}}"}),
        10 => json!({"block": "packets", "type": "BuildPacket",
                     "lead": {"name": format!("Lead {a}"), "value": (x * 1e6).round(), "source": "zillow"}}),
        11 => json!({"block": "ingest", "type": "AddSource", "source": format!("src{}", a % 4)}),
        12 | 13 => {
            json!({"block": "ingest", "type": "IngestData", "source": pick(sources, a, fresh, "zillow"),
                          "payload": format!("{{\"lead\":{b}}}")})
        }
        14 => {
            json!({"block": "ingest", "type": "SuspendSource", "source": pick(sources, a, fresh, "src")})
        }
        15 => {
            json!({"block": "ingest", "type": "RemoveSource", "source": pick(sources, a, fresh, "src")})
        }
        16 => {
            json!({"block": "outcomes", "type": "DefineSeries", "series_id": format!("series{}", a % 3),
                     "metric": "accuracy", "subject": model, "direction": "higher_is_better", "baseline": 0.8 + 0.1 * x})
        }
        17 | 18 => {
            json!({"block": "outcomes", "type": "RecordOutcome", "series_id": pick(series, a, fresh, "series"),
                          "outcome_id": format!("o{b}"), "value": 0.6 + 0.4 * x})
        }
        19 => {
            json!({"block": "outcomes", "type": "SetBaseline", "series_id": pick(series, a, fresh, "series"), "baseline": x})
        }
        20 => {
            json!({"block": "outcomes", "type": "AssessDrift", "series_id": pick(series, a, fresh, "series"),
                     "reference": [0.8, 0.81, 0.82, 0.83], "current": [x, x + 0.01, x + 0.02, x + 0.03]})
        }
        21 if b % 2 == 0 => json!({"block": "outcomes", "type": "AcknowledgeAlert",
                                   "alert_id": pick(alerts, a, fresh, "alert-"), "note": "looking"}),
        21 => {
            json!({"block": "outcomes", "type": "ResolveAlert", "alert_id": pick(alerts, a, fresh, "alert-"), "note": "fixed"})
        }
        22 => {
            json!({"block": "models", "type": "RegisterModel", "model_id": format!("model-{}", a % 3), "name": "scorer"})
        }
        23 | 24 => json!({"block": "models", "type": "ProposeUpdate", "model_id": model,
                          "version": format!("1.{}.0", b % 6),
                          "strategy": STRATEGIES[usize::from(b % 3)],
                          "accuracy": 0.8 + 0.15 * x}),
        25 => json!({"block": "models", "type": "RecordAccuracy", "model_id": model,
                     "version": pick(versions, b, false, "1.0."), "accuracy": 0.7 + 0.3 * x}),
        26 if b % 3 == 0 => {
            json!({"block": "models", "type": "RollBack", "model_id": model, "reason": "regressed"})
        }
        26 => {
            json!({"block": "models", "type": "PromoteVersion", "model_id": model, "version": pick(versions, b, false, "1.0.")})
        }
        27 => {
            json!({"block": "readiness", "type": "AssessClone", "clone_id": format!("clone-{}", a % 3),
                     "factors": {"accuracy": x, "confidence": 0.5 + x / 2.0, "consistency": 0.8, "robustness": 0.7},
                     "model_id": if b % 2 == 0 { json!(model) } else { json!(null) }})
        }
        28 => {
            json!({"block": "gates", "type": "EvaluateGates", "clone_id": pick(clones, a, fresh, "clone-")})
        }
        _ if b % 2 == 0 => json!({"block": "audit", "type": "TakeSnapshot"}),
        _ => json!({"block": "policy", "type": "SetSeed", "seed": a}),
    };
    let mut command = command;
    if let Some(object) = command.as_object_mut() {
        object.insert("at".into(), json!(at));
        object.insert("actor".into(), json!("ops"));
    }
    command.to_string()
}

/// Loads a snapshot as the console's import and `Brain.fromJSON` do (`Brain::import`).
fn import(text: &str) -> Result<Brain, String> {
    Brain::import(text).map_err(|e| e.to_string())
}

/// Runs a sequence of intents; returns (accepted, executed) and checks every property on the way:
/// a refused command leaves the brain as it was; an accepted one is what `decide` said and adds
/// one audit entry; at the end the events replay to the state, the log executes again to the
/// events, the snapshot imports to an equal brain and re-exports to the same text, and no
/// verification check fails; a decision-only replay of what was sent decides the same.
fn run_sequence(intents: &[Intent]) -> Result<(usize, usize), TestCaseError> {
    let mut brain = Brain::new();
    let mut at = t0();
    let mut accepted = 0;
    let mut sent = Vec::new();
    for it in intents {
        at += Duration::minutes(it.minutes);
        let json = materialize(it, &brain, at);
        let before = brain.clone();
        sent.extend(serde_json::from_str::<Envelope>(&json).ok());
        let decided = serde_json::from_str::<Envelope>(&json).map(|env| brain.decide(&env));
        match brain.execute_json(&json) {
            Ok(events) => {
                accepted += 1;
                prop_assert_eq!(
                    decided.ok().and_then(|d| d.ok()),
                    Some(events.clone()),
                    "{}",
                    json
                );
                prop_assert_eq!(
                    brain.state().audit.entries.len(),
                    before.state().audit.entries.len() + 1
                );
                prop_assert_eq!(brain.log().len(), before.log().len() + 1);
            }
            Err(e) => {
                prop_assert!(brain == before, "{} changed the brain: {}", json, e);
                prop_assert!(decided.map(|d| d.is_err()).unwrap_or(true), "{}", json);
            }
        }
    }
    prop_assert_eq!(Brain::replay_hash(None, brain.events()), brain.state_hash());
    let export = brain.to_snapshot_json();
    let mut loaded =
        Brain::from_snapshot_json(&export).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(loaded.rerun_log(), Ok(brain.log().len()));
    prop_assert_eq!(loaded.confirm_log(), Ok(brain.log().len()));
    let imported = import(&export).map_err(TestCaseError::fail)?;
    prop_assert!(imported == brain, "the import gives another brain");
    prop_assert_eq!(imported.to_snapshot_json(), export);
    let failed: Vec<_> = imported
        .verify()
        .checks
        .into_iter()
        .filter(|c| c.status == brain_core::verify::Status::Fail)
        .collect();
    prop_assert!(failed.is_empty(), "{:?}", failed);
    decisions_only_agree(None, &sent)?;
    Ok((accepted, intents.len()))
}

#[test]
fn command_sequences_that_mostly_make_sense_keep_every_property_and_most_are_accepted() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 256,
        ..Config::default()
    });
    let totals = std::cell::Cell::new((0usize, 0usize));
    let result = runner.run(&proptest::collection::vec(intent(), 1..80), |intents| {
        let (accepted, executed) = run_sequence(&intents)?;
        let (a, e) = totals.get();
        totals.set((a + accepted, e + executed));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (accepted, executed) = totals.get();
    eprintln!("{accepted} of {executed} generated commands accepted");
    assert!(
        accepted * 10 >= executed * 3,
        "only {accepted} of {executed} commands were accepted: the generator no longer makes sense"
    );
}

/// An event with every hash the decision-only replay leaves out blanked: the audit entry's
/// command, event, leaf and root hashes and a snapshot mark's state hash.
fn unhashed(event: &Event) -> Event {
    let mut event = event.clone();
    match &mut event {
        Event::Audit(audit::Event::EntryAppended { entry }) => {
            for h in [
                &mut entry.command_hash,
                &mut entry.events_hash,
                &mut entry.hash,
                &mut entry.root,
            ] {
                h.clear();
            }
        }
        Event::Audit(audit::Event::SnapshotTaken { mark }) => mark.state_hash.clear(),
        _ => {}
    }
    event
}

/// Runs `envs` from `origin` fully and for decisions only (what what-if and tuning replay),
/// command by command: the same refusals with the same errors, the same events (the audit
/// entry with the same words, its hashes left out), and at the end the same state but for
/// the audit log, which the decision-only brain does not keep, nor any log.
fn decisions_only_agree(
    origin: Option<&BrainState>,
    envs: &[Envelope],
) -> Result<(), TestCaseError> {
    let mut full = Brain::replay_from(origin, &[]);
    let mut lean = Stepper::decisions_only(origin, envs.to_vec());
    for env in envs {
        // Errors by their words (a refused NaN is not equal to itself).
        let said = |r: Result<Vec<Event>, brain_core::BrainError>| {
            r.map(|events| events.iter().map(unhashed).collect::<Vec<_>>())
                .map_err(|e| e.to_string())
        };
        let expected = said(full.execute(env.clone()));
        let got = lean.next_step().map(|s| said(s.result));
        prop_assert_eq!(got, Some(expected), "{:?}", env);
    }
    prop_assert!(lean.done());
    let lean = lean.finish();
    prop_assert!(lean.log().is_empty() && lean.events().is_empty());
    prop_assert_eq!(
        lean.state().audit.entries.len(),
        origin.map_or(0, |o| o.audit.entries.len())
    );
    let without_audit = |s: &BrainState| BrainState {
        audit: audit::State::default(),
        ..s.clone()
    };
    prop_assert_eq!(without_audit(lean.state()), without_audit(full.state()));
    Ok(())
}

#[test]
fn a_decision_only_replay_of_the_demo_decides_as_the_full_execution() {
    let demo = demo_brain();
    if let Err(e) = decisions_only_agree(None, demo.log()) {
        panic!("{e}");
    }
    // From a compacted origin: the demo's first half as the state the rest starts from.
    let (before, after) = demo.log().split_at(demo.log().len() / 2);
    let mut origin = Brain::new();
    for env in before {
        let _ = origin.execute(env.clone());
    }
    if let Err(e) = decisions_only_agree(Some(origin.state()), after) {
        panic!("{e}");
    }
}

/// The demo brain, built once for the 1,000-case decision properties.
fn demo_brain() -> &'static Brain {
    static DEMO: std::sync::OnceLock<Brain> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| Brain::demo(t0()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// On the demo brain, any one command: `decide` does not touch the state and says what
    /// `execute` then does; a refusal leaves the brain as it was; an accepted command adds one
    /// audit entry whose outcome says whether a guarded action was refused; a gate decision
    /// promotes exactly when every gate passes.
    #[test]
    fn one_decision_on_the_demo_is_what_execute_does(it in intent()) {
        let demo = demo_brain();
        let at = demo.state().last_at.unwrap_or_else(t0) + Duration::minutes(it.minutes);
        let json = materialize(&it, demo, at);
        let env = serde_json::from_str::<Envelope>(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let decided = demo.decide(&env);
        let mut brain = demo.clone();
        let executed = brain.execute(env);
        prop_assert_eq!(&decided, &executed, "{}", json);
        match executed {
            Err(_) => prop_assert!(brain == *demo),
            Ok(events) => {
                let entry = brain.state().audit.entries.last().cloned();
                prop_assert_eq!(brain.state().audit.entries.len(), demo.state().audit.entries.len() + 1);
                let refused = events.iter().any(|e| e.refusal().is_some());
                prop_assert_eq!(entry.map(|e| e.outcome), Some(if refused { audit::Outcome::Refused } else { audit::Outcome::Accepted }));
                if it.kind == 28 {
                    let d = brain.gate_decisions().last().cloned();
                    prop_assert!(d.is_some());
                    if let Some(d) = d {
                        prop_assert_eq!(d.verdict == gates::Verdict::Promote, d.failures().is_empty());
                    }
                }
            }
        }
    }
}

/// Every single-bit change of every byte of a 20-entry audit export is refused, or (never seen,
/// but allowed) reads to exactly the same entries.
#[test]
fn every_flipped_bit_of_a_twenty_entry_audit_export_is_refused() {
    let mut brain = Brain::new();
    let mut it = Intent {
        kind: 0,
        a: 0,
        b: 0,
        x: 0.3,
        n: 100,
        fresh: false,
        minutes: 1,
    };
    let mut at = t0();
    let mut k = 0u16;
    while brain.state().audit.entries.len() < 20 {
        k += 1;
        it.kind = (k % 30) as u8;
        it.a = k;
        it.b = k / 2;
        at += Duration::minutes(1);
        let _ = brain.execute_json(&materialize(&it, &brain, at));
    }
    let export = brain.audit_export();
    let entries = audit::import(&export).unwrap_or_default();
    assert_eq!(entries.len(), 20);
    let mut refused = 0;
    for i in 0..export.len() {
        for bit in 0..8 {
            let mut bytes = export.clone().into_bytes();
            bytes[i] ^= 1 << bit;
            let Ok(text) = String::from_utf8(bytes) else {
                refused += 1; // not text: no reader gets as far as the entries
                continue;
            };
            match audit::import(&text) {
                Err(_) => refused += 1,
                Ok(read) => assert_eq!(read, entries, "byte {i} bit {bit} was accepted"),
            }
        }
    }
    assert_eq!(refused, export.len() * 8);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Running the due checks twice at the same time changes nothing the second time (the
    /// command is refused as `nothing_due`, state and audit untouched), at any gap and under
    /// any schedule, on a brain with models, series and alerts (the demo).
    #[test]
    fn running_due_checks_twice_at_the_same_time_changes_nothing_the_second_time(
        gaps in proptest::collection::vec(0i64..20_000, 1..6),
        drift in 0u32..200,
        health in 0u32..3000,
    ) {
        let mut brain = Brain::demo(t0());
        let patch = json!({"monitoring": {"schedule": {"drift": drift, "health": health}}});
        let set = Command::Policy(policy::Command::SetPolicy {
            policy: policy::PolicyPatch::from_value(patch).map_err(|e| TestCaseError::fail(e.to_string()))?,
            reason: None,
        });
        let mut at = brain.state().last_at.unwrap_or_else(t0) + Duration::minutes(1);
        brain.execute(Envelope { at, actor: None, command: set }).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for gap in gaps {
            at += Duration::minutes(gap);
            brain.run_due_checks(at, Some("timer")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let hash = brain.state_hash();
            let entries = brain.state().audit.entries.len();
            let second = brain.execute(Envelope {
                at,
                actor: Some("timer".into()),
                command: Command::Monitoring(brain_core::monitoring::Command::RunDueChecks {}),
            });
            prop_assert_eq!(second.map_err(|e| e.code()), Err("nothing_due"));
            prop_assert_eq!(brain.state_hash(), hash);
            prop_assert_eq!(brain.state().audit.entries.len(), entries);
        }
    }
}
