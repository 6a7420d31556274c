//! Verification's operational-health warnings (block 30): work that was started and is
//! waiting on someone. Experiments still running well past their pre-registered sample,
//! model challengers and shadows waiting longer than a limit for a decision, and outcome
//! alerts nobody acknowledged within a limit.
//!
//! These are warnings, never failures: no invariant is broken, but each is a decision
//! somebody owes. The limits are a policy block (`verify`), so an operator tunes them on
//! the policy page. "Now" is the time of the last accepted command (the core has no clock),
//! so the same log gives the same warnings, natively and in wasm.

use crate::brain::BrainState;
use crate::models;
pub use crate::verify_policy::{Error, Policy, MAX_HOURS, MAX_OVERRUN_FACTOR};
use chrono::{DateTime, Duration, Utc};

/// Whole hours from `since` to `now` (none before it).
fn hours_between(since: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - since).num_hours().max(0)
}

/// Whether `since` is more than `hours` before `now`.
fn older_than(since: DateTime<Utc>, now: DateTime<Utc>, hours: u64) -> bool {
    now - since > Duration::hours(i64::try_from(hours).unwrap_or(i64::MAX / 3_600_000))
}

/// Pre-registered experiments still running with every variant past the overrun factor
/// times the rule's planned sample.
pub fn experiments_past_planned_size(s: &BrainState) -> Vec<String> {
    let factor = s.policy.verify.experiment_overrun_factor;
    s.prereg
        .registrations
        .iter()
        .filter_map(|(id, reg)| {
            let exp = s.ab.experiments.get(id)?;
            let smallest = exp.variants.values().map(|v| v.trials).min()?;
            let planned = reg.rule.min_sample.max(1);
            let running = exp.stage.is_running();
            (running && smallest as f64 >= factor * planned as f64).then(|| {
                format!(
                    "experiment {id} is still running with {smallest} trials in its smallest variant, {:.1} times its planned {planned}: conclude or stop it",
                    smallest as f64 / planned as f64
                )
            })
        })
        .collect()
}

/// Challengers and shadows proposed longer ago than the limit and still undecided.
pub fn evaluations_pending(s: &BrainState) -> Vec<String> {
    let Some(now) = s.last_at else {
        return Vec::new();
    };
    let limit = s.policy.verify.pending_evaluation_hours;
    let mut found = Vec::new();
    for (id, model) in &s.models.models {
        for v in &model.versions {
            let waiting = matches!(
                v.status,
                models::Status::Challenger | models::Status::Shadow
            );
            if waiting && older_than(v.proposed_at, now, limit) {
                found.push(format!(
                    "model {id} version {} has been {} for {} hours (limit {limit}): promote or retire it",
                    v.version,
                    v.status,
                    hours_between(v.proposed_at, now)
                ));
            }
        }
    }
    found
}

/// Alerts still unacknowledged (open, never acknowledged) longer than the limit.
pub fn alerts_unacknowledged(s: &BrainState) -> Vec<String> {
    let Some(now) = s.last_at else {
        return Vec::new();
    };
    let limit = s.policy.verify.unacknowledged_alert_hours;
    s.outcomes
        .alerts
        .iter()
        .filter(|a| a.is_open() && a.acknowledged_at.is_none())
        .filter(|a| older_than(a.raised_at, now, limit))
        .map(|a| {
            format!(
                "alert {} on series {} has waited {} hours for acknowledgement (limit {limit})",
                a.alert_id,
                a.series_id,
                hours_between(a.raised_at, now)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::brain::Brain;
    use crate::verify::Status;
    use chrono::{Duration, TimeZone, Utc};
    use serde_json::{json, Value};

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    /// Executes `command` (an envelope without `at`) `hours` after the brain's last command.
    fn run(brain: &mut Brain, hours: i64, mut command: Value) -> Result<(), &'static str> {
        let at = brain.state().last_at.unwrap_or_default() + Duration::hours(hours);
        command["at"] = json!(at.to_rfc3339());
        brain
            .execute_json(&command.to_string())
            .map(|_| ())
            .map_err(|e| e.code())
    }

    fn set_policy(patch: Value) -> Value {
        json!({"block": "policy", "type": "SetPolicy", "policy": {"verify": patch}})
    }

    /// The status and details of the check `name`.
    fn check(brain: &Brain, name: &str) -> (Status, String) {
        let report = brain.verify();
        let c = report.check(name).cloned();
        c.map(|c| (c.status, c.details))
            .unwrap_or((Status::Fail, format!("no check {name}")))
    }

    #[test]
    fn a_month_after_the_demo_its_shadow_and_unacknowledged_alerts_are_warnings_not_failures() {
        let mut brain = demo();
        assert_eq!(check(&brain, "evaluations_not_pending").0, Status::Pass);
        assert_eq!(check(&brain, "alerts_acknowledged").0, Status::Pass);
        // Any command a month later moves "now": the same patch as the defaults.
        let defaults = json!({"pending_evaluation_hours": 336, "unacknowledged_alert_hours": 72});
        assert_eq!(run(&mut brain, 24 * 30, set_policy(defaults)), Ok(()));
        let (status, details) = check(&brain, "evaluations_not_pending");
        assert_eq!(status, Status::Warn, "{details}");
        assert!(
            details.contains("shadow") && details.contains("(limit 336)"),
            "{details}"
        );
        let (status, details) = check(&brain, "alerts_acknowledged");
        assert_eq!(status, Status::Warn, "{details}");
        assert!(
            details.contains("waited") && details.contains("(limit 72)"),
            "{details}"
        );
        assert_eq!(
            brain.verify().status,
            Status::Warn,
            "{}",
            brain.verify().to_json()
        );
        // Limits longer than the wait: nothing to say.
        let patient =
            json!({"pending_evaluation_hours": 87_600, "unacknowledged_alert_hours": 87_600});
        assert_eq!(run(&mut brain, 1, set_policy(patient)), Ok(()));
        assert_eq!(check(&brain, "evaluations_not_pending").0, Status::Pass);
        assert_eq!(check(&brain, "alerts_acknowledged").0, Status::Pass);
    }

    #[test]
    fn an_acknowledged_alert_is_not_warned_about_however_old() {
        let mut brain = demo();
        let open: Vec<String> = brain
            .state()
            .outcomes
            .alerts
            .iter()
            .filter(|a| a.is_open() && a.acknowledged_at.is_none())
            .map(|a| a.alert_id.clone())
            .collect();
        assert!(!open.is_empty(), "the demo has unacknowledged alerts");
        for id in &open {
            let ack = json!({"block": "outcomes", "type": "AcknowledgeAlert", "alert_id": id, "note": "looking"});
            assert_eq!(run(&mut brain, 1, ack), Ok(()));
        }
        assert_eq!(run(&mut brain, 24 * 30, set_policy(json!({}))), Ok(()));
        assert_eq!(check(&brain, "alerts_acknowledged").0, Status::Pass);
    }

    #[test]
    fn a_registered_experiment_running_past_its_planned_sample_is_warned_until_stopped() {
        let mut brain = Brain::new();
        let rule = json!({"metric": "conversion", "method": "frequentist", "alpha": 0.05,
            "min_sample": 100, "min_run_hours": 0, "min_detectable_effect": 0.1});
        let mut cmds = vec![
            json!({"block": "prereg", "type": "RegisterRule", "experiment_id": "e", "rule": rule}),
        ];
        for v in ["a", "b"] {
            cmds.push(
                json!({"block": "ab", "type": "RegisterVariant", "experiment": "e",
                "variant": v, "kind": "script", "weight": 1.0}),
            );
        }
        let counts = |v: &str, n: u64| {
            json!({"block": "ab", "type": "RecordCounts", "experiment": "e", "variant": v,
                "trials": n, "conversions": n / 10})
        };
        cmds.push(counts("a", 250));
        cmds.push(counts("b", 150));
        for c in cmds {
            assert_eq!(run(&mut brain, 1, c.clone()), Ok(()), "{c}");
        }
        // 150 of a planned 100 in the smallest variant: within twice the plan.
        assert_eq!(
            check(&brain, "experiments_within_planned_size").0,
            Status::Pass
        );
        assert_eq!(run(&mut brain, 1, counts("b", 50)), Ok(()));
        let (status, details) = check(&brain, "experiments_within_planned_size");
        assert_eq!(status, Status::Warn, "{details}");
        assert!(
            details.contains("experiment e") && details.contains("2.0 times"),
            "{details}"
        );
        let raised = json!({"experiment_overrun_factor": 3.0});
        assert_eq!(run(&mut brain, 1, set_policy(raised)), Ok(()));
        assert_eq!(
            check(&brain, "experiments_within_planned_size").0,
            Status::Pass
        );
        assert_eq!(
            run(
                &mut brain,
                1,
                set_policy(json!({"experiment_overrun_factor": 2.0}))
            ),
            Ok(())
        );
        let stop = json!({"block": "ab", "type": "StopExperiment", "experiment_id": "e"});
        assert_eq!(run(&mut brain, 1, stop), Ok(()));
        assert_eq!(
            check(&brain, "experiments_within_planned_size").0,
            Status::Pass
        );
    }

    #[test]
    fn limits_outside_their_range_are_refused_with_the_field_named_and_the_state_unchanged() {
        let cases = [
            json!({"experiment_overrun_factor": 0.5}),
            json!({"experiment_overrun_factor": 1001.0}),
            json!({"pending_evaluation_hours": 0}),
            json!({"unacknowledged_alert_hours": 87_601}),
        ];
        let mut brain = demo();
        let before = brain.state_hash();
        for patch in cases {
            let field = patch.as_object().and_then(|o| o.keys().next().cloned());
            let mut b = brain.clone();
            let err = {
                let at = b.state().last_at.unwrap_or_default() + Duration::hours(1);
                let mut c = set_policy(patch.clone());
                c["at"] = json!(at.to_rfc3339());
                b.execute_json(&c.to_string()).err().map(|e| e.to_string())
            };
            let msg = err.unwrap_or_default();
            assert!(msg.contains(&field.unwrap_or_default()), "{patch}: {msg}");
            assert_eq!(b.state_hash(), before);
        }
        assert_eq!(
            run(
                &mut brain,
                1,
                set_policy(json!({"pending_evaluation_hours": 1}))
            ),
            Ok(())
        );
    }

    #[test]
    fn the_default_limits_keep_the_policy_json_and_the_state_hash_of_older_states() {
        let brain = demo();
        let json = serde_json::to_value(&brain.state().policy).unwrap_or_default();
        assert!(json.get("verify").is_none(), "{json}");
    }
}
