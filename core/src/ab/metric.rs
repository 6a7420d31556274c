//! Continuous-metric totals of a variant in block 21 (deal value per lead,
//! a performance score, revenue) and their place in the experiment report:
//! each variant's mean, and the relative lift of the mean over control with
//! its interval and p-value (gbstats' Welch t-test, `stats::mean_lift_t_test`).
//!
//! Kept as totals (`n`, `sum`, `sum_squares`) as gbstats keeps them, so a
//! batch of any size is one command and the state stays three numbers.

use serde::{Deserialize, Serialize};

use crate::stats::{self, MeanStats};

/// Running totals of a variant's continuous metric.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbMetricTotals"))]
pub struct MetricTotals {
    /// Units measured.
    pub n: u64,
    /// Sum of the values.
    pub sum: f64,
    /// Sum of the squared values.
    pub sum_squares: f64,
}

impl MetricTotals {
    /// The totals with a batch added; `None` when a total would overflow
    /// (a unit count above `u64::MAX`, or a sum that is no longer finite).
    pub fn plus(&self, n: u64, sum: f64, sum_squares: f64) -> Option<MetricTotals> {
        let total = MetricTotals {
            n: self.n.checked_add(n)?,
            sum: self.sum + sum,
            sum_squares: self.sum_squares + sum_squares,
        };
        (total.sum.is_finite() && total.sum_squares.is_finite()).then_some(total)
    }

    fn stats(&self) -> MeanStats {
        MeanStats {
            n: self.n,
            sum: self.sum,
            sum_squares: self.sum_squares,
        }
    }
}

/// One variant's continuous metric in a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MeanReport {
    /// Units measured.
    pub n: u64,
    /// Mean value (0 without units).
    pub mean: f64,
    /// Relative lift of the mean over control's; `None` for control, or
    /// when the test is undefined (see `reason`).
    pub lift: Option<f64>,
    /// Lower bound of the lift's interval at the policy's alpha.
    pub ci_low: Option<f64>,
    /// Upper bound of the lift's interval.
    pub ci_high: Option<f64>,
    /// Two-sided p-value of "no lift" (not adjusted for several variants).
    pub p_value: Option<f64>,
    /// Why there is no test, when there is none and this is not control.
    pub reason: Option<String>,
}

/// The mean report of each variant (control first), or `None` when no
/// variant has recorded a metric.
pub fn mean_reports(totals: &[Option<MetricTotals>], alpha: f64) -> Option<Vec<MeanReport>> {
    if totals.iter().all(Option::is_none) {
        return None;
    }
    let control = totals.first().copied().flatten().unwrap_or_default();
    Some(
        totals
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let t = t.unwrap_or_default();
                let mean = if t.n == 0 { 0.0 } else { t.sum / t.n as f64 };
                let test =
                    (i > 0).then(|| stats::mean_lift_t_test(control.stats(), t.stats(), alpha));
                let ok = test.as_ref().and_then(|r| r.as_ref().ok());
                MeanReport {
                    n: t.n,
                    mean,
                    lift: ok.map(|r| r.lift),
                    ci_low: ok.map(|r| r.ci_low),
                    ci_high: ok.map(|r| r.ci_high),
                    p_value: ok.map(|r| r.p_value),
                    reason: test.and_then(|r| r.err()).map(|e| e.to_string()),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(values: &[f64]) -> Option<MetricTotals> {
        Some(MetricTotals {
            n: values.len() as u64,
            sum: values.iter().sum(),
            sum_squares: values.iter().map(|x| x * x).sum(),
        })
    }

    #[test]
    fn each_variant_gets_its_mean_and_lift_over_control() {
        let reports = mean_reports(
            &[
                totals(&[9.0, 11.0, 10.0]),
                None,
                totals(&[14.0, 16.0, 15.0]),
            ],
            0.05,
        )
        .expect("a variant has a metric");
        assert_eq!(reports.len(), 3);
        assert_eq!((reports[0].mean, reports[0].lift), (10.0, None));
        assert_eq!(reports[0].reason, None);
        // A variant without a metric: zero units, the reason says why.
        assert_eq!(reports[1].lift, None);
        assert!(reports[1]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("zero trials")));
        let b = &reports[2];
        assert!((b.lift.unwrap_or(0.0) - 0.5).abs() < 1e-12, "{b:?}");
        assert!(b.ci_low < b.lift && b.lift < b.ci_high && b.p_value < Some(0.01));
        assert_eq!(mean_reports(&[None, None], 0.05), None);
    }

    #[test]
    fn totals_refuse_overflow() {
        let t = MetricTotals {
            n: u64::MAX,
            sum: 1.0,
            sum_squares: 1.0,
        };
        assert_eq!(t.plus(1, 1.0, 1.0), None);
        assert_eq!(
            MetricTotals::default()
                .plus(1, f64::MAX, 0.0)
                .and_then(|t| t.plus(1, f64::MAX, 0.0)),
            None
        );
    }
}
