//! The models block's evidence rule end to end: its p-values are the statsmodels
//! two-proportion z-test's (the fixture `stats_z_test.json`, written by
//! `scripts/fixtures/gen_stats.py`), a continuous metric's are gbstats' Welch t-test's
//! (`stats_mean.json`, the same script), a metric's evidence promotes or holds through the
//! whole brain, an open regression alert on the challenger refuses its
//! promotion through the whole brain, and an override is audited as one.

use brain_core::brain::{Brain, Envelope};
use brain_core::models::{
    self, ArmCounts, EvidencePolicy, MeanArm, MetricEvidence, SemVer, Status, Strategy, Verdict,
};
use brain_core::outcomes::Direction;
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
        metric_evidence: None,
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

fn fixture(name: &str) -> Vec<Value> {
    let path = format!(
        "{}/tests/fixtures/stats_{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    doc["cases"].as_array().cloned().unwrap_or_default()
}

fn mean_arm(v: &Value) -> MeanArm {
    MeanArm {
        n: v["n"].as_u64().unwrap_or_else(|| panic!("n in {v}")),
        sum: v["sum"].as_f64().unwrap_or(f64::NAN),
        sum_squares: v["sumSquares"].as_f64().unwrap_or(f64::NAN),
    }
}

/// `got` within `TOLERANCE` of `want`, relative (absolute below 1e-12, for lifts near 0).
fn near(what: &str, got: Option<f64>, want: &Value, case: &Value) {
    let want = want.as_f64().unwrap_or(f64::NAN);
    let got = got.unwrap_or_else(|| panic!("no {what} for {case}"));
    assert!(
        (got - want).abs() <= TOLERANCE * want.abs().max(1e-12),
        "{what} {got}, gbstats {want} for {case}"
    );
}

#[test]
fn metric_evidence_is_tested_as_gbstats_welch_t_test_in_either_direction() {
    let cases = fixture("mean");
    assert!(cases.len() >= 500, "only {} cases", cases.len());
    let champion = version("1.0.0", None);
    for case in &cases {
        let alpha = case["alpha"].as_f64().unwrap_or(0.05);
        let rule = EvidencePolicy {
            max_p_value: alpha,
            ..EvidencePolicy::default()
        };
        for direction in [Direction::HigherIsBetter, Direction::LowerIsBetter] {
            let evidence = MetricEvidence {
                metric: "deal_value".into(),
                direction,
                champion: champion.version.clone(),
                champion_arm: mean_arm(&case["a"]),
                challenger_arm: mean_arm(&case["b"]),
                windows: 1,
                updated_at: DateTime::<Utc>::UNIX_EPOCH,
            };
            let mut challenger = version("1.1.0", None);
            challenger.metric_evidence = Some(evidence);
            let got = models::assess(&challenger, &champion, &rule, &[]);
            near("p-value", got.p_value, &case["pValueExact"], case);
            // Lower is better: the improvement is the opposite lift, its interval mirrored.
            let (lift, low, high) = match direction {
                Direction::HigherIsBetter => (got.lift, got.lift_ci_low, got.lift_ci_high),
                _ => (
                    got.lift.map(|x| -x),
                    got.lift_ci_high.map(|x| -x),
                    got.lift_ci_low.map(|x| -x),
                ),
            };
            near("lift", lift, &case["lift"], case);
            near("ci low", low, &case["ciLow"], case);
            near("ci high", high, &case["ciHigh"], case);
            let p = got.p_value.unwrap_or(f64::NAN);
            let says_not = got.reasons.iter().any(|r| r.starts_with("p-value"));
            assert_eq!(says_not, p >= alpha, "{case}: {:?}", got.reasons);
            let improvement = got.lift.unwrap_or(f64::NAN);
            if got.verdict == Verdict::Promote {
                assert!(p < alpha && improvement >= 0.02, "{case}: {got:?}");
            }
            let m = got.metric.as_ref().expect("the metric tested");
            assert_eq!((m.metric.as_str(), m.direction), ("deal_value", direction));
        }
    }
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

#[test]
fn a_metric_where_lower_is_better_promotes_the_faster_challenger_through_the_brain() {
    let mut brain = Brain::new();
    // Latency in ms: the champion 1,200 units at mean 100 (sd 10), the challenger 1,200 at
    // mean 90 (sd 10): 10% faster, p far below 0.05.
    let arm = |mean: f64| {
        json!({"n": 1200, "sum": 1200.0 * mean,
        "sum_squares": 1200.0 * (mean * mean + 100.0)})
    };
    let window = |champion: Value, challenger: Value| {
        models_cmd(
            json!({"type": "RecordMetricEvidence", "model_id": "m1", "version": "1.1.0",
            "metric": "latency_ms", "direction": "lower_is_better",
            "champion": champion, "challenger": challenger}),
        )
    };
    let promote =
        models_cmd(json!({"type": "PromoteVersion", "model_id": "m1", "version": "1.1.0"}));
    run(
        &mut brain,
        &[
            models_cmd(json!({"type": "RegisterModel", "model_id": "m1", "name": "Scorer"})),
            models_cmd(
                json!({"type": "ProposeUpdate", "model_id": "m1", "version": "1.0.0",
                "strategy": "full_retrain", "accuracy": 0.8}),
            ),
            models_cmd(
                json!({"type": "ProposeUpdate", "model_id": "m1", "bump": "minor",
                "strategy": "incremental", "accuracy": 0.8}),
            ),
        ],
    );
    // The challenger is slower (mean 110): held, with the reason in words.
    let held = run(
        &mut brain,
        &[window(arm(100.0), arm(110.0)), promote.clone()],
    );
    assert_eq!(held[1][0]["type"], "PromotionRefused");
    assert_eq!(
        held[1][0]["reasons"],
        json!(["relative improvement -10.00% of latency_ms is below the required 2%"])
    );
    assert_eq!(
        held[1][0]["assessment"]["metric"]["direction"],
        "lower_is_better"
    );
    // Another metric against the same champion is refused, state unchanged.
    let before = brain.state().clone();
    let mut other = window(arm(100.0), arm(90.0));
    other["metric"] = json!("cost");
    other["at"] = json!(at(50));
    let env: Envelope = serde_json::from_value(other).expect("envelope");
    let err = brain.execute(env).expect_err("one metric per champion");
    assert!(err.to_string().contains("latency_ms"), "{err}");
    assert_eq!(brain.state(), &before);
    // Two faster windows outweigh the slow one: 3,600 per arm, challenger mean 96.67.
    let promoted = run(
        &mut brain,
        &[
            window(arm(100.0), arm(90.0)),
            window(arm(100.0), arm(90.0)),
            promote,
        ],
    );
    assert_eq!(promoted[2][0]["type"], "VersionPromoted", "{promoted:?}");
    let model = brain.state().models.model("m1").expect("model");
    assert_eq!(model.champion, Some(SemVer::new(1, 1, 0)));
}
