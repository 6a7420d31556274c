//! Assessing a rollout's current stage against its criteria, at a time and with the model's
//! open alerts: the one rule behind `EvaluateRollout` (advance, hold, roll back) and the
//! `rollout(id)` query (criteria with current values, next decision), so both always agree.

use super::{round, Breach, Rollout, Status, LATENCY_P95};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Slack when comparing a measure with a threshold, so a value exactly at the threshold
/// passes (0.1 + 0.2 style rounding is not a breach).
const EPSILON: f64 = 1e-12;

/// One criterion of the current stage with its current value.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutCriterion"))]
#[serde(rename_all = "camelCase")]
pub struct CriterionCheck {
    /// What is checked ("accuracy >= 0.85", "error rate <= 0.05", "latency_p95 <= 500",
    /// "open alerts = 0").
    pub criterion: String,
    /// The threshold.
    pub threshold: f64,
    /// The current value (none: not measured yet).
    pub value: Option<f64>,
    /// Met, breached, or (none) not measured yet.
    pub met: Option<bool>,
}

/// What an evaluation would decide now.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Every criterion and minimum met: go to the next stage.
    Advance,
    /// The last stage passed: the rollout is complete.
    Complete,
    /// Nothing breached, but minimums not met yet (each reason says what is missing).
    Hold(Vec<String>),
    /// A criterion breached: roll back.
    RollBack(Vec<Breach>),
}

impl Verdict {
    /// The verdict in words ("advance", "hold: 40 more samples", "roll back: ...").
    pub fn describe(&self) -> String {
        match self {
            Verdict::Advance => "advance".into(),
            Verdict::Complete => "complete".into(),
            Verdict::Hold(why) => format!("hold: {}", why.join("; ")),
            Verdict::RollBack(breaches) => format!("roll back: {}", join(breaches)),
        }
    }
}

/// The breaches joined by "; ".
pub(super) fn join(breaches: &[Breach]) -> String {
    breaches
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The current stage's criteria with their values, and the verdict of an evaluation at
/// `at` with `open_alerts` (regression or drift alerts open on the model).
pub fn assess(
    rollout: &Rollout,
    open_alerts: &[String],
    at: DateTime<Utc>,
) -> (Vec<CriterionCheck>, Verdict) {
    let Some(stage) = rollout.current_stage() else {
        return (Vec::new(), Verdict::Hold(vec!["no stage".into()]));
    };
    let m = &rollout.current;
    let c = &stage.criteria;
    let mut checks = Vec::new();
    let mut breaches = Vec::new();
    let mut waiting = Vec::new();
    let mut check = |criterion: String, threshold: f64, value: Option<f64>, higher_ok: bool| {
        let met = value.map(|v| {
            if higher_ok {
                v >= threshold - EPSILON
            } else {
                v <= threshold + EPSILON
            }
        });
        match (value, met) {
            (Some(v), Some(false)) => breaches.push(Breach {
                criterion: criterion.clone(),
                value: v,
                threshold,
                by: (v - threshold).abs(),
            }),
            (None, _) => waiting.push(format!("{criterion}: not measured yet")),
            _ => {}
        }
        checks.push(CriterionCheck {
            criterion,
            threshold,
            value,
            met,
        });
    };
    if let Some(min) = c.min_metric {
        let value = m.metrics.get(&c.metric).copied();
        check(format!("{} >= {}", c.metric, round(min)), min, value, true);
    }
    if let Some(max) = c.max_error_rate {
        check(
            format!("error rate <= {}", round(max)),
            max,
            m.error_rate(),
            false,
        );
    }
    if let Some(max) = c.max_latency_p95 {
        let value = m.metrics.get(LATENCY_P95).copied();
        check(
            format!("{LATENCY_P95} <= {}", round(max)),
            max,
            value,
            false,
        );
    }
    if c.no_open_alerts {
        check(
            "open alerts = 0".into(),
            0.0,
            Some(open_alerts.len() as f64),
            false,
        );
    }
    if !breaches.is_empty() {
        if c.no_open_alerts && !open_alerts.is_empty() {
            if let Some(b) = breaches
                .iter_mut()
                .find(|b| b.criterion == "open alerts = 0")
            {
                b.criterion = format!("open alerts = 0 ({})", open_alerts.join(", "));
            }
        }
        return (checks, Verdict::RollBack(breaches));
    }
    if m.samples < stage.min_samples {
        waiting.push(format!("{} more samples", stage.min_samples - m.samples));
    }
    let elapsed = (at - rollout.stage_started_at).num_minutes().max(0) as u64;
    if elapsed < stage.min_duration_minutes {
        waiting.push(format!(
            "{} more minutes",
            stage.min_duration_minutes - elapsed
        ));
    }
    let verdict = if !waiting.is_empty() {
        Verdict::Hold(waiting)
    } else if rollout.stage + 1 >= rollout.stages.len() {
        Verdict::Complete
    } else {
        Verdict::Advance
    };
    (checks, verdict)
}

/// How far the rollout has come, in [0, 1]: finished stages plus the current stage's share
/// of its minimums (the lesser of samples and time), over the number of stages.
pub fn progress(rollout: &Rollout, at: DateTime<Utc>) -> f64 {
    if rollout.status == Status::Completed {
        return 1.0;
    }
    let n = rollout.stages.len().max(1) as f64;
    let Some(stage) = rollout.current_stage() else {
        return 0.0;
    };
    let share = |have: f64, need: u64| {
        if need == 0 {
            1.0
        } else {
            (have / need as f64).min(1.0)
        }
    };
    let elapsed = (at - rollout.stage_started_at).num_minutes().max(0) as f64;
    let within = share(rollout.current.samples as f64, stage.min_samples)
        .min(share(elapsed, stage.min_duration_minutes));
    ((rollout.stage as f64 + within) / n).clamp(0.0, 1.0)
}
