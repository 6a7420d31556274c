//! Continuous metrics as GrowthBook's gbstats handles them: an arm is kept
//! as totals (`n`, `sum`, `sum_squares`), never as raw values, so a deal
//! value per lead or a revenue per user costs three numbers per variant
//! however many units it covers. From those totals: the relative-lift Welch
//! t-test, its always-valid sequential variant and the Gaussian Bayesian
//! effect model on means; the delta-method test of a ratio metric; and
//! CUPED, the regression adjustment on a pre-period covariate.
//!
//! The per-arm moments follow gbstats 0.8 (`models/statistics.py`) formula
//! for formula; the tests then reuse the finishing steps of the proportion
//! tests in `frequentist.rs`, so both kinds of metric answer the same way.
//! References: `core/tests/fixtures/stats_{mean,mean_sequential,
//! mean_bayesian,ratio,cuped}.json`, written by `scripts/fixtures/gen_stats.py`.

use serde::{Deserialize, Serialize};

use super::dist::{normal_quantile, normal_two_sided};
use super::frequentist::{check_sequential, sequential_of, t_test_of, LiftMoments, LiftTest};
use super::math;
use super::{check_alpha, finite, output, StatsError};

/// Totals of one quantity over an arm's units: its sum and sum of squares.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Sums {
    /// Sum of the values.
    pub sum: f64,
    /// Sum of the squared values.
    pub sum_squares: f64,
}

/// One arm of a continuous metric (gbstats' `SampleMeanStatistic`): the
/// number of units and the totals of their values.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MeanStats {
    /// Units (users, leads) measured; at least 2 for a variance.
    pub n: u64,
    /// Sum of the values.
    pub sum: f64,
    /// Sum of the squared values; at least `sum^2 / n`.
    pub sum_squares: f64,
}

/// One arm of a ratio metric (gbstats' `RatioStatistic`), such as revenue
/// per order: per unit a numerator and a denominator value, kept as totals
/// with the sum of their products (for the covariance of the delta method).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RatioStats {
    /// Units measured.
    pub n: u64,
    /// Totals of the numerator values.
    pub numerator: Sums,
    /// Totals of the denominator values.
    pub denominator: Sums,
    /// Sum over units of numerator x denominator.
    pub sum_products: f64,
}

/// One arm of a metric with a pre-period covariate (gbstats'
/// `RegressionAdjustedStatistic`): the metric after the experiment started,
/// the same metric before it, and the sum of their products per unit.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CupedStats {
    /// Units measured (in both periods).
    pub n: u64,
    /// Totals of the metric during the experiment.
    pub post: Sums,
    /// Totals of the metric before the experiment (the covariate).
    pub pre: Sums,
    /// Sum over units of post x pre.
    pub sum_products: f64,
}

/// A proper Gaussian prior on the relative lift (gbstats' `GaussianPrior`
/// with `proper=True`); no prior is gbstats' default, the improper one.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GaussianPrior {
    /// Prior mean of the lift.
    pub mean: f64,
    /// Prior variance of the lift; above 0.
    pub variance: f64,
}

/// Result of [`mean_bayesian`]: the posterior of the relative lift.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BayesLift {
    /// Posterior mean of the relative lift.
    pub lift: f64,
    /// Lower bound of the credible interval.
    pub ci_low: f64,
    /// Upper bound of the credible interval.
    pub ci_high: f64,
    /// Posterior probability that the lift is above 0.
    pub chance_to_win: f64,
    /// Expected lift lost by keeping control if the treatment is better.
    pub risk_control: f64,
    /// Expected lift lost by shipping the treatment if control is better.
    pub risk_treatment: f64,
}

/// Mean and variance of one arm as the tests use them; `unadjusted_mean` is
/// the plain mean the relative lift divides by (it differs from `mean` only
/// under CUPED).
struct Arm {
    n: f64,
    mean: f64,
    unadjusted_mean: f64,
    variance: f64,
}

/// Sample mean and Bessel-corrected variance of one quantity's totals:
/// `mean = sum / n`, `var = (sum_squares - sum^2 / n) / (n - 1)`.
///
/// Refuses sums that no real values have (`sum_squares < sum^2 / n`, beyond
/// rounding); a variance of 0 is left to the caller (zero variance).
fn moments(n: u64, s: Sums) -> Result<(f64, f64), StatsError> {
    finite("sum", s.sum)?;
    finite("sum of squares", s.sum_squares)?;
    let n = n as f64;
    let square_of_sum = s.sum * s.sum / n;
    if s.sum_squares < square_of_sum * (1.0 - 1e-9) || s.sum_squares < 0.0 {
        return Err(StatsError::OutOfRange {
            what: "sum of squares",
            value: s.sum_squares,
            allowed: "at least sum^2 / n, as the totals of real values are",
        });
    }
    Ok((s.sum / n, (s.sum_squares - square_of_sum) / (n - 1.0)))
}

/// Checks an arm's unit count: at least two units (one gives no variance).
fn units(n: u64) -> Result<(), StatsError> {
    match n {
        0 => Err(StatsError::ZeroTrials),
        1 => Err(StatsError::TooFewTrials {
            trials: 1,
            needed: 2,
        }),
        _ => Ok(()),
    }
}

/// Sample covariance of two quantities from their sums and the sum of
/// their products: `(sum_products - sum_x sum_y / n) / (n - 1)`.
fn covariance(n: u64, x: Sums, y: Sums, sum_products: f64) -> Result<f64, StatsError> {
    finite("sum of products", sum_products)?;
    let n = n as f64;
    Ok((sum_products - x.sum * y.sum / n) / (n - 1.0))
}

impl MeanStats {
    fn arm(&self) -> Result<Arm, StatsError> {
        units(self.n)?;
        let (mean, variance) = moments(
            self.n,
            Sums {
                sum: self.sum,
                sum_squares: self.sum_squares,
            },
        )?;
        Ok(Arm {
            n: self.n as f64,
            mean,
            unadjusted_mean: mean,
            variance,
        })
    }
}

impl RatioStats {
    /// gbstats `RatioStatistic`: `mean = sum_m / sum_d` and the delta-method
    /// variance `var_m / mu_d^2 - 2 cov mu_m / mu_d^3 + mu_m^2 var_d / mu_d^4`
    /// (0 when the denominator's mean is 0).
    fn arm(&self) -> Result<Arm, StatsError> {
        units(self.n)?;
        let (mm, vm) = moments(self.n, self.numerator)?;
        let (md, vd) = moments(self.n, self.denominator)?;
        let cov = covariance(self.n, self.numerator, self.denominator, self.sum_products)?;
        let (mean, variance) = if md == 0.0 {
            (0.0, 0.0)
        } else {
            (
                self.numerator.sum / self.denominator.sum,
                vm / (md * md) - 2.0 * cov * mm / md.powi(3) + mm * mm * vd / md.powi(4),
            )
        };
        Ok(Arm {
            n: self.n as f64,
            mean: finite("ratio", mean)?,
            unadjusted_mean: mean,
            variance: finite("ratio variance", variance)?,
        })
    }
}

/// CUPED's `theta`, pooled over both arms as gbstats' `compute_theta`: the
/// covariance of post and pre over the variance of pre, on the joint
/// totals; 0 (no adjustment) when either period has no variance.
fn cuped_theta(a: &CupedStats, b: &CupedStats) -> Result<f64, StatsError> {
    let n = a.n.saturating_add(b.n);
    let join = |x: Sums, y: Sums| Sums {
        sum: x.sum + y.sum,
        sum_squares: x.sum_squares + y.sum_squares,
    };
    let (post, pre) = (join(a.post, b.post), join(a.pre, b.pre));
    let (_, post_var) = moments(n, post)?;
    let (_, pre_var) = moments(n, pre)?;
    if post_var <= 0.0 || pre_var <= 0.0 {
        return Ok(0.0);
    }
    let cov = covariance(n, post, pre, a.sum_products + b.sum_products)?;
    finite("cuped theta", cov / pre_var)
}

impl CupedStats {
    /// The adjusted arm: `mean = mu_post - theta mu_pre`,
    /// `var = var_post + theta^2 var_pre - 2 theta cov`; the lift divides by
    /// the unadjusted `mu_post`.
    fn arm(&self, theta: f64) -> Result<Arm, StatsError> {
        let (post_mean, post_var) = moments(self.n, self.post)?;
        let (pre_mean, pre_var) = moments(self.n, self.pre)?;
        let cov = covariance(self.n, self.post, self.pre, self.sum_products)?;
        Ok(Arm {
            n: self.n as f64,
            mean: finite("adjusted mean", post_mean - theta * pre_mean)?,
            unadjusted_mean: post_mean,
            variance: finite(
                "adjusted variance",
                post_var + theta * theta * pre_var - 2.0 * theta * cov,
            )?,
        })
    }
}

/// gbstats `TTest` moments of the relative lift of `b` over `a`:
/// `lift = (mean_b - mean_a) / u_a` with `u` the unadjusted means,
/// `var = v_b / (u_a^2 n_b) + v_a u_b^2 / (u_a^4 n_a)` (delta method),
/// Welch-Satterthwaite `dof`. Control's mean 0 is [`StatsError::ZeroBaseline`],
/// a variance of 0 (or below, for a ratio) [`StatsError::ZeroVariance`].
fn relative(a: &Arm, b: &Arm) -> Result<LiftMoments, StatsError> {
    if a.mean == 0.0 || a.unadjusted_mean == 0.0 {
        return Err(StatsError::ZeroBaseline);
    }
    if a.variance <= 0.0 || b.variance <= 0.0 {
        return Err(StatsError::ZeroVariance);
    }
    let (ua, ub) = (a.unadjusted_mean, b.unadjusted_mean);
    let (va, vb, na, nb) = (a.variance, b.variance, a.n, b.n);
    let lift = (b.mean - a.mean) / ua;
    let variance = vb / (ua * ua * nb) + va * ub * ub / (ua.powi(4) * na);
    let dof = (vb / nb + va / na).powi(2)
        / (vb * vb / (nb * nb * (nb - 1.0)) + va * va / (na * na * (na - 1.0)));
    Ok(LiftMoments {
        lift: finite("lift", lift)?,
        variance: finite("variance", variance)?,
        dof: finite("degrees of freedom", dof)?,
        total: na + nb,
    })
}

/// Relative-lift Welch t-test of a continuous metric's means (control `a`,
/// treatment `b`), as GrowthBook's frequentist engine: `t = lift / sqrt(var)`,
/// `p = 2 (1 - F_t(|t|; dof))` computed as a tail, interval
/// `lift -/+ F_t^-1(1 - alpha/2; dof) sqrt(var)`.
///
/// Reference: gbstats 0.8 `TwoSidedTTest(SampleMeanStatistic, ...)`
/// (`stats_mean.json`; its far-tail p-values against `2 t.sf`).
///
/// Errors: an arm with 0 units ([`StatsError::ZeroTrials`]) or 1
/// ([`StatsError::TooFewTrials`]), NaN or infinite totals, a sum of squares
/// below `sum^2 / n`, control's mean 0, a variance of 0, alpha outside (0, 1).
pub fn mean_lift_t_test(a: MeanStats, b: MeanStats, alpha: f64) -> Result<LiftTest, StatsError> {
    check_alpha(alpha)?;
    t_test_of(&relative(&a.arm()?, &b.arm()?)?, alpha)
}

/// Always-valid sequential test of a continuous metric's relative lift (the
/// moments of [`mean_lift_t_test`], the formulas of
/// [`super::sequential_lift_test`]); `tuning` is GrowthBook's sequential
/// tuning parameter (default 5000).
///
/// Reference: gbstats 0.8 `SequentialTwoSidedTTest(SampleMeanStatistic)`
/// (`stats_mean_sequential.json`).
///
/// Errors: as [`mean_lift_t_test`], plus a tuning that is not positive.
pub fn mean_sequential_test(
    a: MeanStats,
    b: MeanStats,
    alpha: f64,
    tuning: f64,
) -> Result<LiftTest, StatsError> {
    check_sequential(alpha, tuning)?;
    sequential_of(&relative(&a.arm()?, &b.arm()?)?, alpha, tuning)
}

/// Bayesian posterior of a continuous metric's relative lift, gbstats'
/// Gaussian effect model (`EffectBayesianABTest`): the data give a normal
/// likelihood `N(lift, var)` with the moments of [`mean_lift_t_test`].
/// Without a prior (gbstats' default, improper) the posterior is that
/// normal; with a proper prior `N(m0, v0)` it is `N(m, s^2)` with
/// `1/s^2 = 1/var + 1/v0` and `m = s^2 (lift/var + m0/v0)`.
/// Then `chance_to_win = P(lift > 0) = Phi(m/s)` (a tail, never `1 - Phi`),
/// the interval `m + s Phi^-1(alpha/2)` to `m + s Phi^-1(1 - alpha/2)`, and
/// the risks `E[max(lift, 0)] = m Phi(m/s) + s phi(m/s)` (control) and
/// `E[max(-lift, 0)] = s phi(m/s) - m Phi(-m/s)` (treatment).
///
/// Reference: gbstats 0.8 `EffectBayesianABTest(SampleMeanStatistic)`
/// (`stats_mean_bayesian.json`).
///
/// Errors: as [`mean_lift_t_test`], plus a prior whose mean is not finite or
/// whose variance is not a positive finite number.
pub fn mean_bayesian(
    a: MeanStats,
    b: MeanStats,
    alpha: f64,
    prior: Option<GaussianPrior>,
) -> Result<BayesLift, StatsError> {
    check_alpha(alpha)?;
    if let Some(p) = prior {
        finite("prior mean", p.mean)?;
        finite("prior variance", p.variance)?;
        if p.variance <= 0.0 {
            return Err(StatsError::OutOfRange {
                what: "prior variance",
                value: p.variance,
                allowed: "above 0",
            });
        }
    }
    let m = relative(&a.arm()?, &b.arm()?)?;
    let (mean, sd) = match prior {
        None => (m.lift, m.variance.sqrt()),
        Some(p) => {
            let precision = 1.0 / m.variance + 1.0 / p.variance;
            (
                (m.lift / m.variance + p.mean / p.variance) / precision,
                (1.0 / precision).sqrt(),
            )
        }
    };
    let z = mean / sd;
    // Phi(x) = erfc(-x / sqrt 2) / 2, a tail on either side.
    let upper = |x: f64| {
        if x >= 0.0 {
            1.0 - normal_two_sided(x) / 2.0
        } else {
            normal_two_sided(x) / 2.0
        }
    };
    let density = math::exp(-0.5 * z * z) / (2.0 * std::f64::consts::PI).sqrt();
    Ok(BayesLift {
        lift: output("lift", mean)?,
        ci_low: output("interval", mean + sd * normal_quantile(alpha / 2.0))?,
        ci_high: output("interval", mean + sd * normal_quantile(1.0 - alpha / 2.0))?,
        chance_to_win: output("chance to win", upper(z))?,
        risk_control: output("risk", mean * upper(z) + sd * density)?,
        risk_treatment: output("risk", sd * density - mean * upper(-z))?,
    })
}

/// Relative-lift Welch t-test of a ratio metric (revenue per order, value
/// per contacted lead), with each arm's ratio variance by the delta method
/// (gbstats `RatioStatistic`: `var_m / mu_d^2 - 2 cov mu_m / mu_d^3 +
/// mu_m^2 var_d / mu_d^4`); otherwise as [`mean_lift_t_test`].
///
/// Reference: gbstats 0.8 `TwoSidedTTest(RatioStatistic)` (`stats_ratio.json`).
///
/// Errors: as [`mean_lift_t_test`] (control's ratio 0, including a
/// denominator summing to 0, is [`StatsError::ZeroBaseline`]; a ratio
/// variance of 0 or below is [`StatsError::ZeroVariance`]).
pub fn ratio_lift_t_test(a: RatioStats, b: RatioStats, alpha: f64) -> Result<LiftTest, StatsError> {
    check_alpha(alpha)?;
    t_test_of(&relative(&a.arm()?, &b.arm()?)?, alpha)
}

/// Relative-lift Welch t-test with CUPED variance reduction: each arm's
/// metric is adjusted by its pre-period covariate with one `theta` pooled
/// over both arms (gbstats `compute_theta`); the lift is
/// `(adjusted_b - adjusted_a) / unadjusted mean of a`, its variance shrinks
/// by about the squared correlation of post and pre. With no variance in
/// either period `theta` is 0 and the test is [`mean_lift_t_test`] on the
/// post-period totals, as gbstats falls back.
///
/// Reference: gbstats 0.8 `TwoSidedTTest(RegressionAdjustedStatistic)`
/// (`stats_cuped.json`).
///
/// Errors: as [`mean_lift_t_test`], for either period's totals.
pub fn cuped_lift_t_test(a: CupedStats, b: CupedStats, alpha: f64) -> Result<LiftTest, StatsError> {
    check_alpha(alpha)?;
    units(a.n)?;
    units(b.n)?;
    let theta = cuped_theta(&a, &b)?;
    t_test_of(&relative(&a.arm(theta)?, &b.arm(theta)?)?, alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(values: &[f64]) -> MeanStats {
        MeanStats {
            n: values.len() as u64,
            sum: values.iter().sum(),
            sum_squares: values.iter().map(|x| x * x).sum(),
        }
    }

    #[test]
    fn totals_give_the_same_answer_as_the_values_they_sum() {
        // Deal values per lead: control averages 100, treatment 120.
        let a = arm(&[90.0, 110.0, 95.0, 105.0, 100.0, 100.0]);
        let b = arm(&[115.0, 125.0, 118.0, 122.0, 120.0, 120.0]);
        let r = mean_lift_t_test(a, b, 0.05).expect("t-test");
        assert!((r.lift - 0.2).abs() < 1e-12, "{r:?}");
        assert!(
            r.ci_low > 0.0 && r.ci_high > r.ci_low && r.p_value < 0.01,
            "{r:?}"
        );
        let same = mean_lift_t_test(a, a, 0.05).expect("t-test");
        assert_eq!((same.lift, same.p_value), (0.0, 1.0));
    }

    #[test]
    fn cuped_narrows_the_interval_when_the_covariate_predicts_the_metric() {
        // Post = pre + small noise: the adjustment removes most variance.
        let pre_a = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0];
        let pre_b = [12.0, 22.0, 28.0, 41.0, 49.0, 61.0];
        let noise = [0.5, -0.5, 0.3, -0.3, 0.1, -0.1];
        let cuped = |pre: &[f64], shift: f64| {
            let post: Vec<f64> = pre.iter().zip(noise).map(|(p, e)| p + e + shift).collect();
            CupedStats {
                n: pre.len() as u64,
                post: Sums {
                    sum: post.iter().sum(),
                    sum_squares: post.iter().map(|x| x * x).sum(),
                },
                pre: Sums {
                    sum: pre.iter().sum(),
                    sum_squares: pre.iter().map(|x| x * x).sum(),
                },
                sum_products: post.iter().zip(pre).map(|(x, y)| x * y).sum(),
            }
        };
        let (a, b) = (cuped(&pre_a, 0.0), cuped(&pre_b, 3.0));
        let adjusted = cuped_lift_t_test(a, b, 0.05).expect("cuped");
        let plain = mean_lift_t_test(
            MeanStats {
                n: a.n,
                sum: a.post.sum,
                sum_squares: a.post.sum_squares,
            },
            MeanStats {
                n: b.n,
                sum: b.post.sum,
                sum_squares: b.post.sum_squares,
            },
            0.05,
        )
        .expect("t-test");
        let width = |r: &LiftTest| r.ci_high - r.ci_low;
        assert!(
            width(&adjusted) < width(&plain) / 5.0,
            "{adjusted:?} {plain:?}"
        );
        assert!(adjusted.p_value < 0.01 && plain.p_value > 0.5);
    }

    #[test]
    fn degenerate_totals_are_typed_errors() {
        let ok = arm(&[1.0, 2.0, 3.0]);
        let cases = [
            (MeanStats::default(), StatsError::ZeroTrials),
            (
                arm(&[4.0]),
                StatsError::TooFewTrials {
                    trials: 1,
                    needed: 2,
                },
            ),
            (arm(&[5.0, 5.0, 5.0]), StatsError::ZeroVariance),
        ];
        for (bad, want) in cases {
            assert_eq!(mean_lift_t_test(ok, bad, 0.05), Err(want.clone()));
        }
        assert_eq!(
            mean_lift_t_test(arm(&[-1.0, 1.0]), ok, 0.05),
            Err(StatsError::ZeroBaseline)
        );
        let impossible = MeanStats {
            n: 3,
            sum: 6.0,
            sum_squares: 1.0,
        };
        assert_eq!(
            mean_lift_t_test(ok, impossible, 0.05).map_err(|e| e.code()),
            Err("out_of_range")
        );
        let prior = GaussianPrior {
            mean: 0.0,
            variance: f64::NAN,
        };
        assert_eq!(
            mean_bayesian(ok, ok, 0.05, Some(prior)).map_err(|e| e.code()),
            Err("not_finite")
        );
    }

    #[test]
    fn a_tiny_chance_to_win_is_a_tail_not_zero() {
        // A 20% drop at about 15 standard errors: P(win) near 1e-50.
        let a = arm(&[100.0, 104.0, 96.0, 102.0, 98.0, 100.0, 103.0, 97.0]);
        let b = arm(&[80.0, 84.0, 76.0, 82.0, 78.0, 80.0, 83.0, 77.0]);
        let r = mean_bayesian(a, b, 0.05, None).expect("bayes");
        assert!(r.chance_to_win > 0.0 && r.chance_to_win < 1e-40, "{r:?}");
        assert!((r.risk_treatment + r.lift).abs() < 1e-12 && r.risk_control < 1e-40);
    }
}
