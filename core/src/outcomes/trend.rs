//! A series' trend: the pure arithmetic (mean, least-squares slope, moving average, best and
//! current window), the verdict in words (improving, declining or stable, against the baseline
//! or, without one, against the series' first window) and the report the console shows.

use super::{Direction, DriftAssessment};
use serde::{Deserialize, Serialize};

/// A series' trend, for the console.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TrendReport {
    /// The series.
    pub series_id: String,
    /// The metric.
    pub metric: String,
    /// What is measured.
    pub subject: Option<String>,
    /// Which way is good.
    pub direction: Direction,
    /// How many outcomes.
    pub count: usize,
    /// The latest value.
    pub latest: Option<f64>,
    /// Mean of all outcomes.
    pub mean: Option<f64>,
    /// Mean of the latest `moving_average_window` outcomes (fewer if there are fewer).
    pub moving_average: Option<f64>,
    /// Least-squares slope of value against outcome index (change per outcome); needs two
    /// outcomes.
    pub slope: Option<f64>,
    /// The baseline.
    pub baseline: Option<f64>,
    /// `(movingAverage - reference) / |reference|`, sign flipped when lower is better, so
    /// positive is always an improvement. The reference is the baseline; without one (or with
    /// a zero baseline), the mean of the first `moving_average_window` outcomes once there
    /// are more outcomes than that; none otherwise.
    pub improvement_rate: Option<f64>,
    /// What the improvement rate is measured against; none when there is no rate.
    #[serde(default)]
    pub improvement_reference: Option<ImprovementReference>,
    /// Improving, declining or stable (a rate within the policy's `baseline_tolerance` either
    /// way is stable); none when there is no rate.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// The verdict as a sentence ("improving: the moving average 0.12 is 20.0% better than
    /// the baseline 0.1"), or why there is none yet.
    #[serde(default)]
    pub summary: String,
    /// Best window mean among the recent outcomes considered by regression detection.
    pub best_window_mean: Option<f64>,
    /// Mean of the latest regression window.
    pub current_window_mean: Option<f64>,
    /// The latest drift assessment.
    pub latest_drift: Option<DriftAssessment>,
    /// Open alerts on the series.
    pub open_alerts: usize,
}

/// What a trend's improvement rate is measured against.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ImprovementReference {
    /// The series' baseline.
    Baseline,
    /// The mean of the series' first `moving_average_window` outcomes (no baseline set).
    FirstWindow,
}

/// Which way a series is going.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TrendVerdict"))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Better than the reference by more than the tolerance.
    Improving,
    /// Worse than the reference by more than the tolerance.
    Declining,
    /// Within the tolerance of the reference.
    Stable,
}

impl Verdict {
    /// Its word ("improving").
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Improving => "improving",
            Verdict::Declining => "declining",
            Verdict::Stable => "stable",
        }
    }
}

/// The improvement of `moving` over the reference, the reference's kind and its value: the
/// baseline when set and non-zero, else the first `window` values' mean once `values` hold
/// more than one window (with one window, the first is the latest: nothing to compare).
pub fn improvement(
    values: &[f64],
    moving: Option<f64>,
    baseline: Option<f64>,
    window: usize,
    direction: Direction,
) -> Option<(f64, ImprovementReference, f64)> {
    let moving = moving?;
    let window = window.max(1);
    let (kind, reference) = match baseline {
        Some(b) if b != 0.0 => (ImprovementReference::Baseline, b),
        _ if values.len() > window => {
            let first = mean(values.get(..window)?)?;
            if first == 0.0 {
                return None;
            }
            (ImprovementReference::FirstWindow, first)
        }
        _ => return None,
    };
    Some((
        -relative_drop(reference, moving, direction),
        kind,
        reference,
    ))
}

/// The verdict on an improvement `rate`: improving above `tolerance`, declining below
/// `-tolerance`, stable between (the tolerance is the policy's `baseline_tolerance`: a change
/// smaller than what counts as a shortfall is no trend).
pub fn verdict(rate: f64, tolerance: f64) -> Verdict {
    if rate > tolerance {
        Verdict::Improving
    } else if rate < -tolerance {
        Verdict::Declining
    } else {
        Verdict::Stable
    }
}

/// The verdict as a sentence a reader needs no code for.
pub fn summary(
    found: Option<(f64, ImprovementReference, f64)>,
    moving: Option<f64>,
    tolerance: f64,
    window: usize,
) -> String {
    let (Some((rate, kind, reference)), Some(moving)) = (found, moving) else {
        return format!(
            "no trend yet: set a baseline or record more than {} outcomes",
            window.max(1)
        );
    };
    let against = match kind {
        ImprovementReference::Baseline => format!("the baseline {reference}"),
        ImprovementReference::FirstWindow => {
            format!("the first {window} outcomes' mean {}", round4(reference))
        }
    };
    let v = verdict(rate, tolerance);
    let how = match v {
        Verdict::Improving => format!("{:.1}% better than", rate * 100.0),
        Verdict::Declining => format!("{:.1}% worse than", -rate * 100.0),
        Verdict::Stable => format!("within {:.1}% of", tolerance * 100.0),
    };
    format!(
        "{}: the moving average {} is {how} {against}",
        v.word(),
        round4(moving)
    )
}

/// Four decimals for a sentence.
fn round4(x: f64) -> f64 {
    let r = (x * 1e4).round() / 1e4;
    if r.is_finite() {
        r
    } else {
        x
    }
}

/// Mean of a slice; none when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

/// Least-squares slope of `values[i]` against `i`; none with fewer than two values.
pub fn least_squares_slope(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let x_mean = (n - 1.0) / 2.0;
    let y_mean = mean(values)?;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in values.iter().enumerate() {
        let dx = i as f64 - x_mean;
        sxy += dx * (y - y_mean);
        sxx += dx * dx;
    }
    let slope = sxy / sxx;
    slope.is_finite().then_some(slope)
}

/// Mean of the last `window` values (all of them if fewer); none when empty.
pub fn moving_average(values: &[f64], window: usize) -> Option<f64> {
    let start = values.len().saturating_sub(window.max(1));
    mean(values.get(start..).unwrap_or(&[]))
}

/// How much worse `observed` is than `reference`, relative to `|reference|` (absolute when
/// the reference is 0); positive means worse. Clamped to the finite range: a tiny reference
/// (1e-300) would otherwise overflow to infinity.
pub fn relative_drop(reference: f64, observed: f64, direction: Direction) -> f64 {
    let worse_by = (reference - observed) * direction.sign();
    let drop = if reference == 0.0 {
        worse_by
    } else {
        worse_by / reference.abs()
    };
    drop.clamp(-f64::MAX, f64::MAX)
}

/// The best and the latest window means among the last `lookback` values, windows of
/// `window` values; none unless the values hold more than one window (with exactly one
/// window, the best is the latest and there is nothing to compare).
pub fn best_and_current_window(
    values: &[f64],
    window: usize,
    lookback: usize,
    direction: Direction,
) -> Option<(f64, f64)> {
    let window = window.max(1);
    let start = values.len().saturating_sub(lookback.max(window));
    let recent = values.get(start..)?;
    if recent.len() <= window {
        return None;
    }
    let current = mean(recent.get(recent.len() - window..)?)?;
    let best = recent
        .windows(window)
        .filter_map(mean)
        .fold(current, |best, m| {
            if (m - best) * direction.sign() > 0.0 {
                m
            } else {
                best
            }
        });
    Some((best, current))
}
