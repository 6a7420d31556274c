//! A series' trend: the pure arithmetic (mean, least-squares slope, moving average, best and
//! current window) and the report the console shows.

use super::*;

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
    /// `(movingAverage - baseline) / |baseline|`, sign flipped when lower is better, so
    /// positive is always an improvement; none without a baseline or with a zero baseline.
    pub improvement_rate: Option<f64>,
    /// Best window mean among the recent outcomes considered by regression detection.
    pub best_window_mean: Option<f64>,
    /// Mean of the latest regression window.
    pub current_window_mean: Option<f64>,
    /// The latest drift assessment.
    pub latest_drift: Option<DriftAssessment>,
    /// Open alerts on the series.
    pub open_alerts: usize,
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
