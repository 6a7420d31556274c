//! Absolute thresholds on outcome series (the scaling document's volume, quality, latency
//! and error limits): a statistic of the outcomes recorded in a time window, compared with a
//! ceiling or a floor. Percentiles are computed from the recorded values (linear
//! interpolation between closest ranks, the "inclusive" method of Python's `statistics` and
//! R's type 7), checked against `core/tests/fixtures/percentiles.json`.

use super::Error;
use crate::outcomes;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Longest window: 90 days, in minutes.
pub const MAX_WINDOW_MINUTES: u32 = 90 * 24 * 60;

/// What is computed over the window.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ThresholdStatistic"))]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// The mean of the values (an error rate).
    Mean,
    /// The sum of the values (a volume).
    Sum,
    /// How many outcomes were recorded.
    Count,
    /// The median.
    P50,
    /// The 90th percentile.
    P90,
    /// The 95th percentile (a latency).
    P95,
    /// The 99th percentile.
    P99,
}

impl Statistic {
    /// The statistic of `values` (none for a mean or percentile of nothing).
    pub fn of(self, values: &[f64]) -> Option<f64> {
        match self {
            Statistic::Mean => outcomes::mean(values),
            Statistic::Sum => Some(values.iter().sum()),
            Statistic::Count => Some(values.len() as f64),
            Statistic::P50 => percentile(values, 0.50),
            Statistic::P90 => percentile(values, 0.90),
            Statistic::P95 => percentile(values, 0.95),
            Statistic::P99 => percentile(values, 0.99),
        }
    }

    /// The statistic's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Statistic::Mean => "mean",
            Statistic::Sum => "sum",
            Statistic::Count => "count",
            Statistic::P50 => "p50",
            Statistic::P90 => "p90",
            Statistic::P95 => "p95",
            Statistic::P99 => "p99",
        }
    }
}

/// The `q` quantile of `values` (q in [0, 1]) by linear interpolation between closest ranks:
/// at rank h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
pub fn percentile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    Some(a + (h - lo as f64) * (b - a))
}

/// One absolute threshold: on every series of `metric`, `statistic` over the outcomes of the
/// last `window_minutes` must stay at or below `max` and at or above `min`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringThreshold"))]
pub struct Threshold {
    /// The rule's name (non-empty, unique), named by its alerts.
    pub rule: String,
    /// On or off.
    #[serde(default = "on")]
    pub enabled: bool,
    /// The metric of the series it watches (e.g. `"error_rate"`).
    pub metric: String,
    /// What is computed over the window.
    pub statistic: Statistic,
    /// The window, in minutes, in 1..=129600 (90 days).
    pub window_minutes: u32,
    /// A breach above this (finite when given).
    #[serde(default)]
    pub max: Option<f64>,
    /// A breach below this (finite when given).
    #[serde(default)]
    pub min: Option<f64>,
}

fn on() -> bool {
    true
}

impl Threshold {
    /// The scaling document's limits: error rate above 10%, latency p95 above 2000 ms, volume
    /// below 1 a day.
    pub fn defaults() -> Vec<Threshold> {
        let day = 24 * 60;
        vec![
            Threshold {
                rule: "error_rate_above_10pct".into(),
                enabled: true,
                metric: "error_rate".into(),
                statistic: Statistic::Mean,
                window_minutes: day,
                max: Some(0.10),
                min: None,
            },
            Threshold {
                rule: "latency_p95_above_2000ms".into(),
                enabled: true,
                metric: "latency_ms".into(),
                statistic: Statistic::P95,
                window_minutes: day,
                max: Some(2000.0),
                min: None,
            },
            Threshold {
                rule: "volume_below_1_per_day".into(),
                enabled: true,
                metric: "volume".into(),
                statistic: Statistic::Sum,
                window_minutes: day,
                max: None,
                min: Some(1.0),
            },
        ]
    }

    /// A non-empty rule name and metric, a window in range, finite limits, at least one limit.
    pub fn validate(&self) -> Result<(), Error> {
        if self.rule.trim().is_empty() || self.metric.trim().is_empty() {
            return Err(Error::ThresholdInvalid {
                rule: self.rule.clone(),
                reason: "rule and metric must not be empty".into(),
            });
        }
        if !(1..=MAX_WINDOW_MINUTES).contains(&self.window_minutes) {
            return Err(Error::ThresholdInvalid {
                rule: self.rule.clone(),
                reason: format!(
                    "window_minutes ({}) must be within [1, {MAX_WINDOW_MINUTES}]",
                    self.window_minutes
                ),
            });
        }
        if self.max.is_none() && self.min.is_none() {
            return Err(Error::ThresholdInvalid {
                rule: self.rule.clone(),
                reason: "give max, min or both".into(),
            });
        }
        if self.max.into_iter().chain(self.min).any(|v| !v.is_finite()) {
            return Err(Error::ThresholdInvalid {
                rule: self.rule.clone(),
                reason: "max and min must be finite numbers".into(),
            });
        }
        Ok(())
    }

    /// The breach of this threshold on `series` at `at`, if any. A series with nothing in the
    /// window breaches a floor on its sum or count (no volume is below any floor) and nothing
    /// else (a mean or percentile of nothing says nothing).
    pub fn breach(
        &self,
        series_id: &str,
        series: &outcomes::Series,
        at: DateTime<Utc>,
    ) -> Option<Breach> {
        if !self.enabled || series.metric != self.metric {
            return None;
        }
        let from = at - Duration::minutes(i64::from(self.window_minutes));
        let values: Vec<f64> = series
            .outcomes
            .iter()
            .filter(|o| o.at > from && o.at <= at)
            .map(|o| o.value)
            .collect();
        let value = self.statistic.of(&values)?;
        let (limit, above) = match (self.max, self.min) {
            (Some(max), _) if value > max => (max, true),
            (_, Some(min)) if value < min => (min, false),
            _ => return None,
        };
        Some(Breach {
            rule: self.rule.clone(),
            series_id: series_id.to_string(),
            subject: series.subject.clone(),
            statistic: self.statistic,
            value,
            limit,
            above,
            samples: values.len(),
            window_minutes: self.window_minutes,
        })
    }
}

/// A threshold found breached.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Breach {
    /// The threshold's rule.
    pub rule: String,
    /// The series.
    pub series_id: String,
    /// The series' subject.
    pub subject: Option<String>,
    /// What was computed.
    pub statistic: Statistic,
    /// Its value.
    pub value: f64,
    /// The limit it crossed.
    pub limit: f64,
    /// Above a ceiling (else below a floor).
    pub above: bool,
    /// Outcomes in the window.
    pub samples: usize,
    /// The window, in minutes.
    pub window_minutes: u32,
}

impl Breach {
    /// In words, with the values.
    pub fn message(&self) -> String {
        format!(
            "series {}: {} {} over the last {} minutes ({} outcomes) is {} the limit {}",
            self.series_id,
            self.statistic.name(),
            round(self.value),
            self.window_minutes,
            self.samples,
            if self.above { "above" } else { "below" },
            round(self.limit),
        )
    }
}

/// A value in words: up to 4 decimals, no trailing zeros.
pub(super) fn round(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Case {
        values: Vec<f64>,
        q: f64,
        expected: f64,
    }

    /// Checked against Python's `statistics.quantiles(method="inclusive")`, written by
    /// `core/tests/fixtures/percentiles.py`; relative tolerance 1e-12.
    #[test]
    fn percentiles_match_the_python_reference() {
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../../tests/fixtures/percentiles.json"))
                .unwrap_or_default();
        assert!(cases.len() >= 20);
        for c in cases {
            let got = percentile(&c.values, c.q).unwrap_or(f64::NAN);
            let tol = 1e-12 * c.expected.abs().max(1.0);
            assert!(
                (got - c.expected).abs() <= tol,
                "q {} of {:?}: {got} != {}",
                c.q,
                c.values,
                c.expected
            );
        }
    }

    #[test]
    fn a_percentile_of_nothing_is_none() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[3.0], 0.95), Some(3.0));
    }
}
