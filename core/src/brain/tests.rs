//! The reducer's tests: given a brain (often the demo), when a command or a
//! snapshot comes in, then its events, its error code or its state.

use super::*;
use crate::policy::{self, Policy};
use crate::{ab, audit, ingest, models, packets, readiness};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::BTreeSet;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

#[test]
fn packets_follow_the_winning_channel_as_counts_change() {
    // Given a channel experiment where sms wins, when a packet is built,
    // then it recommends sms; after counts that make email win, the next
    // packet recommends email (the cached winners were dropped).
    let mut brain = Brain::new();
    let mut minute = 0;
    let mut run = |brain: &mut Brain, command: Command| {
        minute += 1;
        brain
            .execute(Envelope::new(t0() + Duration::minutes(minute), command))
            .expect("accepted")
    };
    for variant in ["sms", "email"] {
        run(
            &mut brain,
            Command::Ab(ab::Command::RegisterVariant {
                experiment: "contact".into(),
                variant: variant.into(),
                kind: ab::VariantKind::Channel,
                weight: 1.0,
            }),
        );
    }
    let counts = |variant: &str, trials, conversions| {
        Command::Ab(ab::Command::RecordCounts {
            experiment: "contact".into(),
            variant: variant.into(),
            trials,
            conversions,
        })
    };
    let packet = || {
        Command::Packets(packets::Command::BuildPacket {
            lead: packets::Lead {
                name: "Lead".into(),
                value: 1.0,
                terms: String::new(),
                source: "zillow".into(),
                fields: std::collections::BTreeMap::new(),
            },
            scripts: None,
            channels: None,
        })
    };
    let channels = |events: &[Event]| -> Vec<String> {
        events
            .iter()
            .find_map(|e| match e {
                Event::Packets(packets::Event::PacketBuilt { packet }) => {
                    Some(packet.channels.clone())
                }
                _ => None,
            })
            .unwrap_or_default()
    };
    run(&mut brain, counts("sms", 2000, 600));
    run(&mut brain, counts("email", 2000, 200));
    assert_eq!(
        channels(&run(&mut brain, packet())),
        vec!["sms".to_string()]
    );
    assert_eq!(
        channels(&run(&mut brain, packet())),
        vec!["sms".to_string()]
    );
    // Balanced traffic (a sample-ratio mismatch would leave no winner).
    run(&mut brain, counts("sms", 20_000, 6_000));
    run(&mut brain, counts("email", 20_000, 16_000));
    let fresh = brain.decide(&Envelope::new(t0() + Duration::days(1), packet()));
    assert_eq!(
        channels(&fresh.expect("decided")),
        vec!["email".to_string()]
    );
    assert_eq!(
        channels(&run(&mut brain, packet())),
        vec!["email".to_string()]
    );
    // A brain rebuilt from its events (no cache) decides the same.
    let replayed = Brain::replay_from(brain.origin(), brain.events());
    assert_eq!(replayed.state_hash(), brain.state_hash());
}

fn demo() -> Brain {
    Brain::demo(t0())
}

fn later(brain: &Brain) -> DateTime<Utc> {
    brain.state().last_at.unwrap_or_else(t0) + Duration::minutes(1)
}

#[test]
fn commands_and_events_read_back_what_they_write_with_serde_like_errors() {
    // Every command of the demo, and every event, reads back equal from
    // its own JSON (through text, as storage and the JS package do).
    let brain = demo();
    let snap = brain.snapshot();
    assert!(snap.log.len() > 20 && snap.events.len() > 40);
    for env in &snap.log {
        let json = serde_json::to_string(env).unwrap_or_default();
        let back: Result<Envelope, _> = serde_json::from_str(&json);
        assert_eq!(back.as_ref().ok(), Some(env), "{json}");
    }
    for e in &snap.events {
        let json = serde_json::to_string(e).unwrap_or_default();
        let back: Result<Event, _> = serde_json::from_str(&json);
        assert_eq!(back.as_ref().ok(), Some(e), "{json}");
    }
    // The actor is optional: missing or null is None.
    let read = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json)
            .map_err(|e| e.to_string())
            .and_then(|v| Envelope::from_value(v).map_err(|e| e.to_string()))
    };
    let ok = r#"{"at":"2026-03-02T09:00:00Z","block":"ab","type":"RecordCounts","experiment":"e","variant":"v","trials":1,"conversions":0}"#;
    assert_eq!(read(ok).map(|e| e.actor), Ok(None));
    let with_null = ok.replace(r#""block""#, r#""actor":null,"block""#);
    assert_eq!(read(&with_null).map(|e| e.actor), Ok(None));
    let with_actor = ok.replace(r#""block""#, r#""actor":"ops","block""#);
    assert_eq!(read(&with_actor).map(|e| e.actor), Ok(Some("ops".into())));
    // With the time already read, the object's own `at` is ignored.
    let given = t0() + Duration::hours(1);
    let v: serde_json::Value = serde_json::from_str(&with_actor).unwrap_or_default();
    let env = Envelope::from_value_at(v, given).map_err(|e| e.to_string());
    assert_eq!(env.as_ref().map(|e| e.at), Ok(given));
    assert_eq!(env.map(|e| e.actor), Ok(Some("ops".into())));
    // Errors a user can act on, worded as serde words them.
    let err = |json: &str| read(json).err().unwrap_or_default();
    assert_eq!(
        err(&ok.replace(r#""block":"ab","#, "")),
        "missing field `block`"
    );
    assert!(err(&ok.replace(r#""block":"ab""#, r#""block":"abc""#))
        .starts_with("unknown variant `abc`, expected one of `ab`, `promotion`"));
    assert!(err(&ok.replace(r#""block":"ab""#, r#""block":7"#))
        .starts_with("invalid type: integer `7`, expected a block name"));
    assert_eq!(
        err(&ok.replace(r#""at":"2026-03-02T09:00:00Z","#, "")),
        "missing field `at`"
    );
    assert!(!err(&ok.replace("2026-03-02T09:00:00Z", "yesterday")).is_empty());
    assert!(err(&ok.replace(r#""type":"RecordCounts","#, "")).contains("missing field `type`"));
    assert!(err(&ok.replace(r#""trials":1"#, r#""trials":"1""#)).contains("invalid type"));
    assert_eq!(
        err("[1]"),
        "invalid type: sequence, expected a command object"
    );
    assert!(Event::from_value(serde_json::json!("x"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
        .contains("expected an event object"));
    // Through the text parser the position is added.
    let from_text = serde_json::from_str::<Envelope>(&ok.replace(r#""block":"ab","#, ""));
    assert!(from_text
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
        .starts_with("missing field `block`"));
}

/// Given the demo, when `json` (an envelope without `at`) is executed,
/// then the error code is `code` and the state hash is unchanged.
fn check_refused(json: &str, code: &str) {
    let mut brain = demo();
    let before = brain.state_hash();
    let entries = brain.state().audit.entries.len();
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.entry("at").or_insert(serde_json::json!(later(&brain)));
    }
    let result = brain.execute_json(&value.to_string());
    assert_eq!(result.map_err(|e| e.code()), Err(code), "{json}");
    assert_eq!(brain.state_hash(), before, "{json}");
    assert_eq!(brain.state().audit.entries.len(), entries, "{json}");
}

#[test]
fn bad_inputs_are_typed_errors_that_leave_the_state_untouched() {
    let cases = [
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":-5,"conversions":0}"#,
            "invalid_count",
        ),
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":10,"conversions":12}"#,
            "invalid_count",
        ),
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"fax","trials":10,"conversions":1}"#,
            "unknown_variant",
        ),
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"nope","variant":"sms","trials":10,"conversions":1}"#,
            "unknown_experiment",
        ),
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":1e400,"conversions":1}"#,
            "invalid_json",
        ),
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":99999999999999999999,"conversions":1}"#,
            "invalid_json",
        ),
        (
            r#"{"block":"ab","type":"RegisterVariant","experiment":"contact-channel","variant":"sms","kind":"channel"}"#,
            "duplicate_variant",
        ),
        (
            r#"{"block":"ab","type":"RegisterVariant","experiment":"","variant":"x","kind":"channel"}"#,
            "invalid_name",
        ),
        (
            r#"{"block":"ab","type":"RegisterVariant","experiment":"e","variant":"x","kind":"channel","weight":-1}"#,
            "invalid_number",
        ),
        (
            r#"{"block":"ab","type":"RegisterVariant","experiment":"e","variant":"x","kind":"pigeon"}"#,
            "invalid_json",
        ),
        (
            r#"{"block":"promotion","type":"RegisterScript","script":"warm-open","body":"x"}"#,
            "duplicate_script",
        ),
        (
            r#"{"block":"promotion","type":"RegisterScript","script":" ","body":"x"}"#,
            "invalid_name",
        ),
        (
            r#"{"block":"promotion","type":"EvaluateScript","script":"ghost"}"#,
            "unknown_script",
        ),
        (
            r#"{"block":"promotion","type":"EvaluateScript","script":"warm-open","trials":-1,"conversions":0}"#,
            "invalid_count",
        ),
        (
            r#"{"block":"promotion","type":"AddScriptVersion","script":"warm-open","body":""}"#,
            "empty_body",
        ),
        (
            r#"{"block":"promotion","type":"RetireScript","script":"ghost","reason":"x"}"#,
            "unknown_script",
        ),
        (
            r#"{"block":"packets","type":"BuildPacket","lead":{"name":"","value":1}}"#,
            "invalid_name",
        ),
        (
            r#"{"block":"packets","type":"BuildPacket","lead":{"name":"A","value":-1}}"#,
            "invalid_number",
        ),
        (
            r#"{"block":"packets","type":"BuildPacket","lead":{"name":"A","value":1},"scripts":["ghost"]}"#,
            "unknown_script",
        ),
        (
            r#"{"block":"packets","type":"AddTemplate","name":"t","body":"{{oops"}"#,
            "invalid_template",
        ),
        (
            r#"{"block":"ingest","type":"AddSource","source":" ZILLOW "}"#,
            "duplicate_source",
        ),
        (
            r#"{"block":"ingest","type":"RemoveSource","source":"ghost"}"#,
            "unknown_source",
        ),
        (
            r#"{"block":"ingest","type":"SuspendSource","source":"redfin"}"#,
            "source_suspended",
        ),
        (
            r#"{"block":"ingest","type":"IngestData","source":"   ","payload":"x"}"#,
            "invalid_name",
        ),
        (
            r#"{"block":"models","type":"RegisterModel","model_id":"lead-scorer","name":"x"}"#,
            "duplicate_model",
        ),
        (
            r#"{"block":"models","type":"ProposeUpdate","model_id":"ghost","version":"1.0.0","strategy":"incremental","accuracy":0.9}"#,
            "unknown_model",
        ),
        (
            r#"{"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"9.0.0","strategy":"incremental","accuracy":1.5}"#,
            "accuracy_out_of_range",
        ),
        (
            r#"{"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"1.0.0","strategy":"incremental","accuracy":0.9}"#,
            "duplicate_version",
        ),
        (
            r#"{"block":"readiness","type":"AssessClone","clone_id":"c","factors":{"accuracy":2,"confidence":0.5,"consistency":0.5,"robustness":0.5}}"#,
            "factor_out_of_range",
        ),
        (
            r#"{"block":"readiness","type":"AssessClone","clone_id":"","factors":{"accuracy":0.5,"confidence":0.5,"consistency":0.5,"robustness":0.5}}"#,
            "empty_id",
        ),
        (
            r#"{"block":"readiness","type":"AssessClone","clone_id":"c","model_id":"lead-scorr","factors":{"accuracy":0.5,"confidence":0.5,"consistency":0.5,"robustness":0.5}}"#,
            "unknown_reference",
        ),
        (
            r#"{"block":"readiness","type":"AssessClone","clone_id":"c","experiment_id":"no-such-test","factors":{"accuracy":0.5,"confidence":0.5,"consistency":0.5,"robustness":0.5}}"#,
            "unknown_reference",
        ),
        (
            r#"{"block":"gates","type":"EvaluateGates","clone_id":""}"#,
            "invalid_name",
        ),
        (
            r#"{"block":"gates","type":"EvaluateGates","clone_id":"clone-alpha","model_id":"ghost"}"#,
            "unknown_model",
        ),
        (
            r#"{"block":"gates","type":"EvaluateGates","clone_id":"clone-alpha","experiment_id":"ghost"}"#,
            "unknown_experiment",
        ),
        (
            r#"{"block":"policy","type":"SetPolicy","policy":{"promotion":{"min_sample":10,"testing_rate":0.5,"primary_rate":0.1,"demote_rate":0.01,"consecutive":2,"estimate":"point","alpha":0.05}}}"#,
            "invalid_policy",
        ),
        (
            r#"{"block":"policy","type":"SetPolicy","policy":{"readiness":{"weights":{"accuracy":0.5,"confidence":0.5,"consistency":0.5,"robustness":0.5},"ready_threshold":0.8}}}"#,
            "invalid_policy",
        ),
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":1,"conversions":0,"actor":""}"#,
            "invalid_actor",
        ),
        (r#"{"block":"nope","type":"X"}"#, "invalid_json"),
        (r#"not json"#, "invalid_json"),
        (
            r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":10,"conversions":-3}"#,
            "invalid_count",
        ),
        (
            r#"{"block":"packets","type":"AddTemplate","name":" ","body":"x"}"#,
            "invalid_name",
        ),
        (
            r#"{"block":"ingest","type":"AddSource","source":""}"#,
            "invalid_name",
        ),
        (
            r#"{"block":"outcomes","type":"DefineSeries","series_id":"accuracy/lead-scorer","metric":"accuracy"}"#,
            "duplicate_series",
        ),
        (
            r#"{"block":"outcomes","type":"DefineSeries","series_id":"","metric":"accuracy"}"#,
            "empty",
        ),
        (
            r#"{"block":"outcomes","type":"RecordOutcome","series_id":"ghost","outcome_id":"x","value":1}"#,
            "unknown_series",
        ),
        (
            r#"{"block":"outcomes","type":"RecordOutcome","series_id":"accuracy/lead-scorer","outcome_id":"week-1","value":0.9}"#,
            "duplicate_outcome",
        ),
        (
            r#"{"block":"outcomes","type":"RecordOutcome","series_id":"accuracy/lead-scorer","outcome_id":"w","value":1e300}"#,
            "value_out_of_range",
        ),
        (
            r#"{"block":"outcomes","type":"SetBaseline","series_id":"ghost","baseline":0.5}"#,
            "unknown_series",
        ),
        (
            r#"{"block":"outcomes","type":"AssessDrift","series_id":"accuracy/lead-scorer","reference":[],"current":[0.5]}"#,
            "empty_sample",
        ),
        (
            r#"{"block":"outcomes","type":"AcknowledgeAlert","alert_id":"alert-99"}"#,
            "unknown_alert",
        ),
        (
            r#"{"block":"outcomes","type":"ResolveAlert","alert_id":"alert-99","note":"x"}"#,
            "unknown_alert",
        ),
        (
            r#"{"block":"models","type":"RecordAccuracy","model_id":"lead-scorer","version":"9.9.9","accuracy":0.9}"#,
            "unknown_version",
        ),
        (
            r#"{"block":"models","type":"PromoteVersion","model_id":"lead-scorer","version":"9.9.9"}"#,
            "unknown_version",
        ),
        (
            r#"{"block":"models","type":"RollBack","model_id":"lead-scorer","reason":""}"#,
            "empty",
        ),
        (
            r#"{"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"not-a-version","strategy":"incremental","accuracy":0.9}"#,
            "invalid_json",
        ),
        (
            r#"{"block":"audit","type":"TakeSnapshot","actor":""}"#,
            "invalid_actor",
        ),
        (
            r#"{"block":"policy","type":"SetSeed","seed":-1}"#,
            "invalid_json",
        ),
    ];
    for (json, code) in cases {
        check_refused(json, code);
    }
}

#[test]
fn nan_and_infinity_never_enter_the_state() {
    let mut brain = demo();
    let before = brain.state_hash();
    let at = later(&brain);
    let nan_cmds = [
        Command::Ab(ab::Command::RegisterVariant {
            experiment: "e".into(),
            variant: "v".into(),
            kind: ab::VariantKind::Script,
            weight: f64::NAN,
        }),
        Command::Ab(ab::Command::RegisterVariant {
            experiment: "e".into(),
            variant: "v".into(),
            kind: ab::VariantKind::Script,
            weight: f64::INFINITY,
        }),
        Command::Packets(packets::Command::BuildPacket {
            lead: packets::Lead {
                name: "A".into(),
                value: f64::NAN,
                terms: String::new(),
                source: String::new(),
                fields: Default::default(),
            },
            scripts: None,
            channels: None,
        }),
        Command::Models(models::Command::ProposeUpdate {
            model_id: "lead-scorer".into(),
            version: Some(semver::Version::new(7, 0, 0)),
            bump: None,
            parent: None,
            strategy: models::Strategy::Incremental,
            accuracy: f64::NAN,
            created_by: None,
        }),
        Command::Readiness(readiness::Command::AssessClone {
            clone_id: "c".into(),
            factors: readiness::Factors {
                accuracy: f64::INFINITY,
                confidence: 0.5,
                consistency: 0.5,
                robustness: 0.5,
            },
            model_id: None,
            experiment_id: None,
        }),
    ];
    for cmd in nan_cmds {
        assert!(brain.execute(Envelope::new(at, cmd)).is_err());
        assert_eq!(brain.state_hash(), before);
    }
    let mut bad_policy = Policy::default();
    bad_policy.gates.srm_alpha = f64::NAN;
    let set = Command::Policy(policy::Command::SetPolicy {
        policy: policy::PolicyPatch::full(&bad_policy),
        reason: None,
    });
    assert_eq!(
        brain.execute(Envelope::new(at, set)).map_err(|e| e.code()),
        Err("invalid_policy")
    );
    assert_eq!(brain.state_hash(), before);
}

#[test]
fn commands_must_come_in_time_order() {
    let mut brain = demo();
    let before = brain.state_hash();
    let cmd = Command::Ingest(ingest::Command::IngestData {
        source: "zillow".into(),
        payload: "{}".into(),
    });
    let result = brain.execute(Envelope::new(t0(), cmd));
    assert_eq!(result.map_err(|e| e.code()), Err("time_backwards"));
    assert_eq!(brain.state_hash(), before);
}

#[test]
fn replay_of_the_events_reproduces_the_state_byte_for_byte() {
    let brain = demo();
    let replayed = Brain::replay(brain.events());
    assert_eq!(replayed.state_hash(), brain.state_hash());
    assert_eq!(Brain::replay_hash(None, brain.events()), brain.state_hash());
    let a = serde_json::to_string(brain.state()).unwrap_or_default();
    let b = serde_json::to_string(replayed.state()).unwrap_or_default();
    assert_eq!(a, b);
    // And from JSON events.
    let json = serde_json::to_string(brain.events()).unwrap_or_default();
    let events: Vec<Event> = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(Brain::replay(&events).state_hash(), brain.state_hash());
}

#[test]
fn ids_are_derived_from_the_log_so_a_rerun_gives_the_same_ids() {
    let a = demo();
    let b = demo();
    let ids = |x: &Brain| x.packets().iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(ids(&a).len(), 2);
    assert_ne!(ids(&a).first(), ids(&a).get(1));
}

#[test]
fn architecture_examples_parse() {
    let doc = include_str!("../../ARCHITECTURE-core.md");
    let lines: Vec<&str> = doc.lines().filter(|l| l.starts_with("{\"at\"")).collect();
    assert!(lines.len() >= 28, "{}", lines.len());
    let mut actions = BTreeSet::new();
    for line in lines {
        let env: Result<Envelope, _> = serde_json::from_str(line);
        match env {
            Ok(env) => {
                actions.insert(env.command.action());
            }
            Err(e) => panic!("{line}: {e}"),
        }
    }
    // One example per command.
    assert_eq!(actions.len(), 39, "{actions:?}");
}

#[test]
fn envelope_json_is_flat_and_round_trips() {
    let json = r#"{"at":"2026-03-02T09:00:00Z","actor":"ops","block":"ab","type":"RecordCounts","experiment":"e","variant":"A","trials":100,"conversions":12}"#;
    let env: Result<Envelope, _> = serde_json::from_str(json);
    let env = env.ok();
    assert_eq!(
        env.as_ref().map(|e| &e.command),
        Some(&Command::Ab(ab::Command::RecordCounts {
            experiment: "e".into(),
            variant: "A".into(),
            trials: 100,
            conversions: 12
        }))
    );
    // Schema 3's `experiment` is read; the id is written as `experiment_id`.
    let back: serde_json::Value = serde_json::to_value(&env).unwrap_or_default();
    let orig: serde_json::Value =
        serde_json::from_str(&json.replace(r#""experiment""#, r#""experiment_id""#))
            .unwrap_or_default();
    assert_eq!(back, orig);
    let again: Result<Envelope, _> = serde_json::from_value(back);
    assert_eq!(again.ok(), env);
}

#[test]
fn snapshots_round_trip_and_newer_versions_are_refused() {
    let brain = demo();
    let json = brain.to_snapshot_json();
    let loaded = Brain::from_snapshot_json(&json);
    assert_eq!(
        loaded.as_ref().map(|b| b.state_hash()).ok(),
        Some(brain.state_hash())
    );
    assert_eq!(loaded.map(|b| b.log().len()).ok(), Some(brain.log().len()));
    let newer = r#"{"schema_version":99,"state":{}}"#;
    assert_eq!(
        Brain::from_snapshot_json(newer).map_err(|e| e.code()).err(),
        Some("unsupported_schema")
    );
}

#[test]
fn a_v0_snapshot_is_migrated() {
    // Given a hand-written v0 snapshot (no logs, `min_trials`, no seed).
    let v0 = r#"{
      "schema_version": 0,
      "state": {
        "policy": {"promotion": {"min_trials": 50, "testing_rate": 0.05, "primary_rate": 0.1,
                    "demote_rate": 0.03, "consecutive": 3, "estimate": "point", "alpha": 0.05}},
        "position": 0,
        "last_at": null,
        "ab": {"experiments": {"subject": {"kind": "script", "order": ["A"], "variants": {
            "A": {"kind": "script", "weight": 1.0, "trials": 10, "conversions": 2,
                  "registered_at": "2025-12-01T00:00:00Z"}}}}},
        "promotion": {"scripts": {}}, "packets": {"packets": [], "templates": {}},
        "ingest": {"sources": {}}, "models": {"models": {}}, "readiness": {"clones": {}},
        "gates": {"decisions": [], "promoted": []}, "audit": {"entries": [], "snapshots": []}
      }
    }"#;
    // When loaded, then it is v1 with the renamed field and the data kept.
    let brain = Brain::from_snapshot_json(v0);
    let brain = match brain {
        Ok(b) => b,
        Err(e) => panic!("migration failed: {e}"),
    };
    assert_eq!(brain.policy().promotion.min_sample, 50);
    assert_eq!(
        brain.experiment("subject").map(|r| r.variants.len()),
        Some(1)
    );
    assert_eq!(brain.snapshot().schema_version, SCHEMA_VERSION);
    // And verification replays from the migrated origin.
    let report = brain.verify();
    assert_eq!(
        report.check("replay_reproduces_state").map(|c| c.status),
        Some(crate::verify::Status::Pass)
    );
}

#[test]
fn what_if_lists_every_decision_that_differs() {
    let brain = demo();
    let mut strict = Policy::default();
    strict.promotion.primary_rate = 0.5;
    strict.ingest.allowed_sources.push("craigslist".into());
    strict.gates.min_accuracy = 0.95;
    strict.models.max_accuracy_drop = 0.2;
    let report = brain.what_if(&strict);
    let report = match report {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let kinds: Vec<crate::whatif::Kind> = report.differences.iter().map(|d| d.kind).collect();
    use crate::whatif::Kind;
    for k in [
        Kind::Promotion,
        Kind::Ingestion,
        Kind::Gate,
        Kind::ModelUpdate,
    ] {
        assert!(
            kinds.contains(&k),
            "{k:?} missing from {:?}",
            report.differences
        );
    }
    let gate = report.differences.iter().find(|d| d.kind == Kind::Gate);
    assert_eq!(
        gate.map(|d| (d.original.outcome.as_str(), d.alternative.outcome.as_str())),
        Some(("PROMOTE", "BLOCK"))
    );
    assert!(gate
        .map(|d| d.alternative.reason.contains("minimum 0.950"))
        .unwrap_or(false));
    // The same policy changes nothing.
    assert_eq!(
        brain
            .what_if(&Policy::default())
            .map(|r| r.differences.len())
            .ok(),
        Some(0)
    );
}

#[test]
fn a_policy_change_is_a_command_and_is_audited() {
    let mut brain = demo();
    let mut p = Policy::default();
    p.readiness.ready_threshold = 0.9;
    let at = later(&brain);
    let result = brain.execute(
        Envelope::new(
            at,
            Command::Policy(policy::Command::SetPolicy {
                policy: policy::PolicyPatch::full(&p),
                reason: None,
            }),
        )
        .by("cfo"),
    );
    assert!(result.is_ok());
    assert_eq!(brain.policy().readiness.ready_threshold, 0.9);
    let entries = brain.audit_query(&audit::Query {
        action: Some("SetPolicy".into()),
        ..Default::default()
    });
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries.first().and_then(|e| e.actor.clone()),
        Some("cfo".into())
    );
    assert_eq!(
        Brain::replay(brain.events()).state_hash(),
        brain.state_hash()
    );
}

#[test]
fn verification_catches_a_tampered_snapshot() {
    let brain = demo();
    // Given the snapshot with one audit entry's detail edited.
    let json = brain.to_snapshot_json();
    let start = json.find("\"entries\":[").unwrap_or(0);
    let (head, tail) = json.split_at(start);
    let json = format!("{head}{}", tail.replacen("mis-scored", "mis-rated", 1));
    let tampered = Brain::from_snapshot_json(&json);
    let report = tampered.map(|b| b.verify());
    let failing: Vec<String> = report
        .map(|r| {
            r.checks
                .into_iter()
                .filter(|c| c.status == crate::verify::Status::Fail)
                .map(|c| c.name)
                .collect()
        })
        .unwrap_or_default();
    assert!(
        failing.contains(&"audit_chain_intact".to_string()),
        "{failing:?}"
    );
    assert!(brain.verify().checks.len() >= 12);
}

#[test]
fn refused_guarded_actions_are_recorded_and_audited() {
    let brain = demo();
    let refused = brain.audit_query(&audit::Query::default());
    let refused: Vec<&audit::Entry> = refused
        .iter()
        .filter(|e| e.outcome == audit::Outcome::Refused)
        .collect();
    let subjects: Vec<&str> = refused.iter().map(|e| e.subject.as_str()).collect();
    assert!(subjects.contains(&"source/craigslist"), "{subjects:?}");
    assert!(subjects.contains(&"model/lead-scorer"));
    assert!(subjects.contains(&"clone/clone-beta"));
    let blocked = brain
        .sources()
        .into_iter()
        .find(|s| s.source == "craigslist");
    assert_eq!(blocked.map(|s| (s.accepted, s.blocked)), Some((0, 1)));
}

#[test]
fn an_outcome_recorded_without_an_id_gets_one_from_the_log_deterministically() {
    let record = |brain: &mut Brain| {
        let json = serde_json::json!({
            "at": later(brain), "block": "outcomes", "type": "RecordOutcome",
            "series_id": "accuracy/lead-scorer", "value": 0.9
        });
        brain.execute_json(&json.to_string()).map_err(|e| e.code())
    };
    let ids = |brain: &Brain| -> Vec<String> {
        brain
            .state()
            .outcomes
            .series
            .get("accuracy/lead-scorer")
            .map(|s| s.outcomes.iter().map(|o| o.outcome_id.clone()).collect())
            .unwrap_or_default()
    };
    let mut a = demo();
    let mut b = demo();
    for brain in [&mut a, &mut b] {
        assert!(record(brain).is_ok());
        assert!(record(brain).is_ok());
    }
    let (got, again) = (ids(&a), ids(&b));
    let assigned: Vec<&String> = got.iter().filter(|id| id.starts_with("outcome-")).collect();
    assert_eq!(assigned.len(), 2, "{got:?}");
    assert_ne!(assigned[0], assigned[1]);
    // The same log gives the same ids.
    assert_eq!(got, again);
    assert_eq!(a.state_hash(), b.state_hash());
}
