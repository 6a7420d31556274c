//! Automatic safety responses: the rules that find a model in danger (a critical
//! degradation of one of its series, a major drift) and the response they call for (roll the
//! model back). A condition is acted on once: while it holds, its alert stays open and later
//! checks do not act again; when it clears, the alert is resolved.
//!
//! The response is carried out by the models block's own `RollBack` (the reducer runs it, see
//! `brain::monitoring_effects`), so its rules (a previous champion must exist) hold as for a
//! person's rollback. A model with a running staged rollout has the rollout paused instead
//! ([`Effect::PauseRollout`]) (the reducer carries it out with the rollouts block's own `PauseRollout`).

use super::thresholds::round;
use super::Policy;
use crate::outcomes::{self, AlertKind};
use serde::{Deserialize, Serialize};

/// A named value a rule looked at, kept with its action so it names what it saw.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleValue {
    /// What ("drop", "limit", "psi").
    pub name: String,
    /// Its value.
    pub value: f64,
}

fn value(name: &str, value: f64) -> RuleValue {
    RuleValue {
        name: name.into(),
        value,
    }
}

/// What a response does, carried out by another block through the reducer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type")]
pub enum Effect {
    /// The models block's `RollBack` of the model.
    RollBack {
        /// The model.
        model_id: String,
    },
    /// The hook for a rollouts block: pause the model's rollout. Not produced yet.
    PauseRollout {
        /// The model.
        model_id: String,
    },
}

/// A condition a rule found holding, with what it calls for.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Identifies the condition across checks (`"degradation/<series>"`, `"drift/<alert>"`).
    pub key: String,
    /// The rule's name.
    pub rule: &'static str,
    /// The series.
    pub series_id: String,
    /// The model (the series' subject).
    pub model_id: String,
    /// The values the rule compared.
    pub values: Vec<RuleValue>,
    /// In words.
    pub message: String,
    /// What it calls for.
    pub effect: Effect,
}

/// Rule names.
pub const CRITICAL_DEGRADATION: &str = "critical_degradation";
/// Rule names.
pub const MAJOR_DRIFT: &str = "major_drift";

/// Every condition the response rules find on series whose subject is a registered model.
pub fn findings(
    policy: &Policy,
    outcomes_state: &outcomes::State,
    outcomes_policy: &outcomes::Policy,
    is_model: impl Fn(&str) -> bool,
) -> Vec<Finding> {
    let mut found = Vec::new();
    if policy.rollback_on_critical_degradation {
        let limit = policy.critical_factor * outcomes_policy.regression_tolerance;
        for (series_id, series) in &outcomes_state.series {
            let Some(model_id) = series.subject.as_deref().filter(|m| is_model(m)) else {
                continue;
            };
            let Some(trend) = outcomes_state.trend(series_id, outcomes_policy) else {
                continue;
            };
            let (Some(best), Some(current)) = (trend.best_window_mean, trend.current_window_mean)
            else {
                continue;
            };
            let drop = outcomes::relative_drop(best, current, series.direction);
            if drop.is_finite() && drop > limit + 1e-12 {
                found.push(Finding {
                    key: format!("degradation/{series_id}"),
                    rule: CRITICAL_DEGRADATION,
                    series_id: series_id.clone(),
                    model_id: model_id.to_string(),
                    values: vec![
                        value("best_window_mean", best),
                        value("current_window_mean", current),
                        value("drop", drop),
                        value("limit", limit),
                    ],
                    message: format!(
                        "series {series_id} of model {model_id}: the latest window {} is {:.1}% worse than the best recent window {}, beyond {}x the {:.1}% regression tolerance ({:.1}%)",
                        round(current),
                        drop * 100.0,
                        round(best),
                        round(policy.critical_factor),
                        outcomes_policy.regression_tolerance * 100.0,
                        limit * 100.0,
                    ),
                    effect: Effect::RollBack {
                        model_id: model_id.to_string(),
                    },
                });
            }
        }
    }
    if policy.rollback_on_major_drift {
        for alert in outcomes_state.open_alerts() {
            if alert.kind != AlertKind::Drift {
                continue;
            }
            let Some(model_id) = alert.subject.as_deref().filter(|m| is_model(m)) else {
                continue;
            };
            let Some(psi) = alert.drift.map(|d| d.psi) else {
                continue;
            };
            if psi.is_finite() && psi >= policy.major_drift_psi {
                found.push(Finding {
                    key: format!("drift/{}", alert.alert_id),
                    rule: MAJOR_DRIFT,
                    series_id: alert.series_id.clone(),
                    model_id: model_id.to_string(),
                    values: vec![value("psi", psi), value("limit", policy.major_drift_psi)],
                    message: format!(
                        "series {} of model {model_id}: drift alert {} has PSI {}, at or above the major drift level {}",
                        alert.series_id,
                        alert.alert_id,
                        round(psi),
                        round(policy.major_drift_psi),
                    ),
                    effect: Effect::RollBack {
                        model_id: model_id.to_string(),
                    },
                });
            }
        }
    }
    found
}
