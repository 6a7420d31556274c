//! Given / when / then tests of the monitoring block through the reducer: the schedule's
//! catch-up, each safety rule, the thresholds, the inbox, the reports, the safety gate's
//! extra counts, and what-if showing an automatic rollback disappear under a looser rule.

use super::*;
use crate::brain::{Brain, Event as BrainEvent};
use crate::error::BrainError;
use crate::policy::{self, PolicyPatch};
use chrono::TimeZone;
use serde_json::json;

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minutes)
}

/// Executes `command` (JSON without `at`) at minute `minutes`.
fn run(
    brain: &mut Brain,
    minutes: i64,
    command: serde_json::Value,
) -> Result<Vec<BrainEvent>, BrainError> {
    let mut v = command;
    if let Some(o) = v.as_object_mut() {
        o.insert("at".into(), json!(t(minutes)));
    }
    brain.execute_json(&v.to_string())
}

fn ok(brain: &mut Brain, minutes: i64, command: serde_json::Value) -> Vec<BrainEvent> {
    match run(brain, minutes, command.clone()) {
        Ok(events) => events,
        Err(e) => panic!("{command} refused: {e}"),
    }
}

fn due_checks() -> serde_json::Value {
    json!({"block": "monitoring", "type": "RunDueChecks"})
}

/// Given model `m` with champion 1.1.0 promoted over 1.0.0, and a series of its accuracy
/// with seven outcomes at `good` then seven at `bad` (minutes 10..24).
fn model_with_series(good: f64, bad: f64) -> Brain {
    let mut brain = Brain::new();
    let models = [
        json!({"block": "models", "type": "RegisterModel", "model_id": "m", "name": "M"}),
        json!({"block": "models", "type": "ProposeUpdate", "model_id": "m", "version": "1.0.0", "strategy": "full_retrain", "accuracy": 0.9}),
        json!({"block": "models", "type": "ProposeUpdate", "model_id": "m", "version": "1.1.0", "strategy": "incremental", "accuracy": 0.9}),
        json!({"block": "models", "type": "OverridePromotion", "model_id": "m", "version": "1.1.0", "reason": "promoted by hand for the test"}),
        json!({"block": "outcomes", "type": "DefineSeries", "series_id": "acc/m", "metric": "accuracy", "subject": "m"}),
    ];
    for (i, c) in models.into_iter().enumerate() {
        ok(&mut brain, i as i64, c);
    }
    for i in 0..14 {
        let value = if i < 7 { good } else { bad };
        ok(
            &mut brain,
            10 + i,
            json!({"block": "outcomes", "type": "RecordOutcome", "series_id": "acc/m", "outcome_id": format!("o{i}"), "value": value}),
        );
    }
    brain
}

fn champion(brain: &Brain) -> String {
    brain
        .state()
        .models
        .champion("m")
        .map(|v| v.version.to_string())
        .unwrap_or_default()
}

fn monitoring_events(events: &[BrainEvent]) -> Vec<&Event> {
    events
        .iter()
        .filter_map(|e| match e {
            BrainEvent::Monitoring(m) => Some(m),
            _ => None,
        })
        .collect()
}

#[test]
fn the_first_run_runs_every_check_and_a_second_run_at_the_same_time_is_refused_unchanged() {
    let mut brain = Brain::new();
    let events = ok(&mut brain, 0, due_checks());
    let ran: Vec<Check> = monitoring_events(&events)
        .into_iter()
        .filter_map(|e| match e {
            Event::CheckRan { check, .. } => Some(*check),
            _ => None,
        })
        .collect();
    assert_eq!(ran, Check::ALL);
    let before = brain.state_hash();
    let again = run(&mut brain, 0, due_checks());
    assert_eq!(again.map_err(|e| e.code()), Err("nothing_due"));
    assert_eq!(brain.state_hash(), before);
    assert_eq!(brain.run_due_checks(t(0), None), Ok(vec![]));
    assert_eq!(brain.state_hash(), before);
    // The schedule shows the next runs.
    let rows = brain.schedule();
    assert_eq!(rows[0].next_run, Some(t(60)));
    assert_eq!(rows[4].next_run, Some(t(7 * 24 * 60)));
    assert_eq!(brain.next_due_check(), Some((Check::Drift, t(60))));
}

#[test]
fn after_a_long_gap_each_check_runs_once_in_time_order_and_records_the_runs_it_skipped() {
    let mut brain = Brain::new();
    ok(&mut brain, 0, due_checks());
    // 30 hours later.
    let events = ok(&mut brain, 30 * 60, due_checks());
    let ran: Vec<(Check, DateTime<Utc>, u64)> = monitoring_events(&events)
        .into_iter()
        .filter_map(|e| match e {
            Event::CheckRan {
                check,
                due_at,
                skipped,
                ..
            } => Some((*check, *due_at, *skipped)),
            _ => None,
        })
        .collect();
    assert_eq!(
        ran,
        [
            (Check::Drift, t(60), 29),
            (Check::Thresholds, t(60), 29),
            (Check::AbEvaluation, t(360), 4),
            (Check::Health, t(1440), 0),
        ]
    );
    let rows = brain.schedule();
    assert_eq!((rows[0].runs, rows[0].skipped), (2, 29));
    let entry = brain
        .state()
        .audit
        .entries
        .last()
        .cloned()
        .unwrap_or_else(|| panic!("no entry"));
    assert_eq!(entry.action, "RunDueChecks");
    assert!(
        entry.detail.contains("drift ran (skipped 29 due runs)"),
        "{}",
        entry.detail
    );
}

#[test]
fn a_critical_degradation_pauses_a_running_rollout_instead_of_rolling_back() {
    // Given the degrading model with a staged rollout of challenger 1.2.0 running.
    let mut brain = model_with_series(0.9, 0.5);
    ok(
        &mut brain,
        30,
        json!({"block": "models", "type": "ProposeUpdate", "model_id": "m", "version": "1.2.0", "strategy": "incremental", "accuracy": 0.9}),
    );
    ok(
        &mut brain,
        31,
        json!({"block": "rollouts", "type": "StartRollout", "rollout_id": "r1", "model_id": "m", "version": "1.2.0"}),
    );
    // When the checks run.
    let events = ok(&mut brain, 60, due_checks());
    // Then the rollout is paused by the rollouts block's own event, and the champion stays.
    assert!(events.iter().any(|e| matches!(
        e,
        BrainEvent::Rollouts(crate::rollouts::Event::RolloutPaused { rollout_id, .. }) if rollout_id == "r1"
    )));
    assert_eq!(champion(&brain), "1.1.0");
    let status = brain.state().rollouts.get("r1").map(|r| r.status);
    assert_eq!(status, Some(crate::rollouts::Status::Paused));
}

#[test]
fn a_critical_degradation_rolls_the_model_back_once_naming_rule_values_and_command() {
    // Given a drop of 44% (0.9 -> 0.5), beyond 3 x the 10% regression tolerance.
    let mut brain = model_with_series(0.9, 0.5);
    assert_eq!(champion(&brain), "1.1.0");
    // When the checks run.
    let events = ok(&mut brain, 60, due_checks());
    // Then the model is rolled back by the models block's own event.
    assert_eq!(champion(&brain), "1.0.0");
    assert!(events.iter().any(|e| matches!(
        e,
        BrainEvent::Models(crate::models::Event::RolledBack { .. })
    )));
    let action = &brain.state().monitoring.actions[0];
    assert_eq!(action.rule, "critical_degradation");
    assert_eq!(action.failed, None);
    assert_eq!(
        action.caused_by,
        "RunDueChecks at 2026-06-01T01:00:00Z (log position 19)"
    );
    let drop = action
        .values
        .iter()
        .find(|v| v.name == "drop")
        .map(|v| v.value);
    assert!(
        drop.is_some_and(|d| (d - 0.4 / 0.9).abs() < 1e-12),
        "{:?}",
        action.values
    );
    let limit = action
        .values
        .iter()
        .find(|v| v.name == "limit")
        .map(|v| v.value);
    assert!(limit.is_some_and(|l| (l - 0.3).abs() < 1e-12));
    let history = brain.state().models.history("m");
    assert!(history
        .last()
        .is_some_and(|h| h.reason.contains("action-1 by rule critical_degradation")));
    // The action is a live alert and in the inbox.
    assert!(brain
        .live_alerts()
        .iter()
        .any(|a| a.alert_id == "monitor-1"));
    assert!(brain
        .notifications(None)
        .iter()
        .any(|n| n.notification_id == "action-1"));
    // An hour later the condition still holds: no second rollback.
    let events = ok(&mut brain, 120, due_checks());
    assert!(!events.iter().any(|e| matches!(e, BrainEvent::Models(_))));
    assert_eq!(brain.state().monitoring.actions.len(), 1);
}

#[test]
fn a_drop_within_three_times_the_tolerance_does_not_roll_back() {
    // 0.9 -> 0.7 is a 22% drop: a regression alert, not a critical one.
    let mut brain = model_with_series(0.9, 0.7);
    ok(&mut brain, 60, due_checks());
    assert_eq!(champion(&brain), "1.1.0");
    assert!(brain.state().monitoring.actions.is_empty());
}

#[test]
fn a_rollback_without_a_previous_champion_is_recorded_as_not_possible() {
    let mut brain = Brain::new();
    ok(
        &mut brain,
        0,
        json!({"block": "models", "type": "RegisterModel", "model_id": "m", "name": "M"}),
    );
    ok(
        &mut brain,
        1,
        json!({"block": "models", "type": "ProposeUpdate", "model_id": "m", "version": "1.0.0", "strategy": "full_retrain", "accuracy": 0.9}),
    );
    ok(
        &mut brain,
        2,
        json!({"block": "outcomes", "type": "DefineSeries", "series_id": "acc/m", "metric": "accuracy", "subject": "m"}),
    );
    for i in 0..14 {
        let value = if i < 7 { 0.9 } else { 0.4 };
        ok(
            &mut brain,
            10 + i,
            json!({"block": "outcomes", "type": "RecordOutcome", "series_id": "acc/m", "outcome_id": format!("o{i}"), "value": value}),
        );
    }
    let events = ok(&mut brain, 60, due_checks());
    assert!(!events.iter().any(|e| matches!(e, BrainEvent::Models(_))));
    let action = &brain.state().monitoring.actions[0];
    assert_eq!(
        action.failed.as_deref(),
        Some("model m has no previous champion to roll back to")
    );
    assert_eq!(champion(&brain), "1.0.0");
}

#[test]
fn a_major_drift_rolls_the_model_back() {
    let mut brain = model_with_series(0.9, 0.9);
    let reference: Vec<f64> = (0..100).map(|i| f64::from(i) / 100.0).collect();
    let current: Vec<f64> = (0..100).map(|i| 2.0 + f64::from(i) / 100.0).collect();
    ok(
        &mut brain,
        30,
        json!({"block": "outcomes", "type": "AssessDrift", "series_id": "acc/m", "reference": reference, "current": current}),
    );
    ok(&mut brain, 60, due_checks());
    assert_eq!(champion(&brain), "1.0.0");
    let action = &brain.state().monitoring.actions[0];
    assert_eq!(action.rule, "major_drift");
    assert!(action
        .values
        .iter()
        .any(|v| v.name == "psi" && v.value >= 0.25));
}

#[test]
fn what_if_shows_the_automatic_rollback_disappearing_under_a_looser_threshold() {
    let mut brain = model_with_series(0.9, 0.5);
    ok(&mut brain, 60, due_checks());
    let mut looser = brain.policy().clone();
    looser.monitoring.critical_factor = 5.0; // limit 50%: the 44% drop is within it
    let report = brain.what_if(&looser).unwrap_or_else(|e| panic!("{e}"));
    let d = report
        .differences
        .iter()
        .find(|d| d.action == "RunDueChecks")
        .unwrap_or_else(|| panic!("no difference: {report:?}"));
    assert_eq!(d.original.outcome, "rolled back");
    assert!(d.original.reason.contains("rule critical_degradation"));
    assert_eq!(d.alternative.outcome, "unchanged");
}

#[test]
fn an_absolute_threshold_raises_an_alert_with_its_values_and_clears_when_it_holds_again() {
    let mut brain = Brain::new();
    ok(
        &mut brain,
        0,
        json!({"block": "outcomes", "type": "DefineSeries", "series_id": "errors/api", "metric": "error_rate", "direction": "lower_is_better"}),
    );
    for (i, v) in [0.05, 0.15, 0.25].iter().enumerate() {
        ok(
            &mut brain,
            1 + i as i64,
            json!({"block": "outcomes", "type": "RecordOutcome", "series_id": "errors/api", "outcome_id": format!("e{i}"), "value": v}),
        );
    }
    ok(&mut brain, 10, due_checks());
    let alert = brain.state().monitoring.alerts[0].clone();
    assert_eq!(alert.rule, "error_rate_above_10pct");
    assert_eq!(alert.key, "threshold/error_rate_above_10pct/errors/api");
    assert!((alert.values[0].value - 0.15).abs() < 1e-12);
    assert_eq!(alert.values[1].value, 0.10);
    assert!(
        alert
            .message
            .contains("mean 0.15 over the last 1440 minutes (3 outcomes) is above the limit 0.1"),
        "{}",
        alert.message
    );
    // A day later the window holds only good outcomes: the alert clears.
    ok(
        &mut brain,
        1500,
        json!({"block": "outcomes", "type": "RecordOutcome", "series_id": "errors/api", "outcome_id": "e9", "value": 0.01}),
    );
    ok(&mut brain, 1510, due_checks());
    assert_eq!(
        brain.state().monitoring.alerts[0].resolved_at,
        Some(t(1510))
    );
    assert!(brain.live_alerts().is_empty());
}

#[test]
fn a_latency_p95_threshold_uses_the_recorded_samples() {
    let mut brain = Brain::new();
    ok(
        &mut brain,
        0,
        json!({"block": "outcomes", "type": "DefineSeries", "series_id": "lat/api", "metric": "latency_ms", "direction": "lower_is_better"}),
    );
    // 19 calls of 100 ms and one of 10 s: the p95 (rank 19 x 0.95 = 18.05) is
    // 100 + 0.05 x 9900 = 595 ms, no breach; a second slow call puts rank 20 x 0.95 = 19 on
    // 10 s (breach).
    for i in 0..20 {
        let v = if i == 19 { 10_000.0 } else { 100.0 };
        ok(
            &mut brain,
            1 + i,
            json!({"block": "outcomes", "type": "RecordOutcome", "series_id": "lat/api", "outcome_id": format!("l{i}"), "value": v}),
        );
    }
    ok(&mut brain, 30, due_checks());
    assert!(brain.state().monitoring.alerts.is_empty());
    ok(
        &mut brain,
        31,
        json!({"block": "outcomes", "type": "RecordOutcome", "series_id": "lat/api", "outcome_id": "l20", "value": 10_000.0}),
    );
    ok(&mut brain, 90, due_checks());
    let alert = &brain.state().monitoring.alerts[0];
    assert_eq!(alert.rule, "latency_p95_above_2000ms");
    assert!(
        (alert.values[0].value - 10_000.0).abs() < 1e-9,
        "{:?}",
        alert.values
    );
}

#[test]
fn mark_read_marks_notifications_and_refuses_unknown_ids() {
    let mut brain = model_with_series(0.9, 0.5);
    ok(&mut brain, 60, due_checks());
    let unread = brain.unread_count();
    assert!(unread >= 4, "{unread}"); // the regression alert, monitor-1, action-1, a report
    let err = run(
        &mut brain,
        61,
        json!({"block": "monitoring", "type": "MarkRead", "notification_ids": ["nope"]}),
    );
    assert_eq!(
        err.map_err(|e| e.to_string()),
        Err("notification nope is not in the inbox".into())
    );
    let err = run(
        &mut brain,
        61,
        json!({"block": "monitoring", "type": "MarkRead", "notification_ids": []}),
    );
    assert_eq!(err.map_err(|e| e.code()), Err("no_notifications"));
    ok(
        &mut brain,
        61,
        json!({"block": "monitoring", "type": "MarkRead", "notification_ids": ["action-1"]}),
    );
    assert_eq!(brain.unread_count(), unread - 1);
    assert_eq!(
        brain
            .notifications(Some(t(60)))
            .iter()
            .filter(|n| !n.read)
            .count(),
        brain.notifications(Some(t(60))).len() - 1
    );
}

#[test]
fn the_daily_report_lists_what_happened_in_its_period_the_same_every_time() {
    let mut brain = model_with_series(0.9, 0.5);
    ok(&mut brain, 60, due_checks());
    let report = brain.report(ReportKind::Daily, t(120));
    assert_eq!(report, brain.report(ReportKind::Daily, t(120)));
    assert!(report
        .model_changes
        .iter()
        .any(|l| l.text.starts_with("RolledBack 1.0.0")));
    assert_eq!(report.actions.len(), 1);
    assert!(report
        .alerts_opened
        .iter()
        .any(|l| l.subject == "monitor-1"));
    let md = report.to_markdown();
    assert!(md.starts_with(
        "# Daily health report\n\nPeriod: 2026-05-31T02:00:00Z to 2026-06-01T02:00:00Z"
    ));
    assert!(md.contains("## Automatic actions\n\n- 2026-06-01T01:00:00Z action-1: rule critical_degradation: roll back model m"));
    // A week later, the daily report's period holds none of it.
    let later = brain.report(ReportKind::Daily, t(8 * 24 * 60));
    assert!(later.actions.is_empty() && later.model_changes.is_empty());
}

#[test]
fn the_safety_gate_counts_drift_alerts_only_when_the_policy_says_so() {
    let mut brain = model_with_series(0.9, 0.9);
    let reference: Vec<f64> = (0..100).map(|i| f64::from(i) / 100.0).collect();
    let current: Vec<f64> = (0..100).map(|i| 2.0 + f64::from(i) / 100.0).collect();
    ok(
        &mut brain,
        30,
        json!({"block": "outcomes", "type": "AssessDrift", "series_id": "acc/m", "reference": reference, "current": current}),
    );
    let inputs = brain.state().gate_inputs("c", Some("m"), None);
    assert!(inputs.open_other_alerts.is_empty());
    ok(
        &mut brain,
        31,
        json!({"block": "policy", "type": "SetPolicy", "policy": {"monitoring": {"safety_gate_counts_drift": true}}}),
    );
    let inputs = brain.state().gate_inputs("c", Some("m"), None);
    assert_eq!(inputs.open_other_alerts, ["alert-1 on acc/m"]);
}

#[test]
fn bad_monitoring_policies_are_refused_naming_the_field() {
    let bad = [
        (
            json!({"monitoring": {"critical_factor": 0.0}}),
            "critical_factor (0) must be a number within (0, 1000]",
        ),
        (
            json!({"monitoring": {"schedule": {"drift": 600000}}}),
            "schedule.drift (600000 minutes)",
        ),
        (
            json!({"monitoring": {"thresholds": [{"rule": "x", "metric": "m", "statistic": "p95", "window_minutes": 60}]}}),
            "threshold x: give max, min or both",
        ),
        (
            json!({"monitoring": {"thresholds": [{"rule": "x", "metric": "m", "statistic": "p95", "window_minutes": 0, "max": 1}]}}),
            "window_minutes (0)",
        ),
    ];
    for (patch, words) in bad {
        let patch = PolicyPatch::from_value(patch).unwrap_or_default();
        let err = policy::merge(&crate::policy::Policy::default(), &patch)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            err.as_ref().is_err_and(|e| e.contains(words)),
            "{err:?} lacks {words}"
        );
    }
}

#[test]
fn an_untouched_monitoring_block_leaves_the_state_and_policy_json_as_before() {
    let brain = Brain::new();
    let state = serde_json::to_value(brain.state()).unwrap_or_default();
    assert!(state.get("monitoring").is_none());
    assert!(state["policy"].get("monitoring").is_none());
    // A patch may still name its fields.
    let patch = PolicyPatch::from_value(json!({"monitoring": {"schedule": {"health": 0}}}))
        .unwrap_or_default();
    let merged = policy::merge(brain.policy(), &patch);
    assert_eq!(merged.map(|p| p.monitoring.schedule.health), Ok(0));
}

#[test]
fn the_safety_gate_counts_below_baseline_alerts_only_when_the_policy_says_so() {
    let mut brain = Brain::new();
    ok(
        &mut brain,
        0,
        json!({"block": "outcomes", "type": "DefineSeries", "series_id": "acc/m", "metric": "accuracy", "subject": "m", "baseline": 1.0}),
    );
    // A full moving-average window at half the baseline.
    let window = brain.policy().outcomes.moving_average_window as i64;
    for i in 0..window {
        ok(
            &mut brain,
            1 + i,
            json!({"block": "outcomes", "type": "RecordOutcome", "series_id": "acc/m", "outcome_id": format!("o{i}"), "value": 0.5}),
        );
    }
    assert_eq!(brain.state().outcomes.open_alerts().len(), 1);
    let inputs = brain.state().gate_inputs("c", Some("m"), None);
    assert!(inputs.open_other_alerts.is_empty(), "off by default");
    ok(
        &mut brain,
        window + 10,
        json!({"block": "policy", "type": "SetPolicy", "policy": {"monitoring": {"safety_gate_counts_below_baseline": true}}}),
    );
    let inputs = brain.state().gate_inputs("c", Some("m"), None);
    assert_eq!(inputs.open_other_alerts, ["alert-1 on acc/m"]);
    // Another model's gate does not count it.
    let other = brain.state().gate_inputs("c", Some("other"), None);
    assert!(other.open_other_alerts.is_empty());
}

#[test]
fn each_clone_whose_latest_gate_decision_is_block_is_a_live_alert_and_in_the_inbox() {
    let brain = Brain::demo(t(0));
    let mut latest = BTreeMap::new();
    for d in brain.gate_decisions() {
        latest.insert(d.clone.clone(), d.clone());
    }
    let mut blocked: Vec<String> = latest
        .values()
        .filter(|d| d.verdict == crate::gates::Verdict::Block)
        .map(|d| format!("gate-{}", d.id))
        .collect();
    assert!(!blocked.is_empty(), "the demo has a blocked clone");
    blocked.sort();
    let mut live: Vec<String> = brain
        .live_alerts()
        .into_iter()
        .filter(|a| a.source == inbox::LiveAlertSource::Gates)
        .map(|a| a.alert_id)
        .collect();
    live.sort();
    assert_eq!(live, blocked);
    let inbox: Vec<String> = brain
        .notifications(None)
        .into_iter()
        .filter(|n| n.kind == inbox::NotificationKind::GateBlock)
        .map(|n| n.notification_id)
        .collect();
    for id in &blocked {
        assert!(inbox.contains(id), "{id} in {inbox:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// Whatever the cadences and the gaps between runs, running the due checks a second time
    /// at the same time changes nothing: no events, the same state hash, the log unchanged.
    #[test]
    fn running_due_checks_twice_at_the_same_time_changes_nothing_the_second_time(
        cadences in proptest::collection::vec(0u32..3000, 5),
        gaps in proptest::collection::vec(0i64..20_000, 1..6),
        bad in 0.3f64..0.95,
    ) {
        let mut brain = model_with_series(0.9, bad);
        ok(
            &mut brain,
            30,
            json!({"block": "policy", "type": "SetPolicy", "policy": {"monitoring": {"schedule": {
                "drift": cadences[0], "thresholds": cadences[1], "ab_evaluation": cadences[2],
                "health": cadences[3], "weekly_report": cadences[4]}}}}),
        );
        let mut at = 31;
        for gap in gaps {
            at += gap;
            brain.run_due_checks(t(at), None).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let (hash, len) = (brain.state_hash(), brain.log().len());
            proptest::prop_assert_eq!(brain.run_due_checks(t(at), None), Ok(vec![]));
            proptest::prop_assert_eq!(brain.state_hash(), hash);
            proptest::prop_assert_eq!(brain.log().len(), len);
        }
    }
}
