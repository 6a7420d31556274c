//! Series of outcomes: what is measured, which way is good, and the values recorded.
//! The outcomes block's data model; the rules that read it live in `mod.rs`, `trend` and `alerts`.

use super::DriftAssessment;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which way is good for a metric.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Conversion rate, revenue: a drop is bad.
    #[default]
    HigherIsBetter,
    /// Cost per lead, churn: a rise is bad.
    LowerIsBetter,
}

impl Direction {
    /// +1 when higher is better, -1 otherwise: multiplying a difference by it makes "better"
    /// positive.
    pub(super) fn sign(self) -> f64 {
        match self {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }
}

/// One recorded outcome.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The caller's id (unique within the series).
    pub outcome_id: String,
    /// The measured value.
    pub value: f64,
    /// An optional label ("won", "variant-b").
    pub label: Option<String>,
    /// When it was recorded.
    pub at: DateTime<Utc>,
}

/// One metric on one subject, and its outcomes in the order recorded.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Series {
    /// The metric ("conversion_rate").
    pub metric: String,
    /// What is measured (a model, script or clone id), if any.
    pub subject: Option<String>,
    /// Which way is good.
    pub direction: Direction,
    /// The reference level, if any.
    pub baseline: Option<f64>,
    /// Outcomes, oldest first.
    pub outcomes: Vec<Outcome>,
    /// Regression detection only looks at outcomes from this index on (set when a regression
    /// alert is resolved).
    pub regression_from: usize,
    /// Below-baseline detection only looks at outcomes from this index on (set when such an
    /// alert is resolved).
    pub baseline_from: usize,
    /// The latest drift assessment, if any.
    #[serde(default)]
    pub latest_drift: Option<DriftAssessment>,
    /// When the series was defined.
    pub defined_at: DateTime<Utc>,
}

impl Series {
    pub(super) fn values_from(&self, from: usize) -> Vec<f64> {
        self.outcomes
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .map(|o| o.value)
            .collect()
    }

    /// The values from index `from` on, then `next`, keeping only the last `keep`: what a
    /// detection needs, so recording stays cheap on a long series.
    pub(super) fn tail_with(&self, from: usize, keep: usize, next: f64) -> Vec<f64> {
        let start = self
            .outcomes
            .len()
            .saturating_sub(keep.saturating_sub(1))
            .max(from);
        let mut values = self.values_from(start);
        values.push(next);
        values
    }

    pub(super) fn all_values(&self) -> Vec<f64> {
        self.values_from(0)
    }
}
