//! Alerts of the outcomes block: their kinds and lifecycle, and the rule that decides which
//! alerts recording an outcome raises (regression against the best recent window, below baseline).

use super::{
    best_and_current_window, moving_average, relative_drop, rounded, DriftResult, Policy, Series,
    State, EPSILON,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Kinds of alerts.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The latest window fell from the best recent window beyond the tolerance.
    Regression,
    /// The moving average is worse than the baseline beyond the tolerance.
    BelowBaseline,
    /// The current sample's distribution moved away from the reference sample's.
    Drift,
}

/// Where an alert stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Raised, nobody has looked at it.
    Open,
    /// Seen by someone; still open.
    Acknowledged,
    /// Closed.
    Resolved,
}

/// An alert raised on a series.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Its id, `alert-<n>` with n counting every alert from 1.
    pub alert_id: String,
    /// What kind.
    pub kind: AlertKind,
    /// The series.
    pub series_id: String,
    /// The series' subject, copied for filtering (e.g. by model).
    pub subject: Option<String>,
    /// The outcome whose recording raised it (none for a drift alert).
    pub outcome_id: Option<String>,
    /// The level compared with: best recent window mean, baseline, or reference sample mean.
    pub reference: f64,
    /// The level observed: latest window mean, moving average, or current sample mean.
    pub observed: f64,
    /// How much worse `observed` is than `reference`, relative to `|reference|` (absolute
    /// when the reference is 0); for drift, informative only (drift may go either way).
    pub drop: f64,
    /// The tolerance that was exceeded (for drift, the significant PSI threshold).
    pub tolerance: f64,
    /// The drift statistics, for a drift alert.
    #[serde(default)]
    pub drift: Option<DriftResult>,
    /// A human-readable description.
    pub message: String,
    /// Where it stands.
    pub status: AlertStatus,
    /// When raised.
    pub raised_at: DateTime<Utc>,
    /// When acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Notes given on acknowledgement and resolution, in order.
    pub notes: Vec<String>,
}

impl Alert {
    /// Open until resolved (an acknowledged alert is still open).
    pub fn is_open(&self) -> bool {
        self.status != AlertStatus::Resolved
    }
}

/// The alerts recording `value` into `series` raises, numbered from `next_number`.
pub(super) fn alerts_for(
    state: &State,
    policy: &Policy,
    series_id: &str,
    series: &Series,
    outcome_id: &str,
    value: f64,
    at: DateTime<Utc>,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let mut next_number = state.alerts.len() + 1;
    let mut raise = |kind: AlertKind, reference: f64, observed: f64, drop: f64, tolerance: f64| {
        let message = match kind {
            AlertKind::Regression => format!(
                "series {series_id}: mean of the latest {} outcomes {} is {:.1}% worse than the best recent window {}, beyond the {:.1}% tolerance",
                policy.regression_window,
                rounded(observed),
                drop * 100.0,
                rounded(reference),
                tolerance * 100.0,
            ),
            // Drift alerts are raised by `AssessDrift`, never here.
            AlertKind::BelowBaseline | AlertKind::Drift => format!(
                "series {series_id}: moving average {} is {:.1}% worse than the baseline {}, beyond the {:.1}% tolerance",
                rounded(observed),
                drop * 100.0,
                rounded(reference),
                tolerance * 100.0,
            ),
        };
        alerts.push(Alert {
            alert_id: format!("alert-{next_number}"),
            kind,
            series_id: series_id.to_string(),
            subject: series.subject.clone(),
            outcome_id: Some(outcome_id.to_string()),
            reference,
            observed,
            drop,
            tolerance,
            drift: None,
            message,
            status: AlertStatus::Open,
            raised_at: at,
            acknowledged_at: None,
            resolved_at: None,
            notes: Vec::new(),
        });
        next_number += 1;
    };

    if !state.has_open(series_id, AlertKind::Regression) {
        let values = series.tail_with(series.regression_from, policy.regression_lookback, value);
        if let Some((best, current)) = best_and_current_window(
            &values,
            policy.regression_window,
            policy.regression_lookback,
            series.direction,
        ) {
            let drop = relative_drop(best, current, series.direction);
            if drop.is_finite() && drop > policy.regression_tolerance + EPSILON {
                raise(
                    AlertKind::Regression,
                    best,
                    current,
                    drop,
                    policy.regression_tolerance,
                );
            }
        }
    }
    if let Some(baseline) = series.baseline {
        if !state.has_open(series_id, AlertKind::BelowBaseline) {
            let values =
                series.tail_with(series.baseline_from, policy.moving_average_window, value);
            if values.len() >= policy.moving_average_window {
                if let Some(average) = moving_average(&values, policy.moving_average_window) {
                    let drop = relative_drop(baseline, average, series.direction);
                    if drop.is_finite() && drop > policy.baseline_tolerance + EPSILON {
                        raise(
                            AlertKind::BelowBaseline,
                            baseline,
                            average,
                            drop,
                            policy.baseline_tolerance,
                        );
                    }
                }
            }
        }
    }
    alerts
}
