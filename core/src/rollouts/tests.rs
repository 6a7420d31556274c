//! The rollouts block's rules, given / when / then, through the reducer (the block's
//! champion changes are the models block's events, which only the reducer adds), and the
//! routing properties.

use super::*;
use crate::{Brain, Event as BrainEvent};
use chrono::{Duration, TimeZone};
use proptest::prelude::*;
use serde_json::{json, Value};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A brain whose clock is `minute` minutes after `t0`, with one command per call.
struct Given {
    brain: Brain,
    minute: i64,
}

impl Given {
    /// Model `m`: 1.0.0 champion (0.90), then 1.1.0 challenger (0.91).
    fn model() -> Self {
        let mut g = Given {
            brain: Brain::new(),
            minute: 0,
        };
        g.ok(json!({"block":"models","type":"RegisterModel","model_id":"m","name":"M"}));
        g.ok(json!({"block":"models","type":"ProposeUpdate","model_id":"m","version":"1.0.0","strategy":"full_retrain","accuracy":0.9}));
        g.ok(json!({"block":"models","type":"ProposeUpdate","model_id":"m","version":"1.1.0","strategy":"incremental","accuracy":0.91}));
        g
    }

    /// And a rollout `r` of 1.1.0 with the default stages.
    fn rolling() -> Self {
        let mut g = Self::model();
        g.ok(json!({"block":"rollouts","type":"StartRollout","rollout_id":"r","model_id":"m","version":"1.1.0"}));
        g
    }

    fn run(&mut self, mut cmd: Value) -> Result<Vec<BrainEvent>, crate::BrainError> {
        self.minute += 1;
        let at = t0() + Duration::minutes(self.minute);
        cmd["at"] = json!(at.to_rfc3339());
        self.brain.execute_json(&cmd.to_string())
    }

    fn ok(&mut self, cmd: Value) -> Vec<BrainEvent> {
        let text = cmd.to_string();
        self.run(cmd).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn wait(&mut self, minutes: i64) {
        self.minute += minutes;
    }

    /// Good measurements for the current stage.
    fn good(&mut self, samples: u64) {
        self.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":samples,"errors":samples / 100,"metrics":{"accuracy":0.9,"latency_p95":200.0}}));
    }

    fn evaluate(&mut self) -> Vec<BrainEvent> {
        self.ok(json!({"block":"rollouts","type":"EvaluateRollout","rollout_id":"r"}))
    }

    /// Passes the current stage (enough time and good samples).
    fn pass_stage(&mut self) -> Vec<BrainEvent> {
        self.wait(1_440);
        self.good(5_000);
        self.evaluate()
    }

    fn rollout(&self) -> &Rollout {
        self.brain.state().rollouts.get("r").expect("rollout r")
    }

    fn champion(&self) -> String {
        self.brain
            .state()
            .models
            .champion("m")
            .map(|v| v.version.to_string())
            .unwrap_or_default()
    }
}

fn rollout_events(events: &[BrainEvent]) -> Vec<&Event> {
    events
        .iter()
        .filter_map(|e| match e {
            BrainEvent::Rollouts(r) => Some(r),
            _ => None,
        })
        .collect()
}

#[test]
fn a_rollout_starts_in_pilot_against_the_champion_with_the_policy_stages() {
    // Given a model with a champion and a challenger, when a rollout starts without stages,
    // then it runs Pilot 5% with 1.0.0 as baseline, and the champion is unchanged.
    let g = Given::rolling();
    let r = g.rollout();
    assert_eq!(r.status, Status::Running);
    assert_eq!(r.baseline.to_string(), "1.0.0");
    let names: Vec<_> = r
        .stages
        .iter()
        .map(|s| (s.name.as_str(), s.traffic))
        .collect();
    assert_eq!(
        names,
        [("Pilot", 0.05), ("Limited", 0.25), ("Production", 1.0)]
    );
    assert_eq!(r.traffic(), 0.05);
    assert_eq!(g.champion(), "1.0.0");
}

#[test]
fn an_omitted_rollout_id_is_derived_from_the_log_and_is_the_audit_subject() {
    let mut g = Given::model();
    let events =
        g.ok(json!({"block":"rollouts","type":"StartRollout","model_id":"m","version":"1.1.0"}));
    let id = rollout_events(&events)[0].rollout_id().to_string();
    assert_eq!(id.len(), 36, "a uuid: {id}");
    let entry = g.brain.state().audit.entries.last().expect("audited");
    assert_eq!(entry.subject, format!("rollout/{id}"));
    // The same log replayed gives the same id.
    let again = Brain::replay(g.brain.events());
    assert!(again.state().rollouts.get(&id).is_some());
}

#[test]
fn an_evaluation_holds_until_the_stage_minimums_are_met_and_says_what_is_missing() {
    let mut g = Given::rolling();
    g.good(40);
    let events = g.evaluate();
    match rollout_events(&events)[..] {
        [Event::RolloutHeld { reasons, stage, .. }] => {
            assert_eq!(stage, "Pilot");
            assert!(
                reasons.contains(&"60 more samples".to_string()),
                "{reasons:?}"
            );
            assert!(
                reasons.iter().any(|r| r.ends_with("more minutes")),
                "{reasons:?}"
            );
        }
        ref other => panic!("{other:?}"),
    }
    assert_eq!(g.rollout().stage, 0);
}

#[test]
fn an_evaluation_without_measurements_holds_rather_than_advances() {
    let mut g = Given::rolling();
    g.wait(120);
    g.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":500,"errors":0}));
    let events = g.evaluate();
    match rollout_events(&events)[..] {
        [Event::RolloutHeld { reasons, .. }] => {
            assert!(
                reasons
                    .iter()
                    .any(|r| r.starts_with("accuracy >= 0.85: not measured")),
                "{reasons:?}"
            );
        }
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn a_stage_that_meets_its_criteria_advances_with_a_checkpoint() {
    let mut g = Given::rolling();
    let events = g.pass_stage();
    assert!(matches!(
        rollout_events(&events)[..],
        [Event::StageAdvanced { to: 1, traffic, .. }] if *traffic == 0.25
    ));
    let r = g.rollout();
    assert_eq!(r.traffic(), 0.25);
    assert_eq!(r.checkpoints.len(), 1);
    assert_eq!(r.checkpoints[0].stage, "Pilot");
    assert_eq!(r.checkpoints[0].decision, "advanced");
    assert_eq!(r.checkpoints[0].measures.samples, 5_000);
    assert_eq!(r.current.samples, 0, "the new stage measures afresh");
    assert_eq!(
        g.champion(),
        "1.0.0",
        "Limited does not change the champion"
    );
}

#[test]
fn entering_production_makes_the_version_champion_and_completing_keeps_it() {
    let mut g = Given::rolling();
    g.pass_stage();
    let events = g.pass_stage();
    assert!(events.iter().any(|e| matches!(
        e,
        BrainEvent::Models(crate::models::Event::VersionPromoted { version, .. }) if version.to_string() == "1.1.0"
    )));
    assert_eq!(g.champion(), "1.1.0");
    let events = g.pass_stage();
    assert!(matches!(
        rollout_events(&events)[..],
        [Event::RolloutCompleted { .. }]
    ));
    assert_eq!(g.rollout().status, Status::Completed);
    assert_eq!(g.rollout().checkpoints.len(), 3);
    assert_eq!(g.champion(), "1.1.0");
    assert_eq!(g.brain.route("m", "anyone"), Some(Version::new(1, 1, 0)));
}

#[test]
fn a_breached_criterion_rolls_back_and_names_the_criterion_and_by_how_much() {
    let mut g = Given::rolling();
    g.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":100,"errors":9,"metrics":{"accuracy":0.80,"latency_p95":200.0}}));
    let events = g.evaluate();
    let [Event::RolloutRolledBack {
        breaches,
        reason,
        restores,
        ..
    }] = rollout_events(&events)[..]
    else {
        panic!("{events:?}");
    };
    assert!(!restores);
    let named: Vec<_> = breaches.iter().map(|b| b.criterion.as_str()).collect();
    assert_eq!(named, ["accuracy >= 0.85", "error rate <= 0.05"]);
    assert!((breaches[0].by - 0.05).abs() < 1e-9);
    assert!((breaches[1].by - 0.04).abs() < 1e-9);
    assert!(
        reason.contains("accuracy >= 0.85 breached: 0.8 (by 0.05)"),
        "{reason}"
    );
    assert_eq!(g.rollout().status, Status::RolledBack);
    assert_eq!(g.champion(), "1.0.0");
    assert_eq!(g.brain.route("m", "anyone"), Some(Version::new(1, 0, 0)));
    let entry = g.brain.state().audit.entries.last().expect("audited");
    assert!(
        entry.detail.contains("error rate <= 0.05 breached"),
        "{}",
        entry.detail
    );
}

#[test]
fn a_rollback_in_production_returns_the_model_to_its_previous_champion() {
    let mut g = Given::rolling();
    g.pass_stage();
    g.pass_stage();
    assert_eq!(g.champion(), "1.1.0");
    g.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":10,"errors":0,"metrics":{"accuracy":0.9,"latency_p95":900.0}}));
    let events = g.evaluate();
    assert!(events.iter().any(|e| matches!(
        e,
        BrainEvent::Models(crate::models::Event::RolledBack { from, to, .. })
            if from.to_string() == "1.1.0" && to.to_string() == "1.0.0"
    )));
    assert_eq!(g.champion(), "1.0.0");
    let reason = &g.rollout().reason;
    assert!(
        reason.contains("latency_p95 <= 500 breached: 900 (by 400)"),
        "{reason}"
    );
}

#[test]
fn an_open_regression_or_drift_alert_on_the_model_is_a_breach() {
    let mut g = Given::rolling();
    g.ok(json!({"block":"outcomes","type":"DefineSeries","series_id":"acc/m","metric":"accuracy","subject":"m","direction":"higher_is_better","baseline":0.9}));
    for (i, v) in [0.9, 0.9, 0.9, 0.9, 0.9, 0.6, 0.6, 0.6, 0.6, 0.6]
        .iter()
        .enumerate()
    {
        g.ok(json!({"block":"outcomes","type":"RecordOutcome","series_id":"acc/m","outcome_id":format!("w{i}"),"value":v}));
    }
    assert!(
        !g.brain.state().open_model_alerts("m").is_empty(),
        "the fixture raises an alert"
    );
    g.good(50);
    let events = g.evaluate();
    let [Event::RolloutRolledBack { breaches, .. }] = rollout_events(&events)[..] else {
        panic!("{events:?}");
    };
    assert!(
        breaches[0].criterion.starts_with("open alerts = 0 ("),
        "{breaches:?}"
    );
}

#[test]
fn pause_holds_the_share_resume_continues_and_abort_returns_to_the_baseline() {
    let mut g = Given::rolling();
    let before = g.brain.route_plan("m");
    g.ok(json!({"block":"rollouts","type":"PauseRollout","rollout_id":"r"}));
    assert_eq!(g.rollout().status, Status::Paused);
    assert_eq!(
        g.brain.route_plan("m"),
        before,
        "paused keeps the stage's routing"
    );
    let err = g.run(json!({"block":"rollouts","type":"EvaluateRollout","rollout_id":"r"}));
    assert_eq!(
        err.map_err(|e| e.code()).err(),
        Some("rollout_wrong_status")
    );
    g.ok(json!({"block":"rollouts","type":"ResumeRollout","rollout_id":"r"}));
    assert_eq!(g.rollout().status, Status::Running);
    g.ok(json!({"block":"rollouts","type":"AbortRollout","rollout_id":"r","reason":"customer complaint"}));
    assert_eq!(g.rollout().status, Status::Aborted);
    assert_eq!(g.rollout().reason, "customer complaint");
    assert_eq!(
        g.rollout().checkpoints.last().map(|c| c.decision.as_str()),
        Some("aborted")
    );
    assert_eq!(g.brain.route("m", "u"), Some(Version::new(1, 0, 0)));
}

#[test]
fn bad_rollout_commands_are_typed_errors_that_change_nothing() {
    let cases = [
        (
            json!({"block":"rollouts","type":"StartRollout","model_id":"nope","version":"1.1.0"}),
            "unknown_model",
        ),
        (
            json!({"block":"rollouts","type":"StartRollout","model_id":"m","version":"9.0.0"}),
            "unknown_version",
        ),
        (
            json!({"block":"rollouts","type":"StartRollout","model_id":"m","version":"1.0.0"}),
            "not_rollable",
        ),
        (
            json!({"block":"rollouts","type":"StartRollout","rollout_id":"r2","model_id":"m","version":"1.1.0"}),
            "already_rolling_out",
        ),
        (
            json!({"block":"rollouts","type":"StartRollout","rollout_id":"r","model_id":"m","version":"1.1.0"}),
            "duplicate_rollout",
        ),
        (
            json!({"block":"rollouts","type":"StartRollout","rollout_id":" ","model_id":"m","version":"1.1.0"}),
            "invalid_name",
        ),
        (
            json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"x","samples":1,"errors":0}),
            "unknown_rollout",
        ),
        (
            json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":-1,"errors":0}),
            "invalid_count",
        ),
        (
            json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":1,"errors":2}),
            "errors_exceed_samples",
        ),
        (
            json!({"block":"rollouts","type":"ResumeRollout","rollout_id":"r"}),
            "rollout_wrong_status",
        ),
        (
            json!({"block":"rollouts","type":"AbortRollout","rollout_id":"r","reason":"  "}),
            "invalid_name",
        ),
    ];
    for (cmd, code) in cases {
        let mut g = Given::rolling();
        let hash = g.brain.state_hash();
        let text = cmd.to_string();
        assert_eq!(g.run(cmd).map_err(|e| e.code()).err(), Some(code), "{text}");
        assert_eq!(g.brain.state_hash(), hash, "{text}");
    }
}

#[test]
fn given_stages_are_checked() {
    let stage = |name: &str, traffic: f64| json!({"name": name, "traffic": traffic});
    let cases = [
        json!([]),
        json!([stage("a", 0.5)]),
        json!([stage("a", 0.5), stage("b", 0.4), stage("c", 1.0)]),
        json!([stage("a", 0.5), stage("a", 1.0)]),
        json!([stage("a", 0.0), stage("b", 1.0)]),
        json!([{"name":"a","traffic":1.0,"criteria":{"max_error_rate":1.5}}]),
        json!([{"name":"a","traffic":1.0,"min_samples":2_000_000_000u64}]),
    ];
    for stages in cases {
        let mut g = Given::model();
        let text = stages.to_string();
        let got = g.run(json!({"block":"rollouts","type":"StartRollout","model_id":"m","version":"1.1.0","stages":stages}));
        assert_eq!(
            got.map_err(|e| e.code()).err(),
            Some("invalid_stages"),
            "{text}"
        );
    }
    // A single Production stage is valid: the version becomes champion at once.
    let mut g = Given::model();
    g.ok(json!({"block":"rollouts","type":"StartRollout","model_id":"m","version":"1.1.0","stages":[{"name":"all","traffic":1.0}]}));
    assert_eq!(g.champion(), "1.1.0");
}

#[test]
fn the_report_shows_stage_progress_criteria_values_and_the_next_decision() {
    let mut g = Given::rolling();
    g.wait(30);
    g.good(50);
    let report = g.brain.rollout("r").expect("report");
    assert_eq!(report.stage, "Pilot");
    // Half the samples, and 31 of 60 minutes: the lesser, over three stages.
    assert!(
        (report.progress - 0.5 / 3.0).abs() < 1e-9,
        "{}",
        report.progress
    );
    let accuracy = &report.criteria[0];
    assert_eq!(accuracy.criterion, "accuracy >= 0.85");
    assert_eq!(accuracy.value, Some(0.9));
    assert_eq!(accuracy.met, Some(true));
    assert!(
        report.next_decision.starts_with("hold: 50 more samples"),
        "{}",
        report.next_decision
    );
    assert_eq!(g.brain.rollouts().len(), 1);
}

#[test]
fn metrics_are_averaged_by_samples_within_a_stage() {
    let mut m = Measures::default();
    m.add(100, 1, &BTreeMap::from([("accuracy".to_string(), 0.9)]));
    m.add(300, 3, &BTreeMap::from([("accuracy".to_string(), 0.8)]));
    assert_eq!((m.samples, m.errors), (400, 4));
    assert!((m.metrics["accuracy"] - 0.825).abs() < 1e-12);
}

#[test]
fn routing_shares_match_the_stage_traffic_within_one_percent_over_100000_ids() {
    for (traffic, seed) in [(0.05, "r"), (0.25, "rollout-7"), (0.5, "x")] {
        let plan = RoutePlan {
            seed: seed.into(),
            traffic,
            candidate: Some(Version::new(2, 0, 0)),
            baseline: Some(Version::new(1, 0, 0)),
        };
        let n = 100_000;
        let new = (0..n)
            .filter(|i| plan.route(&format!("user-{i}")) == plan.candidate.as_ref())
            .count();
        let share = new as f64 / n as f64;
        assert!((share - traffic).abs() < 0.01, "{traffic}: {share}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_route_never_changes_while_the_stage_is_unchanged(
        units in proptest::collection::vec("[a-z0-9]{1,12}", 1..20),
        records in proptest::collection::vec((0u64..500, 0u64..5), 0..5),
    ) {
        let mut g = Given::rolling();
        let before: Vec<_> = units.iter().map(|u| g.brain.route("m", u)).collect();
        for (samples, errors) in records {
            g.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":samples,"errors":errors.min(samples)}));
            if g.rollout().stage == 0 && g.rollout().status == Status::Running {
                let now: Vec<_> = units.iter().map(|u| g.brain.route("m", u)).collect();
                prop_assert_eq!(&now, &before);
            }
        }
        g.ok(json!({"block":"rollouts","type":"PauseRollout","rollout_id":"r"}));
        let paused: Vec<_> = units.iter().map(|u| g.brain.route("m", u)).collect();
        prop_assert_eq!(&paused, &before);
    }

    #[test]
    fn a_unit_on_the_new_version_stays_on_it_as_the_share_grows(
        units in proptest::collection::vec("[a-z0-9]{1,12}", 1..50),
    ) {
        let mut g = Given::rolling();
        let pilot: Vec<_> = units.iter().map(|u| g.brain.route("m", u)).collect();
        g.pass_stage();
        for (u, was) in units.iter().zip(pilot) {
            if was == Some(Version::new(1, 1, 0)) {
                prop_assert_eq!(g.brain.route("m", u), was);
            }
        }
    }

    #[test]
    fn a_rollback_always_restores_a_previous_champion(
        steps in proptest::collection::vec((0u8..4, 0u64..6000, 0u64..20, 0.7f64..1.0, 0u32..800), 1..12),
    ) {
        let mut g = Given::rolling();
        let mut champions = vec![g.champion()];
        for (kind, samples, error_pct, accuracy, latency) in steps {
            if !g.rollout().status.is_active() {
                break;
            }
            let _ = match kind {
                0 => g.run(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":samples,"errors":samples * error_pct / 100,"metrics":{"accuracy":accuracy,"latency_p95":latency}})),
                1 => { g.wait(1_500); g.run(json!({"block":"rollouts","type":"EvaluateRollout","rollout_id":"r"})) }
                2 => g.run(json!({"block":"rollouts","type":"EvaluateRollout","rollout_id":"r"})),
                _ => g.run(json!({"block":"rollouts","type":"AbortRollout","rollout_id":"r","reason":"test"})),
            };
            let champion = g.champion();
            if !champions.contains(&champion) {
                champions.push(champion);
            }
        }
        let r = g.rollout().clone();
        if matches!(r.status, Status::RolledBack | Status::Aborted) {
            prop_assert_eq!(g.champion(), "1.0.0");
            prop_assert_eq!(g.brain.route("m", "u"), Some(Version::new(1, 0, 0)));
        }
        // The champion is always one the model had: the baseline, or the version once promoted.
        prop_assert!(["1.0.0", "1.1.0"].contains(&g.champion().as_str()));
        prop_assert_eq!(g.champion() == "1.1.0", r.promoted && !matches!(r.status, Status::RolledBack | Status::Aborted));
        prop_assert_eq!(g.brain.verify().status, crate::verify::Status::Pass, "{}", g.brain.verify().to_json());
    }
}

#[test]
fn verification_fails_when_a_version_that_failed_its_rollout_is_made_champion() {
    // Given a rollout rolled back in Pilot (1.1.0 is still the models block's challenger),
    // when an event log makes 1.1.0 champion anyway (the commands refuse to, so the event
    // is written into the log by hand), then verification names it.
    let mut g = Given::rolling();
    g.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":100,"errors":50}));
    g.evaluate();
    let check = |b: &Brain| {
        b.verify()
            .check("champions_passed_their_rollouts")
            .map(|c| (c.status, c.details.clone()))
    };
    assert_eq!(
        check(&g.brain).map(|c| c.0),
        Some(crate::verify::Status::Pass)
    );
    let mut events = g.brain.events().to_vec();
    events.push(BrainEvent::Models(crate::models::Event::VersionPromoted {
        model_id: "m".into(),
        version: Version::new(1, 1, 0),
        previous_champion: Some(Version::new(1, 0, 0)),
        at: t0() + Duration::days(1),
    }));
    let (status, details) = check(&Brain::replay(&events)).expect("check");
    assert_eq!(status, crate::verify::Status::Fail);
    assert!(
        details.contains("champion 1.1.0, which failed rollout r"),
        "{details}"
    );
}

/// Given a rollout of 1.1.0 that failed in Pilot (`how`: rolled back on errors, or aborted).
fn failed(how: &str) -> Given {
    let mut g = Given::rolling();
    if how == "aborted" {
        g.ok(json!({"block":"rollouts","type":"AbortRollout","rollout_id":"r","reason":"complaints"}));
    } else {
        g.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":100,"errors":50}));
        g.evaluate();
    }
    g
}

#[test]
fn a_promotion_of_a_version_that_failed_its_rollout_is_refused_with_the_rollout_named() {
    for how in ["rolled_back", "aborted"] {
        // Given 1.1.0 failed rollout r (it is still the models block's challenger), with
        // evidence that would pass the promotion rule,
        let mut g = failed(how);
        g.ok(json!({"block":"models","type":"RecordArmEvidence","model_id":"m","version":"1.1.0","champion":{"correct":800,"total":1000},"challenger":{"correct":850,"total":1000}}));
        // when it is promoted, then the promotion is refused and says which rollout,
        let events = g
            .ok(json!({"block":"models","type":"PromoteVersion","model_id":"m","version":"1.1.0"}));
        let [BrainEvent::Models(crate::models::Event::PromotionRefused { reasons, .. }), ..] =
            &events[..]
        else {
            panic!("{how}: {events:?}");
        };
        assert_eq!(
            reasons,
            &["1.1.0 failed rollout r: a version that failed its rollout never becomes champion"],
            "{how}"
        );
        // and the champion is unchanged.
        assert_eq!(g.champion(), "1.0.0", "{how}");
    }
}

#[test]
fn an_override_cannot_make_a_version_that_failed_its_rollout_champion() {
    for how in ["rolled_back", "aborted"] {
        let mut g = failed(how);
        let before = g.brain.state_hash();
        let err = g
            .run(json!({"block":"models","type":"OverridePromotion","model_id":"m","version":"1.1.0","reason":"forced by hand"}))
            .expect_err("refused");
        assert_eq!(err.code(), "failed_rollout", "{how}");
        assert!(err.to_string().contains("failed rollout r"), "{err}");
        assert_eq!(g.brain.state_hash(), before, "{how}: state unchanged");
        assert_eq!(g.champion(), "1.0.0");
    }
}

#[test]
fn a_version_whose_rollout_completed_or_is_running_is_not_held_back_by_the_rule() {
    // Given a rollout still running, an override promotes its version (the rule is about
    // failed rollouts only; the gates read a running rollout).
    let mut g = Given::rolling();
    g.ok(json!({"block":"models","type":"OverridePromotion","model_id":"m","version":"1.1.0","reason":"urgent fix"}));
    assert_eq!(g.champion(), "1.1.0");
}

#[test]
fn verification_fails_on_two_active_rollouts_of_a_model_or_a_share_out_of_range() {
    let mut g = Given::rolling();
    g.ok(json!({"block":"models","type":"ProposeUpdate","model_id":"m","version":"1.2.0","strategy":"shadow","accuracy":0.9}));
    let mut value: Value = serde_json::from_str(&g.brain.to_snapshot_json()).expect("json");
    let r = value["state"]["rollouts"]["rollouts"]["r"].clone();
    let mut second = r.clone();
    second["rolloutId"] = json!("r2");
    second["stages"][0]["traffic"] = json!(1.5);
    value["state"]["rollouts"]["rollouts"]["r2"] = second;
    let brain = Brain::from_snapshot_json(&value.to_string()).expect("loads");
    let report = brain.verify();
    for name in ["one_active_rollout_per_model", "rollout_shares_in_range"] {
        assert_eq!(
            report.check(name).map(|c| c.status),
            Some(crate::verify::Status::Fail),
            "{name}"
        );
    }
}

#[test]
fn the_gates_block_a_clone_whose_model_is_still_rolling_out_or_was_rolled_back() {
    let gate = |g: &mut Given| {
        g.ok(json!({"block":"readiness","type":"AssessClone","clone_id":"c","model_id":"m","factors":{"accuracy":0.95,"confidence":0.95,"consistency":0.95,"robustness":0.95}}));
        let events = g.ok(json!({"block":"gates","type":"EvaluateGates","clone_id":"c"}));
        let decision = crate::gates::decision_of(
            &events
                .iter()
                .filter_map(|e| match e {
                    BrainEvent::Gates(e) => Some(e.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )
        .cloned()
        .expect("a decision");
        (decision.verdict, decision.failures())
    };
    // Given a rollout in Pilot: BLOCK, naming it.
    let mut g = Given::rolling();
    let (verdict, failures) = gate(&mut g);
    assert_eq!(verdict, crate::gates::Verdict::Block);
    assert_eq!(
        failures,
        ["rollout r is running at Pilot, not in production yet"]
    );
    // In Production: PROMOTE.
    g.pass_stage();
    g.pass_stage();
    assert_eq!(gate(&mut g).0, crate::gates::Verdict::Promote);
    // Rolled back: BLOCK.
    g.ok(json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r","samples":100,"errors":60}));
    g.evaluate();
    let (verdict, failures) = gate(&mut g);
    assert_eq!(verdict, crate::gates::Verdict::Block);
    assert_eq!(failures, ["rollout r was rolled back at Production"]);
}

#[test]
fn what_if_says_where_a_stricter_criterion_would_have_rolled_back() {
    // Given a rollout that passed Pilot under the policy's criteria (errors 1%),
    let mut g = Given::rolling();
    g.pass_stage();
    assert_eq!(g.rollout().stage, 1);
    // when the history is replayed with an error rate of at most 0.5% for every stage,
    let mut stricter = g.brain.policy().clone();
    for s in &mut stricter.rollouts.stages {
        s.criteria.max_error_rate = Some(0.005);
    }
    let report = g.brain.what_if(&stricter).expect("valid policy");
    // then the evaluation's difference says, in words, where it would have rolled back.
    let d = report
        .differences
        .iter()
        .find(|d| d.kind == crate::whatif::Kind::Rollout)
        .expect("a rollout decision differs");
    assert_eq!(d.original.outcome, "advanced to Limited");
    assert_eq!(d.alternative.outcome, "rolled back at Pilot");
    assert!(
        d.summary.starts_with(
            "under a stricter criterion rollout/r would have rolled back at Pilot (error rate <= 0.005 breached"
        ),
        "{}",
        d.summary
    );
    assert!(
        d.summary.ends_with("instead of advancing to Limited"),
        "{}",
        d.summary
    );
}
