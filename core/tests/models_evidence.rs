//! The models block's evidence rule end to end: its p-values are the statsmodels
//! two-proportion z-test's (the fixture `stats_z_test.json`, written by
//! `scripts/fixtures/gen_stats.py`), an open regression alert on the challenger refuses its
//! promotion through the whole brain, and an override is audited as one.

use brain_core::brain::{Brain, Envelope};
use brain_core::models::{self, ArmCounts, EvidencePolicy, SemVer, Status, Strategy, Verdict};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Relative tolerance on p-values against statsmodels (the stats tests use the same).
const TOLERANCE: f64 = 1e-6;

fn version(v: &str, evidence: Option<models::Evidence>) -> models::Version {
    models::Version {
        version: SemVer::parse(v).unwrap_or_else(|e| panic!("{v}: {e}")),
        parent: None,
        strategy: Strategy::Incremental,
        accuracy: 0.5,
        status: Status::Challenger,
        proposed_at: DateTime::<Utc>::UNIX_EPOCH,
        metrics: BTreeMap::new(),
        metadata: BTreeMap::new(),
        evidence,
        created_by: None,
    }
}

fn arm(v: &Value) -> ArmCounts {
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"));
    ArmCounts {
        correct: n("conversions"),
        total: n("n"),
    }
}

#[test]
fn the_evidence_p_value_is_the_statsmodels_z_test_p_value() {
    let path = format!(
        "{}/tests/fixtures/stats_z_test.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    assert!(cases.len() >= 500, "only {} cases", cases.len());
    let champion = version("1.0.0", None);
    let mut checked = 0;
    for case in &cases {
        let (a, b) = (arm(&case["a"]), arm(&case["b"]));
        let alpha = case["alpha"].as_f64().unwrap_or(0.05);
        let evidence = models::Evidence {
            champion: champion.version.clone(),
            champion_arm: a,
            challenger_arm: b,
            windows: 1,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let rule = EvidencePolicy {
            max_p_value: alpha,
            ..EvidencePolicy::default()
        };
        let got = models::assess(&version("1.1.0", Some(evidence)), &champion, &rule, &[]);
        let want = case["pValue"].as_f64().unwrap_or(f64::NAN);
        let p = got
            .p_value
            .unwrap_or_else(|| panic!("no p-value for {case}"));
        assert!(
            (p - want).abs() <= TOLERANCE * want.abs().max(f64::MIN_POSITIVE) || p == want,
            "p {p}, statsmodels {want} for {case}"
        );
        // The verdict follows the p-value: significant at alpha or a reason says not.
        let says_not = got.reasons.iter().any(|r| r.starts_with("p-value"));
        assert_eq!(says_not, p >= alpha, "{case}: {:?}", got.reasons);
        if got.verdict == Verdict::Promote {
            assert!(a.total >= 1_000 && b.total >= 1_000 && p < alpha);
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minute)
}

/// Executes JSON commands a minute apart as `ops`; returns each command's events as JSON.
fn run(brain: &mut Brain, commands: &[Value]) -> Vec<Vec<Value>> {
    commands
        .iter()
        .map(|c| {
            let minute = brain.log().len() as i64;
            let mut env = c.clone();
            env["at"] = json!(at(minute));
            env["actor"] = json!("ops");
            let env: Envelope = serde_json::from_value(env).unwrap_or_else(|e| panic!("{c}: {e}"));
            brain
                .execute(env)
                .unwrap_or_else(|e| panic!("{c}: {e}"))
                .iter()
                .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

fn models_cmd(body: Value) -> Value {
    let mut v = body;
    v["block"] = json!("models");
    v
}

/// A champion 1.0.0, a challenger 1.1.0 with passing evidence.
fn challenger_with_evidence() -> Brain {
    let mut brain = Brain::new();
    run(
        &mut brain,
        &[
            models_cmd(json!({"type": "RegisterModel", "model_id": "m1", "name": "Scorer"})),
            models_cmd(
                json!({"type": "ProposeUpdate", "model_id": "m1", "version": "1.0.0",
                "strategy": "full_retrain", "accuracy": 0.8}),
            ),
            models_cmd(
                json!({"type": "ProposeUpdate", "model_id": "m1", "version": "1.1.0",
                "strategy": "incremental", "accuracy": 0.82}),
            ),
            models_cmd(
                json!({"type": "RecordArmEvidence", "model_id": "m1", "version": "1.1.0",
                "champion": {"correct": 800, "total": 1000},
                "challenger": {"correct": 850, "total": 1000}}),
            ),
        ],
    );
    brain
}

#[test]
fn an_open_regression_alert_on_the_challenger_refuses_its_promotion() {
    let mut brain = challenger_with_evidence();
    // A series measuring 1.1.0 itself falls from 0.12 to 0.08: a regression alert opens.
    let mut commands = vec![json!({"block": "outcomes", "type": "DefineSeries",
        "series_id": "close/m1@1.1.0", "metric": "close_rate", "subject": "m1@1.1.0"})];
    for (i, value) in [
        0.12, 0.13, 0.12, 0.12, 0.13, 0.12, 0.12, 0.08, 0.08, 0.07, 0.08, 0.08, 0.07, 0.08,
    ]
    .iter()
    .enumerate()
    {
        commands.push(json!({"block": "outcomes", "type": "RecordOutcome",
            "series_id": "close/m1@1.1.0", "outcome_id": format!("d{i}"), "value": value}));
    }
    run(&mut brain, &commands);
    let alerts: Vec<String> = brain
        .state()
        .outcomes
        .open_regression_alerts_for("m1@1.1.0")
        .iter()
        .map(|a| a.alert_id.clone())
        .collect();
    assert!(!alerts.is_empty(), "the series raised a regression alert");
    let assessment = brain
        .model_assessment("m1", &SemVer::new(1, 1, 0))
        .expect("a challenger with a champion");
    assert_eq!(assessment.critical_alerts, alerts);
    assert_eq!(assessment.verdict, Verdict::Hold);

    let events = run(
        &mut brain,
        &[models_cmd(
            json!({"type": "PromoteVersion", "model_id": "m1", "version": "1.1.0"}),
        )],
    );
    let refusal = &events[0][0];
    assert_eq!(refusal["type"], "PromotionRefused");
    assert_eq!(
        refusal["reasons"],
        json!([format!("critical alert {} is open on 1.1.0", alerts[0])])
    );
    let entry = brain
        .state()
        .audit
        .entries
        .last()
        .cloned()
        .expect("audited");
    assert_eq!(entry.outcome, brain_core::audit::Outcome::Refused);

    // The override promotes, and the audit says it was one and what it bypassed.
    run(
        &mut brain,
        &[models_cmd(
            json!({"type": "OverridePromotion", "model_id": "m1", "version": "1.1.0",
            "reason": "the alert is a data outage, not the model"}),
        )],
    );
    let entry = brain
        .state()
        .audit
        .entries
        .last()
        .cloned()
        .expect("audited");
    assert_eq!(entry.action, "OverridePromotion");
    assert_eq!(entry.actor.as_deref(), Some("ops"));
    assert_eq!(
        entry.detail,
        format!(
            "override: promoted 1.1.0: the alert is a data outage, not the model; bypassed: critical alert {} is open on 1.1.0",
            alerts[0]
        )
    );
    assert_eq!(
        brain
            .state()
            .models
            .champion("m1")
            .map(|v| v.version.to_string()),
        Some("1.1.0".to_string())
    );
}

#[test]
fn without_an_alert_the_same_evidence_promotes_and_the_log_replays_to_the_same_state() {
    let mut brain = challenger_with_evidence();
    let events = run(
        &mut brain,
        &[models_cmd(
            json!({"type": "PromoteVersion", "model_id": "m1", "version": "1.1.0"}),
        )],
    );
    assert_eq!(events[0][0]["type"], "VersionPromoted");
    let mut again = Brain::new();
    for env in brain.log() {
        again.execute(env.clone()).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(again.state_hash(), brain.state_hash());
}
