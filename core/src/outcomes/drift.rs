//! Drift of a series: the result of comparing a reference sample with a current one
//! (PSI and Kolmogorov-Smirnov from `crate::stats`), and the checks on those samples.

use super::{check_value, DriftBand, Error, MAX_SAMPLE};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The outcome of comparing a reference sample with a current one.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DriftResult {
    /// Population stability index of the current sample against the reference.
    pub psi: f64,
    /// The PSI's band under the policy's thresholds.
    pub band: DriftBand,
    /// Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs.
    pub ks_statistic: f64,
    /// Kolmogorov-Smirnov asymptotic two-sided p-value.
    pub ks_p_value: f64,
    /// Size of the reference sample.
    pub reference_size: usize,
    /// Size of the current sample.
    pub current_size: usize,
    /// Mean of the reference sample.
    pub reference_mean: f64,
    /// Mean of the current sample.
    pub current_mean: f64,
    /// Whether the policy calls this drift: significant PSI band, or KS p-value below the
    /// policy's level.
    pub drifted: bool,
}

/// A drift result and when it was assessed.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DriftAssessment {
    /// The result.
    pub result: DriftResult,
    /// When.
    pub at: DateTime<Utc>,
}

pub(super) fn band_name(band: DriftBand) -> &'static str {
    match band {
        DriftBand::Stable => "stable",
        DriftBand::Moderate => "moderate",
        DriftBand::Significant => "significant",
    }
}

pub(super) fn check_sample(field: &'static str, sample: &[f64]) -> Result<(), Error> {
    if sample.is_empty() {
        return Err(Error::EmptySample { field });
    }
    if sample.len() > MAX_SAMPLE {
        return Err(Error::SampleTooLarge {
            field,
            size: sample.len(),
        });
    }
    for value in sample {
        check_value(field, *value)?;
    }
    Ok(())
}
