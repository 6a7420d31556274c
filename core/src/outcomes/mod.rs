//! Block 25, outcome evaluation: series of measured outcomes, their trend, and the alerts that
//! stop scaling when results fall (below the baseline, or below their own best recent level).
//!
//! # The model
//! Outcomes are grouped into *series*. A series is one metric measured on one subject, for
//! example `conversion_rate` of script `s1`; the caller picks its id (say
//! `"conversion_rate/script:s1"`) and declares it once with [`Command::DefineSeries`], giving
//! the metric name, an optional subject (the model, script or clone measured), whether higher
//! or lower is better, and an optional baseline. Each outcome is a value, an optional label
//! (for example `"won"`, `"variant-b"`) and the time of the command that recorded it, in the
//! order recorded.
//!
//! # What is computed
//! - Trend ([`State::trend`]): least-squares slope per outcome, moving average over the
//!   policy's window, improvement rate of the moving average against the baseline.
//! - Below-baseline alert: the moving average over a full window is worse than the baseline by
//!   more than the policy's relative tolerance.
//! - Regression alert: the mean of the latest window is worse than the best window mean among
//!   the recent outcomes (the policy's lookback) by more than the policy's relative tolerance.
//!   The original system compared simple averages against fixed thresholds; here windows,
//!   lookback and tolerances are policy values.
//! - Drift ([`Command::AssessDrift`]): a reference and a current sample of a series (for
//!   example last quarter's deal sizes and this week's) compared with the population
//!   stability index and the two-sample Kolmogorov-Smirnov test of [`crate::stats`]. The PSI
//!   bands (0.1 / 0.25 by default) and the KS significance level are policy values; a drift
//!   alert is raised at a significant PSI or a KS p-value below the level.
//!
//! # Alerts
//! Alerts are raised as events by [`Command::RecordOutcome`] (regression, below baseline) and
//! [`Command::AssessDrift`] (drift), at most one open alert per kind and series; ids are
//! `alert-<n>`, counting every alert from 1, so they are the same on every replay. An
//! acknowledged alert is still open: only [`Command::ResolveAlert`] closes it. Open regression
//! alerts ([`State::open_regression_alerts`]) block promotion in the gates block. Resolving a
//! regression or below-baseline alert accepts the level at that moment as the new reference:
//! the detection of that kind starts again from the outcomes recorded after the resolution, so
//! a resolved alert is not raised again by the same old data.

mod alerts;
mod drift;
mod error;
mod policy;
mod series;
mod trend;

pub use alerts::*;
pub use drift::*;
pub use error::*;
pub use policy::*;
pub use series::*;
pub use trend::*;

use crate::contract::{self, BlockCommand, BlockEvent, Decision, Kind};
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::stats::{self, DriftBand, StatsError};

/// Largest magnitude of an outcome value or baseline. Outcomes are business metrics (rates,
/// amounts); the bound keeps every sum, mean and slope finite.
pub const MAX_ABS_VALUE: f64 = 1e15;

/// Largest window or lookback a policy may ask for, which bounds the work per outcome.
pub const MAX_WINDOW: usize = 10_000;

/// Largest drift sample, which bounds the work of one drift assessment (sorting).
pub const MAX_SAMPLE: usize = 100_000;

/// Slack when comparing a drop with a tolerance, so a drop of exactly the tolerance is allowed.
const EPSILON: f64 = 1e-12;

tagged_enum! {
/// Commands of the outcomes block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "OutcomesCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Declares a series.
    DefineSeries {
        /// The series' id (non-empty, unique), e.g. `"conversion_rate/script:s1"`.
        series_id: String,
        /// The metric (non-empty), e.g. `"conversion_rate"`.
        metric: String,
        /// What is measured, e.g. a model id (non-empty when given).
        #[serde(default)]
        subject: Option<String>,
        /// Which way is good (default: higher is better).
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
        direction: Direction,
        /// The reference level, if known.
        #[serde(default)]
        baseline: Option<f64>,
    },
    /// Sets or replaces a series' baseline.
    SetBaseline {
        /// The series.
        series_id: String,
        /// The new baseline.
        baseline: f64,
    },
    /// Records an outcome; may raise alerts.
    RecordOutcome {
        /// The series.
        series_id: String,
        /// The outcome's id (unique within the series); omitted or empty, the
        /// engine assigns one (`outcome-<uuid v5 of the log position and time>`).
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
        outcome_id: String,
        /// The measured value (finite, magnitude at most 1e15).
        value: f64,
        /// An optional label (non-empty when given).
        #[serde(default)]
        label: Option<String>,
    },
    /// Compares a current sample of a series with a reference sample; may raise a drift
    /// alert. The samples are not stored, only the result.
    AssessDrift {
        /// The series.
        series_id: String,
        /// The reference sample (non-empty, finite values of magnitude at most 1e15, at most
        /// 100000 values).
        reference: Vec<f64>,
        /// The current sample (same rules).
        current: Vec<f64>,
    },
    /// Marks an alert as seen; it stays open.
    AcknowledgeAlert {
        /// The alert.
        alert_id: String,
        /// An optional note (non-empty when given).
        #[serde(default)]
        note: Option<String>,
    },
    /// Closes an alert, accepting the current level as the new reference.
    ResolveAlert {
        /// The alert.
        alert_id: String,
        /// Why it is resolved (non-empty; kept for the audit).
        note: String,
    },
}
}

tagged_enum! {
/// Events of the outcomes block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "OutcomesEvent"))]
pub enum Event {
    /// A series was declared.
    SeriesDefined {
        /// The series.
        series_id: String,
        /// The metric.
        metric: String,
        /// What is measured.
        subject: Option<String>,
        /// Which way is good.
        direction: Direction,
        /// The reference level.
        baseline: Option<f64>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A series' baseline was set.
    BaselineSet {
        /// The series.
        series_id: String,
        /// The new baseline.
        baseline: f64,
        /// The one it replaced.
        previous: Option<f64>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An outcome was recorded.
    OutcomeRecorded {
        /// The series.
        series_id: String,
        /// The outcome.
        outcome_id: String,
        /// Its value.
        value: f64,
        /// Its label.
        label: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A drift assessment was made.
    DriftAssessed {
        /// The series.
        series_id: String,
        /// The result.
        result: DriftResult,
        /// When.
        at: DateTime<Utc>,
    },
    /// An alert was raised (after the outcome or drift assessment that raised it).
    AlertRaised {
        /// The alert, with status `Open`.
        alert: Alert,
    },
    /// An alert was acknowledged.
    AlertAcknowledged {
        /// The alert.
        alert_id: String,
        /// The note given.
        note: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An alert was resolved.
    AlertResolved {
        /// The alert.
        alert_id: String,
        /// Why.
        note: String,
        /// When.
        at: DateTime<Utc>,
    },
}
}

/// Every series, every alert.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "OutcomesState"))]
pub struct State {
    /// Series by id.
    pub series: BTreeMap<String, Series>,
    /// Every alert ever raised, oldest first.
    pub alerts: Vec<Alert>,
}

impl State {
    /// Folds an event into the state.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::SeriesDefined {
                series_id,
                metric,
                subject,
                direction,
                baseline,
                at,
            } => {
                self.series.insert(
                    series_id.clone(),
                    Series {
                        metric: metric.clone(),
                        subject: subject.clone(),
                        direction: *direction,
                        baseline: *baseline,
                        outcomes: Vec::new(),
                        regression_from: 0,
                        baseline_from: 0,
                        latest_drift: None,
                        defined_at: *at,
                    },
                );
            }
            Event::BaselineSet {
                series_id,
                baseline,
                ..
            } => {
                if let Some(series) = self.series.get_mut(series_id) {
                    series.baseline = Some(*baseline);
                }
            }
            Event::OutcomeRecorded {
                series_id,
                outcome_id,
                value,
                label,
                at,
            } => {
                if let Some(series) = self.series.get_mut(series_id) {
                    series.outcomes.push(Outcome {
                        outcome_id: outcome_id.clone(),
                        value: *value,
                        label: label.clone(),
                        at: *at,
                    });
                }
            }
            Event::DriftAssessed {
                series_id,
                result,
                at,
            } => {
                if let Some(series) = self.series.get_mut(series_id) {
                    series.latest_drift = Some(DriftAssessment {
                        result: *result,
                        at: *at,
                    });
                }
            }
            Event::AlertRaised { alert } => self.alerts.push(alert.clone()),
            Event::AlertAcknowledged { alert_id, note, at } => {
                if let Some(alert) = self.alerts.iter_mut().find(|a| &a.alert_id == alert_id) {
                    alert.status = AlertStatus::Acknowledged;
                    alert.acknowledged_at = Some(*at);
                    alert.notes.extend(note.clone());
                }
            }
            Event::AlertResolved { alert_id, note, at } => {
                let Some(alert) = self.alerts.iter_mut().find(|a| &a.alert_id == alert_id) else {
                    return;
                };
                alert.status = AlertStatus::Resolved;
                alert.resolved_at = Some(*at);
                alert.notes.push(note.clone());
                if let Some(series) = self.series.get_mut(&alert.series_id) {
                    let count = series.outcomes.len();
                    match alert.kind {
                        AlertKind::Regression => series.regression_from = count,
                        AlertKind::BelowBaseline => series.baseline_from = count,
                        // Drift compares samples given with each assessment: nothing to reset.
                        AlertKind::Drift => {}
                    }
                }
            }
        }
    }

    /// A series by id.
    pub fn series(&self, series_id: &str) -> Option<&Series> {
        self.series.get(series_id)
    }

    /// A series' outcomes, oldest first (empty for an unknown series).
    pub fn outcomes(&self, series_id: &str) -> &[Outcome] {
        self.series
            .get(series_id)
            .map_or(&[], |s| s.outcomes.as_slice())
    }

    /// An alert by id.
    pub fn alert(&self, alert_id: &str) -> Option<&Alert> {
        self.alerts.iter().find(|a| a.alert_id == alert_id)
    }

    /// Every open (including acknowledged) alert, oldest first.
    pub fn open_alerts(&self) -> Vec<&Alert> {
        self.alerts.iter().filter(|a| a.is_open()).collect()
    }

    /// Every open regression alert, oldest first: while any is open, the gates block refuses
    /// promotion.
    pub fn open_regression_alerts(&self) -> Vec<&Alert> {
        self.alerts
            .iter()
            .filter(|a| a.is_open() && a.kind == AlertKind::Regression)
            .collect()
    }

    /// Open regression alerts on series whose subject is `subject` (e.g. one model).
    pub fn open_regression_alerts_for(&self, subject: &str) -> Vec<&Alert> {
        self.open_regression_alerts()
            .into_iter()
            .filter(|a| a.subject.as_deref() == Some(subject))
            .collect()
    }

    fn has_open(&self, series_id: &str, kind: AlertKind) -> bool {
        self.alerts
            .iter()
            .any(|a| a.is_open() && a.kind == kind && a.series_id == series_id)
    }

    /// A series' trend under the policy's windows; none for an unknown series.
    pub fn trend(&self, series_id: &str, policy: &Policy) -> Option<TrendReport> {
        let series = self.series.get(series_id)?;
        let values = series.all_values();
        let moving = moving_average(&values, policy.moving_average_window);
        let window = policy.moving_average_window;
        let found = improvement(&values, moving, series.baseline, window, series.direction);
        let tolerance = policy.baseline_tolerance;
        let windows = best_and_current_window(
            &series.values_from(series.regression_from),
            policy.regression_window,
            policy.regression_lookback,
            series.direction,
        );
        Some(TrendReport {
            series_id: series_id.to_string(),
            metric: series.metric.clone(),
            subject: series.subject.clone(),
            direction: series.direction,
            count: values.len(),
            latest: values.last().copied(),
            mean: mean(&values),
            moving_average: moving,
            slope: least_squares_slope(&values),
            baseline: series.baseline,
            improvement_rate: found.map(|f| f.0),
            improvement_reference: found.map(|f| f.1),
            verdict: found.map(|f| verdict(f.0, tolerance)),
            summary: summary(found, moving, tolerance, window),
            best_window_mean: windows.map(|w| w.0),
            current_window_mean: windows.map(|w| w.1),
            latest_drift: series.latest_drift,
            open_alerts: self
                .alerts
                .iter()
                .filter(|a| a.is_open() && a.series_id == series_id)
                .count(),
        })
    }

    /// Every series' trend, by id.
    pub fn trends(&self, policy: &Policy) -> Vec<TrendReport> {
        self.series
            .keys()
            .filter_map(|id| self.trend(id, policy))
            .collect()
    }
}

fn require(field: &'static str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        Err(Error::Empty { field })
    } else {
        Ok(())
    }
}

fn require_optional(field: &'static str, value: Option<&String>) -> Result<(), Error> {
    value.map_or(Ok(()), |v| require(field, v))
}

/// Checks a new id or name: not empty (`Empty`), and within the naming rule
/// every block shares (`crate::clean_name`: at most 200 characters, no
/// control characters).
fn require_name(field: &'static str, value: &str) -> Result<(), Error> {
    require(field, value)?;
    if crate::clean_name(value).is_none() {
        return Err(Error::InvalidName { field });
    }
    Ok(())
}

fn check_value(field: &'static str, value: f64) -> Result<(), Error> {
    if !value.is_finite() {
        return Err(Error::NotFinite { field });
    }
    if value.abs() > MAX_ABS_VALUE {
        return Err(Error::ValueOutOfRange { field, value });
    }
    Ok(())
}

/// A number rounded to 4 decimals, for messages (0.10333333333333333 reads 0.1033).
fn rounded(x: f64) -> f64 {
    let r = (x * 1e4).round() / 1e4;
    if r.is_finite() {
        r
    } else {
        x
    }
}

fn series<'a>(state: &'a State, series_id: &str) -> Result<&'a Series, Error> {
    require("series_id", series_id)?;
    state
        .series
        .get(series_id)
        .ok_or_else(|| Error::UnknownSeries {
            series_id: series_id.to_string(),
        })
}

fn open_alert<'a>(state: &'a State, alert_id: &str) -> Result<&'a Alert, Error> {
    require("alert_id", alert_id)?;
    let alert = state.alert(alert_id).ok_or_else(|| Error::UnknownAlert {
        alert_id: alert_id.to_string(),
    })?;
    if !alert.is_open() {
        return Err(Error::AlreadyResolved {
            alert_id: alert_id.to_string(),
        });
    }
    Ok(alert)
}

/// Holds the block's rules: validates the command and says what happened.
pub fn decide(
    state: &State,
    policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    policy.validate()?;
    match cmd {
        Command::DefineSeries {
            series_id,
            metric,
            subject,
            direction,
            baseline,
        } => {
            require_name("series_id", series_id)?;
            require_name("metric", metric)?;
            subject
                .as_ref()
                .map_or(Ok(()), |s| require_name("subject", s))?;
            if let Some(b) = baseline {
                check_value("baseline", *b)?;
            }
            if state.series.contains_key(series_id) {
                return Err(Error::DuplicateSeries {
                    series_id: series_id.clone(),
                });
            }
            Ok(vec![Event::SeriesDefined {
                series_id: series_id.clone(),
                metric: metric.clone(),
                subject: subject.clone(),
                direction: *direction,
                baseline: *baseline,
                at,
            }])
        }
        Command::SetBaseline {
            series_id,
            baseline,
        } => {
            let series = series(state, series_id)?;
            check_value("baseline", *baseline)?;
            Ok(vec![Event::BaselineSet {
                series_id: series_id.clone(),
                baseline: *baseline,
                previous: series.baseline,
                at,
            }])
        }
        Command::RecordOutcome {
            series_id,
            outcome_id,
            value,
            label,
        } => {
            let series = series(state, series_id)?;
            require_name("outcome_id", outcome_id)?;
            require_optional("label", label.as_ref())?;
            check_value("value", *value)?;
            if series.outcomes.iter().any(|o| &o.outcome_id == outcome_id) {
                return Err(Error::DuplicateOutcome {
                    series_id: series_id.clone(),
                    outcome_id: outcome_id.clone(),
                });
            }
            let mut events = vec![Event::OutcomeRecorded {
                series_id: series_id.clone(),
                outcome_id: outcome_id.clone(),
                value: *value,
                label: label.clone(),
                at,
            }];
            events.extend(
                alerts_for(state, policy, series_id, series, outcome_id, *value, at)
                    .into_iter()
                    .map(|alert| Event::AlertRaised { alert }),
            );
            Ok(events)
        }
        Command::AssessDrift {
            series_id,
            reference,
            current,
        } => {
            let series = series(state, series_id)?;
            check_sample("reference", reference)?;
            check_sample("current", current)?;
            let psi = stats::psi(reference, current, policy.psi_bins)?;
            let ks = stats::ks_test(reference, current)?;
            let band = policy.psi_band(psi);
            let (reference_mean, current_mean) = match (mean(reference), mean(current)) {
                (Some(r), Some(c)) => (r, c),
                _ => return Err(Error::EmptySample { field: "reference" }),
            };
            let result = DriftResult {
                psi,
                band,
                ks_statistic: ks.statistic,
                ks_p_value: ks.p_value,
                reference_size: reference.len(),
                current_size: current.len(),
                reference_mean,
                current_mean,
                drifted: band == DriftBand::Significant || ks.p_value < policy.ks_alpha,
            };
            let mut events = vec![Event::DriftAssessed {
                series_id: series_id.clone(),
                result,
                at,
            }];
            if result.drifted && !state.has_open(series_id, AlertKind::Drift) {
                let drop = relative_drop(reference_mean, current_mean, series.direction);
                events.push(Event::AlertRaised {
                    alert: Alert {
                        alert_id: format!("alert-{}", state.alerts.len() + 1),
                        kind: AlertKind::Drift,
                        series_id: series_id.clone(),
                        subject: series.subject.clone(),
                        outcome_id: None,
                        reference: reference_mean,
                        observed: current_mean,
                        drop,
                        tolerance: policy.psi_significant,
                        drift: Some(result),
                        message: format!(
                            "series {series_id}: current sample drifted from the reference (psi {psi:.3}, {} with bands {} / {}; ks {:.3}, p-value {:.4} against {}); mean {} -> {}",
                            band_name(band),
                            policy.psi_moderate,
                            policy.psi_significant,
                            ks.statistic,
                            ks.p_value,
                            policy.ks_alpha,
                            rounded(reference_mean),
                            rounded(current_mean),
                        ),
                        status: AlertStatus::Open,
                        raised_at: at,
                        acknowledged_at: None,
                        resolved_at: None,
                        notes: Vec::new(),
                    },
                });
            }
            Ok(events)
        }
        Command::AcknowledgeAlert { alert_id, note } => {
            let alert = open_alert(state, alert_id)?;
            require_optional("note", note.as_ref())?;
            if alert.status == AlertStatus::Acknowledged {
                return Err(Error::AlreadyAcknowledged {
                    alert_id: alert_id.clone(),
                });
            }
            Ok(vec![Event::AlertAcknowledged {
                alert_id: alert_id.clone(),
                note: note.clone(),
                at,
            }])
        }
        Command::ResolveAlert { alert_id, note } => {
            open_alert(state, alert_id)?;
            require("note", note)?;
            Ok(vec![Event::AlertResolved {
                alert_id: alert_id.clone(),
                note: note.clone(),
                at,
            }])
        }
    }
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::DefineSeries { series_id, .. }
            | Command::SetBaseline { series_id, .. }
            | Command::RecordOutcome { series_id, .. }
            | Command::AssessDrift { series_id, .. } => format!("series/{series_id}"),
            Command::AcknowledgeAlert { alert_id, .. } | Command::ResolveAlert { alert_id, .. } => {
                format!("alert/{alert_id}")
            }
        }
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::RecordOutcome { .. } | Command::AssessDrift { .. } => Kind::Alert,
            _ => Kind::Command,
        }
    }
}

impl BlockEvent for Event {
    fn detail(&self) -> Option<String> {
        match self {
            Event::AlertRaised { alert } => {
                Some(format!("alert {}: {}", alert.alert_id, alert.message))
            }
            _ => None,
        }
    }

    /// Whether an outcome or a drift assessment raised an alert, so what-if
    /// shows an alert raised under one policy and not under the other.
    fn decision(&self) -> Option<Decision> {
        match self {
            Event::AlertRaised { alert } => Some(Decision::new(
                Kind::Alert,
                format!("series/{}", alert.series_id),
                contract::Outcome::Said(format!(
                    "alert: {}",
                    match alert.kind {
                        AlertKind::Regression => "regression",
                        AlertKind::BelowBaseline => "below baseline",
                        AlertKind::Drift => "drift",
                    }
                )),
                alert.message.clone(),
            )),
            Event::OutcomeRecorded { series_id, .. } | Event::DriftAssessed { series_id, .. } => {
                Some(Decision::new(
                    Kind::Alert,
                    format!("series/{series_id}"),
                    // An alert raised by the same command takes precedence.
                    contract::Outcome::Unchanged,
                    "no alert raised",
                ))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0)
            .single()
            .expect("valid test time")
    }

    /// Windows of 3 in a lookback of 9, regression at 10%, baseline at 5%.
    fn policy() -> Policy {
        Policy {
            moving_average_window: 3,
            regression_window: 3,
            regression_lookback: 9,
            regression_tolerance: 0.10,
            baseline_tolerance: 0.05,
            ..Policy::default()
        }
    }

    fn define(series_id: &str, direction: Direction, baseline: Option<f64>) -> Command {
        Command::DefineSeries {
            series_id: series_id.into(),
            metric: "conversion_rate".into(),
            subject: Some("m1".into()),
            direction,
            baseline,
        }
    }

    fn record(series_id: &str, outcome_id: &str, value: f64) -> Command {
        Command::RecordOutcome {
            series_id: series_id.into(),
            outcome_id: outcome_id.into(),
            value,
            label: None,
        }
    }

    /// Records `values` as outcomes o1, o2, ... of series `s`.
    fn records(values: &[f64]) -> Vec<Command> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| record("s", &format!("o{}", i + 1), *v))
            .collect()
    }

    /// Runs commands in order, folding the events of each; fails the test on an error.
    fn given(commands: &[Command]) -> State {
        let mut state = State::default();
        for cmd in commands {
            let events = decide(&state, &policy(), cmd, t()).expect("given commands succeed");
            for e in &events {
                state.apply(e);
            }
        }
        state
    }

    /// when(command) on a state; checks decide did not mutate it.
    fn when(state: &State, cmd: &Command) -> Result<Vec<Event>, Error> {
        let before = state.clone();
        let result = decide(state, &policy(), cmd, t());
        assert_eq!(state, &before, "decide must not mutate");
        result
    }

    #[test]
    fn new_ids_follow_the_shared_naming_rule() {
        let state = State::default();
        let long = "s".repeat(201);
        let err = when(&state, &define(&long, Direction::HigherIsBetter, None)).expect_err("long");
        assert_eq!(err, Error::InvalidName { field: "series_id" });
        assert_eq!(err.code(), "invalid_name");
        let metric = Command::DefineSeries {
            series_id: "s".into(),
            metric: "close\u{0}rate".into(),
            subject: Some("m1".into()),
            direction: Direction::HigherIsBetter,
            baseline: None,
        };
        assert_eq!(
            when(&state, &metric),
            Err(Error::InvalidName { field: "metric" })
        );
        let state = given(&[define("s", Direction::HigherIsBetter, None)]);
        assert_eq!(
            when(&state, &record("s", "o\n1", 1.0)),
            Err(Error::InvalidName {
                field: "outcome_id"
            })
        );
        assert!(when(&state, &record("s", "o1", 1.0)).is_ok());
    }

    fn fold(mut state: State, events: &[Event]) -> State {
        for e in events {
            state.apply(e);
        }
        state
    }

    fn raised(events: &[Event]) -> Vec<(AlertKind, String)> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::AlertRaised { alert } => Some((alert.kind, alert.alert_id.clone())),
                _ => None,
            })
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn pure_functions() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 3.0]), Some(2.0));
        assert_eq!(least_squares_slope(&[5.0]), None);
        assert_eq!(least_squares_slope(&[1.0, 3.0, 5.0]), Some(2.0));
        assert_eq!(least_squares_slope(&[2.0, 2.0, 2.0]), Some(0.0));
        assert_eq!(moving_average(&[1.0, 2.0, 3.0, 4.0], 2), Some(3.5));
        assert_eq!(moving_average(&[1.0, 2.0], 5), Some(1.5));
        assert_eq!(moving_average(&[1.0, 2.0], 0), Some(2.0));
        // one window only: nothing to compare
        assert_eq!(
            best_and_current_window(&[1.0, 2.0, 3.0], 3, 9, Direction::HigherIsBetter),
            None
        );
        assert_eq!(
            best_and_current_window(&[1.0, 5.0, 5.0, 1.0], 2, 9, Direction::HigherIsBetter),
            Some((5.0, 3.0))
        );
        assert_eq!(
            best_and_current_window(&[1.0, 5.0, 5.0, 1.0], 2, 9, Direction::LowerIsBetter),
            Some((3.0, 3.0))
        );
        // the lookback drops old windows: only [5, 1, 1] is looked at
        assert_eq!(
            best_and_current_window(&[9.0, 9.0, 5.0, 1.0, 1.0], 2, 3, Direction::HigherIsBetter),
            Some((3.0, 1.0))
        );
    }

    #[test]
    fn trend_reports_slope_moving_average_and_improvement() {
        let mut cmds = vec![define("s", Direction::HigherIsBetter, Some(0.10))];
        cmds.extend(records(&[0.10, 0.11, 0.12, 0.13]));
        let state = given(&cmds);
        let trend = state.trend("s", &policy()).expect("defined");
        assert_eq!(trend.count, 4);
        assert_eq!(trend.latest, Some(0.13));
        assert!(close(trend.slope.unwrap_or_default(), 0.01));
        assert!(close(trend.moving_average.unwrap_or_default(), 0.12));
        assert!(close(trend.improvement_rate.unwrap_or_default(), 0.2));
        assert!(close(trend.best_window_mean.unwrap_or_default(), 0.12));
        assert_eq!(trend.open_alerts, 0);
        assert!(state.trend("unknown", &policy()).is_none());
        assert_eq!(state.trends(&policy()).len(), 1);

        // lower is better: a falling cost is an improvement
        let mut cmds = vec![define("s", Direction::LowerIsBetter, Some(10.0))];
        cmds.extend(records(&[9.0, 8.0, 7.0]));
        let trend = given(&cmds).trend("s", &policy()).expect("defined");
        assert!(close(trend.improvement_rate.unwrap_or_default(), 0.2));
        assert!(close(trend.slope.unwrap_or_default(), -1.0));

        let json = serde_json::to_value(&trend).expect("serializes");
        assert_eq!(json["seriesId"], "s");
        assert_eq!(json["direction"], "lower_is_better");
        assert!(json.get("improvementRate").is_some());
    }

    #[test]
    fn the_trend_says_improving_declining_or_stable_against_the_baseline_or_the_first_window() {
        // (direction, baseline, values) -> (verdict, reference, rate); moving window 3,
        // tolerance 5%.
        use ImprovementReference::{Baseline, FirstWindow};
        let h = Direction::HigherIsBetter;
        let l = Direction::LowerIsBetter;
        type Expected = Option<(Verdict, ImprovementReference, f64)>;
        let cases: Vec<(Direction, Option<f64>, Vec<f64>, Expected)> = vec![
            (
                h,
                Some(0.10),
                vec![0.10, 0.11, 0.12, 0.13],
                Some((Verdict::Improving, Baseline, 0.2)),
            ),
            (
                h,
                Some(0.10),
                vec![0.10, 0.09, 0.08],
                Some((Verdict::Declining, Baseline, -0.1)),
            ),
            (
                h,
                Some(0.10),
                vec![0.10, 0.102, 0.098],
                Some((Verdict::Stable, Baseline, 0.0)),
            ),
            (
                l,
                Some(10.0),
                vec![9.0, 8.0, 7.0],
                Some((Verdict::Improving, Baseline, 0.2)),
            ),
            // No baseline: the first three outcomes (mean 1.0) against the latest three (1.5).
            (
                h,
                None,
                vec![1.0, 1.0, 1.0, 1.5, 1.5, 1.5],
                Some((Verdict::Improving, FirstWindow, 0.5)),
            ),
            (
                l,
                None,
                vec![1.0, 1.0, 1.0, 1.5, 1.5, 1.5],
                Some((Verdict::Declining, FirstWindow, -0.5)),
            ),
            (
                h,
                None,
                vec![1.0, 1.0, 1.0, 1.02],
                Some((Verdict::Stable, FirstWindow, 0.02 / 3.0)),
            ),
            // A zero baseline is no reference: the first window is.
            (
                h,
                Some(0.0),
                vec![2.0, 2.0, 2.0, 1.0, 1.0, 1.0],
                Some((Verdict::Declining, FirstWindow, -0.5)),
            ),
            // One window only, or nothing: no trend to tell.
            (h, None, vec![1.0, 2.0, 3.0], None),
            (h, Some(0.1), vec![], None),
        ];
        for (direction, baseline, values, expected) in cases {
            let mut cmds = vec![define("s", direction, baseline)];
            cmds.extend(records(&values));
            let trend = given(&cmds).trend("s", &policy()).expect("defined");
            let found = trend
                .verdict
                .zip(trend.improvement_reference)
                .zip(trend.improvement_rate);
            match (found, expected) {
                (Some(((v, r), rate)), Some((ev, er, erate))) => {
                    assert_eq!((v, r), (ev, er), "{values:?}");
                    assert!((rate - erate).abs() < 1e-9, "{values:?}: {rate} vs {erate}");
                    assert!(trend.summary.starts_with(v.word()), "{}", trend.summary);
                }
                (None, None) => {
                    assert!(
                        trend.summary.starts_with("no trend yet"),
                        "{}",
                        trend.summary
                    );
                }
                (got, want) => panic!("{values:?}: got {got:?}, want {want:?}"),
            }
        }
        let mut cmds = vec![define("s", Direction::HigherIsBetter, None)];
        cmds.extend(records(&[1.0, 1.0, 1.0, 1.5, 1.5, 1.5]));
        let trend = given(&cmds).trend("s", &policy()).expect("defined");
        assert_eq!(
            trend.summary,
            "improving: the moving average 1.5 is 50.0% better than the first 3 outcomes' mean 1"
        );
        let json = serde_json::to_value(&trend).expect("serializes");
        assert_eq!(json["verdict"], "improving");
        assert_eq!(json["improvementReference"], "first_window");
    }

    #[test]
    fn regression_beyond_tolerance_raises_one_alert() {
        let mut cmds = vec![define("s", Direction::HigherIsBetter, None)];
        cmds.extend(records(&[1.0, 1.0, 1.0, 1.0, 0.9]));
        let state = given(&cmds);
        // windows of 3: best 1.0; adding 0.8 makes the latest window (1.0, 0.9, 0.8) = 0.9:
        // exactly 10%, not beyond the tolerance.
        let events = when(&state, &record("s", "o6", 0.8)).expect("valid");
        assert!(raised(&events).is_empty(), "{events:?}");
        let state = fold(state, &events);
        // (0.9, 0.8, 0.7) = 0.8: 20% below the best
        let events = when(&state, &record("s", "o7", 0.7)).expect("valid");
        assert_eq!(
            raised(&events),
            vec![(AlertKind::Regression, "alert-1".to_string())]
        );
        let Some(Event::AlertRaised { alert }) = events.get(1) else {
            panic!("expected an alert, got {events:?}");
        };
        assert_eq!(alert.outcome_id.as_deref(), Some("o7"));
        assert_eq!(alert.subject.as_deref(), Some("m1"));
        assert!(close(alert.reference, 1.0));
        assert!(close(alert.observed, 0.8));
        assert!(close(alert.drop, 0.2));
        assert_eq!(
            alert.message,
            "series s: mean of the latest 3 outcomes 0.8 is 20.0% worse than the best recent window 1, beyond the 10.0% tolerance"
        );
        let state = fold(state, &events);
        assert_eq!(state.open_regression_alerts().len(), 1);
        assert_eq!(state.open_regression_alerts_for("m1").len(), 1);
        assert!(state.open_regression_alerts_for("m2").is_empty());
        // still regressed, but one open alert per kind and series is enough
        let events = when(&state, &record("s", "o8", 0.5)).expect("valid");
        assert!(raised(&events).is_empty());
    }

    #[test]
    fn lower_is_better_regresses_upwards() {
        let mut cmds = vec![define("s", Direction::LowerIsBetter, None)];
        // latest windows (10, 10, 11) and (10, 11, 12) are within 10% of the best (10, 10, 10)
        cmds.extend(records(&[10.0, 10.0, 10.0, 11.0, 12.0]));
        let state = given(&cmds);
        assert!(state.alerts.is_empty());
        // (11, 12, 12) is 16.7% above (worse than) 10
        let events = when(&state, &record("s", "o6", 12.0)).expect("valid");
        assert_eq!(
            raised(&events),
            vec![(AlertKind::Regression, "alert-1".to_string())]
        );
    }

    #[test]
    fn acknowledged_alert_stays_open_and_resolved_alert_closes_and_resets() {
        let mut cmds = vec![define("s", Direction::HigherIsBetter, None)];
        cmds.extend(records(&[1.0, 1.0, 1.0, 0.5, 0.5, 0.5]));
        let state = given(&cmds);
        assert_eq!(state.open_regression_alerts().len(), 1);
        let ack = Command::AcknowledgeAlert {
            alert_id: "alert-1".into(),
            note: Some("looking".into()),
        };
        let state = fold(state.clone(), &when(&state, &ack).expect("valid"));
        assert_eq!(state.open_regression_alerts().len(), 1);
        assert_eq!(
            state.alert("alert-1").map(|a| a.status),
            Some(AlertStatus::Acknowledged)
        );
        assert_eq!(
            when(&state, &ack),
            Err(Error::AlreadyAcknowledged {
                alert_id: "alert-1".into()
            })
        );
        let resolve = Command::ResolveAlert {
            alert_id: "alert-1".into(),
            note: "new script accepted at the lower level".into(),
        };
        let events = when(&state, &resolve).expect("valid");
        let state = fold(state, &events);
        assert!(state.open_regression_alerts().is_empty());
        assert_eq!(state.alert("alert-1").map(|a| a.notes.len()), Some(2));
        assert_eq!(
            when(&state, &resolve).map_err(|e| e.to_string()),
            Err("alert alert-1 is already resolved".to_string())
        );
        assert_eq!(
            when(&state, &ack).map_err(|e| e.code()),
            Err("already_resolved")
        );
        // the old high level no longer counts: recording more at 0.5 raises nothing
        let later: Vec<Command> = (1..=4)
            .map(|i| record("s", &format!("p{i}"), 0.5))
            .collect();
        let state = given(&[cmds, vec![resolve], later].concat());
        assert!(state.open_regression_alerts().is_empty());
        assert_eq!(state.alerts.len(), 1);
    }

    #[test]
    fn below_baseline_needs_a_full_window_and_respects_tolerance() {
        let mut cmds = vec![define("s", Direction::HigherIsBetter, Some(1.0))];
        cmds.extend(records(&[0.5, 0.5]));
        let state = given(&cmds);
        assert!(
            state.alerts.is_empty(),
            "two outcomes do not fill the window of 3"
        );
        let events = when(&state, &record("s", "o3", 0.5)).expect("valid");
        assert_eq!(
            raised(&events),
            vec![(AlertKind::BelowBaseline, "alert-1".to_string())]
        );
        // within 5%: no alert
        let mut cmds = vec![define("s", Direction::HigherIsBetter, Some(1.0))];
        cmds.extend(records(&[0.96, 0.96, 0.96]));
        assert!(given(&cmds).alerts.is_empty());
        // baseline alerts are not regression alerts
        let mut cmds = vec![define("s", Direction::HigherIsBetter, Some(1.0))];
        cmds.extend(records(&[0.5, 0.5, 0.5]));
        let state = given(&cmds);
        assert_eq!(state.open_alerts().len(), 1);
        assert!(state.open_regression_alerts().is_empty());
    }

    #[test]
    fn set_baseline_replaces_and_reports_previous() {
        let state = given(&[define("s", Direction::HigherIsBetter, Some(1.0))]);
        let cmd = Command::SetBaseline {
            series_id: "s".into(),
            baseline: 2.0,
        };
        let events = when(&state, &cmd).expect("valid");
        assert_eq!(
            events,
            vec![Event::BaselineSet {
                series_id: "s".into(),
                baseline: 2.0,
                previous: Some(1.0),
                at: t()
            }]
        );
        let state = fold(state, &events);
        assert_eq!(state.series("s").and_then(|s| s.baseline), Some(2.0));
        let bad = Command::SetBaseline {
            series_id: "s".into(),
            baseline: f64::INFINITY,
        };
        assert_eq!(
            when(&state, &bad),
            Err(Error::NotFinite { field: "baseline" })
        );
    }

    #[test]
    fn invalid_commands_are_typed_errors() {
        let state = given(&[
            define("s", Direction::HigherIsBetter, None),
            record("s", "o1", 1.0),
        ]);
        assert_eq!(
            when(&state, &define("s", Direction::HigherIsBetter, None)),
            Err(Error::DuplicateSeries {
                series_id: "s".into()
            })
        );
        assert_eq!(
            when(&state, &define(" ", Direction::HigherIsBetter, None)),
            Err(Error::Empty { field: "series_id" })
        );
        assert_eq!(
            when(&state, &record("nope", "o1", 1.0)),
            Err(Error::UnknownSeries {
                series_id: "nope".into()
            })
        );
        assert_eq!(
            when(&state, &record("s", "o1", 2.0)).map_err(|e| e.to_string()),
            Err("outcome o1 is already recorded in series s".to_string())
        );
        assert_eq!(
            when(&state, &record("s", "o2", f64::NAN)),
            Err(Error::NotFinite { field: "value" })
        );
        assert_eq!(
            when(&state, &record("s", "o2", -1e300)).map_err(|e| e.code()),
            Err("value_out_of_range")
        );
        assert_eq!(
            when(&state, &record("s", "", 1.0)),
            Err(Error::Empty {
                field: "outcome_id"
            })
        );
        let empty_label = Command::RecordOutcome {
            series_id: "s".into(),
            outcome_id: "o2".into(),
            value: 1.0,
            label: Some(String::new()),
        };
        assert_eq!(
            when(&state, &empty_label),
            Err(Error::Empty { field: "label" })
        );
        let unknown_alert = Command::ResolveAlert {
            alert_id: "alert-9".into(),
            note: "x".into(),
        };
        assert_eq!(
            when(&state, &unknown_alert),
            Err(Error::UnknownAlert {
                alert_id: "alert-9".into()
            })
        );
        let mut bad = policy();
        bad.regression_lookback = 2;
        assert_eq!(
            decide(&state, &bad, &record("s", "o2", 1.0), t()),
            Err(Error::LookbackShorterThanWindow {
                lookback: 2,
                window: 3
            })
        );
        let mut bad = policy();
        bad.moving_average_window = 0;
        assert_eq!(
            bad.validate().map_err(|e| e.code()),
            Err("window_out_of_range")
        );
        let mut bad = policy();
        bad.regression_tolerance = f64::NAN;
        assert_eq!(
            bad.validate().map_err(|e| e.code()),
            Err("tolerance_out_of_range")
        );
        assert_eq!(Policy::default().validate(), Ok(()));
    }

    #[test]
    fn json_shapes() {
        let cmd: Command = serde_json::from_value(serde_json::json!({
            "type": "RecordOutcome",
            "series_id": "conversion_rate/script:s1",
            "outcome_id": "o1",
            "value": 0.12,
            "label": "won"
        }))
        .expect("deserializes");
        assert!(
            matches!(cmd, Command::RecordOutcome { ref label, .. } if label.as_deref() == Some("won"))
        );
        let cmd: Command = serde_json::from_value(serde_json::json!({
            "type": "DefineSeries",
            "series_id": "s",
            "metric": "conversion_rate"
        }))
        .expect("optional fields default");
        assert_eq!(
            cmd,
            Command::DefineSeries {
                series_id: "s".into(),
                metric: "conversion_rate".into(),
                subject: None,
                direction: Direction::HigherIsBetter,
                baseline: None
            }
        );
        let mut cmds = vec![define("s", Direction::HigherIsBetter, None)];
        cmds.extend(records(&[1.0, 1.0, 1.0, 0.5, 0.5, 0.5]));
        let state = given(&cmds);
        let json = serde_json::to_value(state.open_regression_alerts()).expect("serializes");
        assert_eq!(json[0]["alertId"], "alert-1");
        assert_eq!(json[0]["kind"], "regression");
        assert_eq!(json[0]["status"], "open");
        let event = Event::AlertResolved {
            alert_id: "alert-1".into(),
            note: "ok".into(),
            at: t(),
        };
        let json = serde_json::to_value(&event).expect("serializes");
        assert_eq!(json["type"], "AlertResolved");
    }

    fn drift(reference: Vec<f64>, current: Vec<f64>) -> Command {
        Command::AssessDrift {
            series_id: "s".into(),
            reference,
            current,
        }
    }

    fn range(from: u32, to: u32) -> Vec<f64> {
        (from..to).map(f64::from).collect()
    }

    #[test]
    fn same_distribution_is_not_drift() {
        let state = given(&[define("s", Direction::HigherIsBetter, None)]);
        let events = when(&state, &drift(range(0, 100), range(0, 100))).expect("valid");
        assert_eq!(events.len(), 1);
        let Some(Event::DriftAssessed { result, .. }) = events.first() else {
            panic!("expected a drift assessment, got {events:?}");
        };
        assert!(result.psi.abs() < 1e-9);
        assert_eq!(result.band, DriftBand::Stable);
        assert_eq!(result.ks_statistic, 0.0);
        assert_eq!(result.ks_p_value, 1.0);
        assert!(!result.drifted);
        assert_eq!((result.reference_size, result.current_size), (100, 100));
        let state = fold(state, &events);
        let trend = state.trend("s", &policy()).expect("defined");
        assert_eq!(
            trend.latest_drift.map(|d| d.result.band),
            Some(DriftBand::Stable)
        );
        assert!(state.alerts.is_empty());
    }

    #[test]
    fn shifted_distribution_raises_one_drift_alert() {
        let state = given(&[define("s", Direction::HigherIsBetter, None)]);
        let events = when(&state, &drift(range(0, 100), range(50, 150))).expect("valid");
        assert_eq!(
            raised(&events),
            vec![(AlertKind::Drift, "alert-1".to_string())]
        );
        let Some(Event::AlertRaised { alert }) = events.get(1) else {
            panic!("expected an alert, got {events:?}");
        };
        let result = alert.drift.expect("drift alert carries the statistics");
        assert_eq!(result.band, DriftBand::Significant);
        assert!(result.drifted);
        assert!((result.ks_statistic - 0.5).abs() < 1e-12);
        assert!(result.ks_p_value < 0.05);
        assert_eq!((alert.reference, alert.observed), (49.5, 99.5));
        assert!(alert.message.contains("significant"), "{}", alert.message);
        let state = fold(state, &events);
        assert_eq!(state.open_alerts().len(), 1);
        assert!(
            state.open_regression_alerts().is_empty(),
            "drift does not block promotion"
        );
        // one open drift alert per series
        let again = when(&state, &drift(range(0, 100), range(60, 160))).expect("valid");
        assert!(raised(&again).is_empty());
        // resolving reopens the door
        let resolve = Command::ResolveAlert {
            alert_id: "alert-1".into(),
            note: "new lead source, expected".into(),
        };
        let state = fold(state.clone(), &when(&state, &resolve).expect("valid"));
        let again = when(&state, &drift(range(0, 100), range(60, 160))).expect("valid");
        assert_eq!(
            raised(&again),
            vec![(AlertKind::Drift, "alert-2".to_string())]
        );
    }

    #[test]
    fn drift_bands_and_levels_are_policy_values() {
        let default = Policy::default();
        for psi in [0.0, 0.05, 0.0999, 0.1, 0.2, 0.25, 0.3, 5.0] {
            assert_eq!(default.psi_band(psi), stats::psi_band(psi), "psi {psi}");
        }
        let strict = Policy {
            psi_moderate: 0.01,
            psi_significant: 0.02,
            ..Policy::default()
        };
        assert_eq!(strict.psi_band(0.015), DriftBand::Moderate);
        assert_eq!(strict.psi_band(0.02), DriftBand::Significant);
        let bad = Policy {
            psi_moderate: 0.3,
            ..Policy::default()
        };
        assert_eq!(
            bad.validate(),
            Err(Error::PsiBandsInvalid {
                moderate: 0.3,
                significant: 0.25
            })
        );
        let bad = Policy {
            ks_alpha: 1.0,
            ..Policy::default()
        };
        assert_eq!(
            bad.validate().map_err(|e| e.code()),
            Err("ks_alpha_out_of_range")
        );
        let bad = Policy {
            psi_bins: 1,
            ..Policy::default()
        };
        assert_eq!(
            bad.validate().map_err(|e| e.to_string()),
            Err("psi bins 1 is outside [2, 1000]".to_string())
        );
    }

    #[test]
    fn invalid_drift_samples_are_typed_errors() {
        let state = given(&[define("s", Direction::HigherIsBetter, None)]);
        assert_eq!(
            when(&state, &drift(vec![], vec![1.0])),
            Err(Error::EmptySample { field: "reference" })
        );
        assert_eq!(
            when(&state, &drift(vec![1.0], vec![f64::NAN])),
            Err(Error::NotFinite { field: "current" })
        );
        assert_eq!(
            when(&state, &drift(vec![1.0], vec![0.0; MAX_SAMPLE + 1])).map_err(|e| e.code()),
            Err("sample_too_large")
        );
        let unknown = Command::AssessDrift {
            series_id: "nope".into(),
            reference: vec![1.0],
            current: vec![1.0],
        };
        assert_eq!(
            when(&state, &unknown).map_err(|e| e.code()),
            Err("unknown_series")
        );
        // the KS test needs at least three values in all (as scipy's asymptotic test)
        assert_eq!(
            when(&state, &drift(vec![1.0], vec![2.0])).map_err(|e| e.code()),
            Err("drift_statistics")
        );
        assert!(when(&state, &drift(vec![1.0, 1.5], vec![2.0])).is_ok());
    }

    proptest! {
        /// Any two valid samples give a finite drift result and never panic.
        #[test]
        fn any_samples_give_a_finite_drift_result(
            reference in proptest::collection::vec(-1e15f64..=1e15, 2..50),
            current in proptest::collection::vec(-1e15f64..=1e15, 1..50),
        ) {
            let state = given(&[define("s", Direction::HigherIsBetter, None)]);
            let events = decide(&state, &policy(), &drift(reference, current), t());
            prop_assert!(events.is_ok(), "{:?}", events);
            for e in events.unwrap_or_default() {
                if let Event::DriftAssessed { result, .. } = e {
                    prop_assert!(result.psi.is_finite() && result.ks_statistic.is_finite() && result.ks_p_value.is_finite());
                    prop_assert!(result.reference_mean.is_finite() && result.current_mean.is_finite());
                }
            }
        }

        /// Any sequence of finite values in range is accepted, never stores a non-finite
        /// number, raises at most one open alert per kind, and the trend is finite.
        #[test]
        fn any_values_give_finite_state(values in proptest::collection::vec(-1e15f64..=1e15, 0..40), baseline in proptest::option::of(-1e15f64..=1e15)) {
            let mut cmds = vec![define("s", Direction::HigherIsBetter, baseline)];
            cmds.extend(records(&values));
            let state = given(&cmds);
            for alert in &state.alerts {
                prop_assert!(alert.reference.is_finite() && alert.observed.is_finite() && alert.drop.is_finite());
            }
            prop_assert!(state.open_regression_alerts().len() <= 1);
            let trend = state.trend("s", &policy()).expect("defined");
            for x in [trend.mean, trend.moving_average, trend.slope, trend.improvement_rate, trend.best_window_mean] {
                prop_assert!(x.is_none_or(f64::is_finite));
            }
        }

        /// Detections read only a tail of the series; they must see exactly what they would
        /// see on the whole series.
        #[test]
        fn tail_gives_the_same_windows_as_the_whole_series(
            values in proptest::collection::vec(-100.0f64..100.0, 0..60),
            from in 0usize..70,
            window in 1usize..8,
            extra in 0usize..20,
            next in -100.0f64..100.0,
        ) {
            let lookback = window + extra;
            // Folded directly: the alerts raised on the way do not matter here.
            let recorded: Vec<Event> = values
                .iter()
                .enumerate()
                .map(|(i, v)| Event::OutcomeRecorded {
                    series_id: "s".into(),
                    outcome_id: format!("o{i}"),
                    value: *v,
                    label: None,
                    at: t(),
                })
                .collect();
            let state = fold(given(&[define("s", Direction::HigherIsBetter, None)]), &recorded);
            let series = state.series("s").expect("defined");
            let mut whole = series.values_from(from);
            whole.push(next);
            let tail = series.tail_with(from, lookback, next);
            prop_assert_eq!(
                best_and_current_window(&tail, window, lookback, Direction::HigherIsBetter),
                best_and_current_window(&whole, window, lookback, Direction::HigherIsBetter)
            );
            let tail = series.tail_with(from, window, next);
            prop_assert_eq!(tail.len() >= window, whole.len() >= window);
            prop_assert_eq!(moving_average(&tail, window), moving_average(&whole, window));
        }

        /// Any f64 as a value is either recorded or a typed error, never a panic.
        #[test]
        fn any_value_is_recorded_or_refused(value in any::<f64>()) {
            let state = given(&[define("s", Direction::HigherIsBetter, Some(1.0))]);
            match decide(&state, &policy(), &record("s", "o1", value), t()) {
                Ok(_) => prop_assert!(value.is_finite()),
                Err(e) => prop_assert!(matches!(e.code(), "not_finite" | "value_out_of_range")),
            }
        }
    }
}
