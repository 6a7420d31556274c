//! Continuous-metric totals of a variant in block 21 (deal value per lead,
//! a performance score, revenue) and their place in the experiment report:
//! each variant's mean, and the relative lift of the mean over control with
//! its interval and p-value (gbstats' Welch t-test, `stats::mean_lift_t_test`).
//!
//! Kept as totals (`n`, `sum`, `sum_squares`) as gbstats keeps them, so a
//! batch of any size is one command and the state stays three numbers.
//!
//! CUPED: when every batch of a variant and of control also carries the units'
//! pre-period values of the same metric (the covariate: its sum, sum of squares,
//! and the sum of products with the metric), the lift is tested on the
//! regression-adjusted means (`stats::cuped_lift_t_test`, gbstats'
//! `RegressionAdjustedStatistic`): the same lift, a narrower interval when the
//! covariate predicts the metric.

use serde::{Deserialize, Serialize};

use crate::stats::{self, CupedStats, MeanStats, Sums};

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
    /// Totals of the units' pre-period covariate, when every batch gave it
    /// (absent otherwise, so totals recorded without one hash as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub covariate: Option<Covariate>,
}

/// A batch's or a variant's pre-period covariate totals: what CUPED needs
/// beside the metric's own totals.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbCovariate"))]
pub struct Covariate {
    /// Sum of the units' pre-period values.
    pub sum: f64,
    /// Sum of their squares.
    pub sum_squares: f64,
    /// Sum over units of the metric's value times the pre-period value.
    pub sum_products: f64,
}

impl MetricTotals {
    /// The totals with a batch added (with its covariate, kept only while
    /// every batch has one); `None` when a total would overflow (a unit count
    /// above `u64::MAX`, or a sum that is no longer finite).
    pub fn plus(
        &self,
        n: u64,
        sum: f64,
        sum_squares: f64,
        covariate: Option<Covariate>,
    ) -> Option<MetricTotals> {
        let covariate = match (self.n, self.covariate, covariate) {
            (0, _, c) => c,
            (_, Some(a), Some(b)) => Some(Covariate {
                sum: a.sum + b.sum,
                sum_squares: a.sum_squares + b.sum_squares,
                sum_products: a.sum_products + b.sum_products,
            }),
            _ => None,
        };
        let total = MetricTotals {
            n: self.n.checked_add(n)?,
            sum: self.sum + sum,
            sum_squares: self.sum_squares + sum_squares,
            covariate,
        };
        let finite = covariate.is_none_or(|c| {
            c.sum.is_finite() && c.sum_squares.is_finite() && c.sum_products.is_finite()
        });
        (total.sum.is_finite() && total.sum_squares.is_finite() && finite).then_some(total)
    }

    /// The totals as CUPED reads them, when they carry a covariate.
    fn cuped(&self) -> Option<CupedStats> {
        self.covariate.map(|c| CupedStats {
            n: self.n,
            post: Sums {
                sum: self.sum,
                sum_squares: self.sum_squares,
            },
            pre: Sums {
                sum: c.sum,
                sum_squares: c.sum_squares,
            },
            sum_products: c.sum_products,
        })
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
    /// How the lift was tested: CUPED when this variant and control both
    /// carry a pre-period covariate, else Welch.
    pub method: MeanMethod,
}

/// The test behind a variant's lift.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbMeanMethod"))]
#[serde(rename_all = "snake_case")]
pub enum MeanMethod {
    /// Welch's t-test on the means.
    Welch,
    /// Welch's t-test on the CUPED-adjusted means (pooled theta, as gbstats).
    Cuped,
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
                let cuped = control.cuped().zip(t.cuped());
                let test = (i > 0).then(|| match cuped {
                    Some((a, b)) => stats::cuped_lift_t_test(a, b, alpha),
                    None => stats::mean_lift_t_test(control.stats(), t.stats(), alpha),
                });
                let ok = test.as_ref().and_then(|r| r.as_ref().ok());
                MeanReport {
                    n: t.n,
                    mean,
                    lift: ok.map(|r| r.lift),
                    ci_low: ok.map(|r| r.ci_low),
                    ci_high: ok.map(|r| r.ci_high),
                    p_value: ok.map(|r| r.p_value),
                    reason: test.and_then(|r| r.err()).map(|e| e.to_string()),
                    method: if cuped.is_some() || (i == 0 && control.covariate.is_some()) {
                        MeanMethod::Cuped
                    } else {
                        MeanMethod::Welch
                    },
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
            covariate: None,
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

    /// A fixture arm `{ n, post: { sum, sumSquares }, pre: {...}, sumProducts }` as totals.
    fn cuped_totals(v: &serde_json::Value) -> Option<MetricTotals> {
        let f = |x: &serde_json::Value| x.as_f64().unwrap_or(f64::NAN);
        Some(MetricTotals {
            n: v["n"].as_u64().unwrap_or(0),
            sum: f(&v["post"]["sum"]),
            sum_squares: f(&v["post"]["sumSquares"]),
            covariate: Some(Covariate {
                sum: f(&v["pre"]["sum"]),
                sum_squares: f(&v["pre"]["sumSquares"]),
                sum_products: f(&v["sumProducts"]),
            }),
        })
    }

    #[test]
    fn with_a_covariate_in_both_arms_the_lift_is_gbstats_cuped_test() {
        // Compiled in, as the other fixtures under src/ are: core does no IO, tests included.
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/stats_cuped.json"))
                .expect("json");
        let cases = doc["cases"].as_array().cloned().unwrap_or_default();
        assert!(cases.len() >= 500, "only {} cases", cases.len());
        let near = |got: Option<f64>, want: &serde_json::Value, case: &serde_json::Value| {
            let want = want.as_f64().unwrap_or(f64::NAN);
            let got = got.unwrap_or(f64::NAN);
            assert!(
                (got - want).abs() <= 1e-6 * want.abs().max(1e-12),
                "{got} against gbstats {want} for {case}"
            );
        };
        for c in &cases {
            let alpha = c["alpha"].as_f64().unwrap_or(0.05);
            let reports = mean_reports(&[cuped_totals(&c["a"]), cuped_totals(&c["b"])], alpha)
                .expect("both arms recorded");
            let b = &reports[1];
            assert_eq!(
                (reports[0].method, b.method),
                (MeanMethod::Cuped, MeanMethod::Cuped)
            );
            near(b.lift, &c["lift"], c);
            near(b.ci_low, &c["ciLow"], c);
            near(b.ci_high, &c["ciHigh"], c);
            near(b.p_value, &c["pValueExact"], c);
        }
        // Without control's covariate the same variant is tested by Welch.
        let c = &cases[0];
        let mut control = cuped_totals(&c["a"]);
        if let Some(t) = control.as_mut() {
            t.covariate = None;
        }
        let welch = mean_reports(&[control, cuped_totals(&c["b"])], 0.05).expect("recorded");
        assert_eq!(welch[1].method, MeanMethod::Welch);
    }

    #[test]
    fn totals_refuse_overflow() {
        let t = MetricTotals {
            n: u64::MAX,
            sum: 1.0,
            sum_squares: 1.0,
            covariate: None,
        };
        assert_eq!(t.plus(1, 1.0, 1.0, None), None);
        assert_eq!(
            MetricTotals::default()
                .plus(1, f64::MAX, 0.0, None)
                .and_then(|t| t.plus(1, f64::MAX, 0.0, None)),
            None
        );
    }
}
