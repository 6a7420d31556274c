//! Frequentist and sequential tests of two conversion rates: pooled z-test
//! with a Wald interval, GrowthBook's relative-lift Welch t-test, its
//! always-valid sequential variant, and the Wilson interval of one rate.

use serde::{Deserialize, Serialize};

use super::dist::{normal_quantile, normal_two_sided, t_two_sided, t_upper_quantile};
use super::math;
use super::{check_alpha, finite, output, Counts, StatsError};

/// Result of [`proportion_z_test`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ZTest {
    /// Pooled z statistic of `rate_b - rate_a`.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `rate_b - rate_a`.
    pub diff: f64,
    /// Lower bound of the Wald interval of `diff`.
    pub ci_low: f64,
    /// Upper bound of the Wald interval of `diff`.
    pub ci_high: f64,
}

/// Result of [`lift_t_test`] and [`sequential_lift_test`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiftTest {
    /// Relative lift `(rate_b - rate_a) / rate_a`.
    pub lift: f64,
    /// Lower bound of the interval of the lift.
    pub ci_low: f64,
    /// Upper bound of the interval of the lift.
    pub ci_high: f64,
    /// Two-sided p-value of "lift = 0".
    pub p_value: f64,
}

/// Two-proportion z-test of `H0: p_a = p_b` (control `a`, treatment `b`).
///
/// With `p_a = x_a / n_a`, `p_b = x_b / n_b` and the pooled rate
/// `p = (x_a + x_b) / (n_a + n_b)`:
/// - `z = (p_b - p_a) / sqrt(p (1 - p) (1/n_a + 1/n_b))`,
///   two-sided `p-value = 2 (1 - Phi(|z|))`;
/// - unpooled Wald interval of `diff = p_b - p_a`:
///   `diff -/+ z_{1-alpha/2} sqrt(p_a (1-p_a)/n_a + p_b (1-p_b)/n_b)`.
///
/// Reference: statsmodels `proportions_ztest([x_b, x_a], [n_b, n_a])` and
/// `confint_proportions_2indep(x_b, n_b, x_a, n_a, method="wald",
/// compare="diff", alpha)`.
///
/// Errors: zero trials, conversions above trials, alpha outside (0, 1),
/// zero pooled variance (no conversions at all, or all converted).
pub fn proportion_z_test(a: Counts, b: Counts, alpha: f64) -> Result<ZTest, StatsError> {
    a.validate_nonempty()?;
    b.validate_nonempty()?;
    check_alpha(alpha)?;
    let (na, nb) = (a.n as f64, b.n as f64);
    let (pa, pb) = (a.rate(), b.rate());
    let pooled = (a.conversions as f64 + b.conversions as f64) / (na + nb);
    let pooled_var = pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb);
    if pooled_var <= 0.0 {
        return Err(StatsError::ZeroVariance);
    }
    let diff = pb - pa;
    let z = output("z", diff / pooled_var.sqrt())?;
    let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    let half = normal_quantile(1.0 - alpha / 2.0) * se;
    Ok(ZTest {
        z,
        p_value: output("p-value", normal_two_sided(z))?,
        diff,
        ci_low: output("interval", diff - half)?,
        ci_high: output("interval", diff + half)?,
    })
}

/// Moments of the relative lift of `b` over `a`, as gbstats computes them
/// (for proportions here, for continuous, ratio and CUPED metrics in
/// `means.rs`): what the t-test and the sequential test both finish from.
pub(super) struct LiftMoments {
    pub(super) lift: f64,
    /// Delta-method variance of the lift.
    pub(super) variance: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub(super) dof: f64,
    /// `n_a + n_b`.
    pub(super) total: f64,
}

/// gbstats `TTest` on two `ProportionStatistic`s (relative difference):
/// `m = x/n`, `v = m (1 - m)` (no Bessel correction),
/// `lift = (m_b - m_a) / m_a`,
/// `var = v_b / (m_a^2 n_b) + v_a m_b^2 / (m_a^4 n_a)` (delta method),
/// `dof = (v_b/n_b + v_a/n_a)^2 / (v_b^2 / (n_b^2 (n_b - 1)) + v_a^2 / (n_a^2 (n_a - 1)))`.
fn lift_moments(a: Counts, b: Counts) -> Result<LiftMoments, StatsError> {
    a.validate_nonempty()?;
    b.validate_nonempty()?;
    let (ma, mb) = (a.rate(), b.rate());
    if ma == 0.0 {
        return Err(StatsError::ZeroBaseline);
    }
    let (va, vb) = (ma * (1.0 - ma), mb * (1.0 - mb));
    if va <= 0.0 || vb <= 0.0 {
        return Err(StatsError::ZeroVariance);
    }
    // n >= 2 holds here: one trial always has zero variance.
    let (na, nb) = (a.n as f64, b.n as f64);
    let lift = (mb - ma) / ma;
    let variance = vb / (ma * ma * nb) + va * mb * mb / (ma.powi(4) * na);
    let dof = (vb / nb + va / na).powi(2)
        / (vb * vb / (nb * nb * (nb - 1.0)) + va * va / (na * na * (na - 1.0)));
    Ok(LiftMoments {
        lift: finite("lift", lift)?,
        variance: finite("variance", variance)?,
        dof: finite("degrees of freedom", dof)?,
        total: na + nb,
    })
}

/// Relative-lift Welch t-test, as GrowthBook's frequentist engine.
///
/// With the moments of `lift_moments` (delta-method variance `var`, Welch
/// `dof`): `t = lift / sqrt(var)`, `p-value = 2 (1 - F_t(|t|; dof))`,
/// interval `lift -/+ F_t^-1(1 - alpha/2; dof) sqrt(var)`.
///
/// Reference: gbstats 0.8 `frequentist.tests.TwoSidedTTest` on
/// `ProportionStatistic(n, sum=conversions)` (`compute_result()`:
/// `expected`, `ci`, `p_value`).
///
/// Errors: zero trials, conversions above trials, alpha outside (0, 1),
/// zero control rate ([`StatsError::ZeroBaseline`]), a rate of 0 or 1 in
/// either arm ([`StatsError::ZeroVariance`]).
pub fn lift_t_test(a: Counts, b: Counts, alpha: f64) -> Result<LiftTest, StatsError> {
    check_alpha(alpha)?;
    t_test_of(&lift_moments(a, b)?, alpha)
}

/// The two-sided Welch t-test of a lift from its moments (`alpha` checked).
pub(super) fn t_test_of(m: &LiftMoments, alpha: f64) -> Result<LiftTest, StatsError> {
    let se = m.variance.sqrt();
    let p_value = t_two_sided(m.lift / se, m.dof)?;
    let half = t_upper_quantile(alpha / 2.0, m.dof)? * se;
    Ok(LiftTest {
        lift: m.lift,
        ci_low: output("interval", m.lift - half)?,
        ci_high: output("interval", m.lift + half)?,
        p_value: output("p-value", p_value)?,
    })
}

/// Always-valid sequential test of the relative lift, as GrowthBook's
/// sequential engine (Waudby-Smith et al. 2023, arXiv:2103.06476v7).
///
/// With `N = n_a + n_b`, the lift and delta-method `var` of [`lift_t_test`]
/// and the tuning parameter `tau` (GrowthBook's default 5000):
/// - `rho^2 = (-2 ln alpha + ln(1 - 2 ln alpha)) / tau` (eq. 161);
/// - `p = min(1, 1/E)` with `ln E = rho^2 lift^2 N / (2 var (N rho^2 + 1))
///   - ln(N rho^2 + 1) / 2` (eq. 155), evaluated in log space so that huge
///   samples give `p = 0`, never NaN;
/// - interval `lift -/+ sqrt(var N) sqrt(2 (N rho^2 + 1) ln(sqrt(N rho^2 + 1)
///   / alpha) / (N rho)^2)` (eq. 9).
///
/// Reference: gbstats 0.8 `frequentist.tests.SequentialTwoSidedTTest` with
/// `SequentialConfig(sequential_tuning_parameter=tau)`.
///
/// Errors: as [`lift_t_test`], plus a tuning parameter that is not a
/// positive finite number.
pub fn sequential_lift_test(
    a: Counts,
    b: Counts,
    alpha: f64,
    tuning: f64,
) -> Result<LiftTest, StatsError> {
    check_sequential(alpha, tuning)?;
    sequential_of(&lift_moments(a, b)?, alpha, tuning)
}

/// Checks the significance level and the sequential tuning parameter.
pub(super) fn check_sequential(alpha: f64, tuning: f64) -> Result<(), StatsError> {
    check_alpha(alpha)?;
    finite("sequential tuning", tuning)?;
    if tuning <= 0.0 {
        return Err(StatsError::OutOfRange {
            what: "sequential tuning",
            value: tuning,
            allowed: "positive",
        });
    }
    Ok(())
}

/// The always-valid sequential test of a lift from its moments (`alpha` and
/// `tuning` checked by [`check_sequential`]).
pub(super) fn sequential_of(
    m: &LiftMoments,
    alpha: f64,
    tuning: f64,
) -> Result<LiftTest, StatsError> {
    let ln_alpha = math::ln(alpha);
    let rho2 = (-2.0 * ln_alpha + math::ln(1.0 - 2.0 * ln_alpha)) / tuning;
    let n = m.total;
    let tr2p1 = n * rho2 + 1.0;
    let ln_tr2p1 = math::ln(tr2p1);
    let log_e = rho2 * (m.lift * m.lift * n / m.variance) / (2.0 * tr2p1) - 0.5 * ln_tr2p1;
    let p_value = if log_e <= 0.0 { 1.0 } else { math::exp(-log_e) };
    // (N rho)^2 = N^2 rho^2; ln(sqrt(x)/alpha) = ln(x)/2 - ln(alpha).
    let half = (m.variance * n).sqrt()
        * (2.0 * tr2p1 * (0.5 * ln_tr2p1 - ln_alpha) / (n * n * rho2)).sqrt();
    Ok(LiftTest {
        lift: m.lift,
        ci_low: output("interval", m.lift - half)?,
        ci_high: output("interval", m.lift + half)?,
        p_value: output("p-value", p_value)?,
    })
}

/// Wilson score interval of one conversion rate; returns
/// `(rate, low, high)`.
///
/// With `p = x/n` and `z = z_{1-alpha/2}`:
/// `center = (p + z^2/(2n)) / (1 + z^2/n)`,
/// `half = z sqrt(p (1-p)/n + z^2/(4 n^2)) / (1 + z^2/n)`.
///
/// Reference: statsmodels `proportion_confint(x, n, alpha,
/// method="wilson")`; Wilson (1927).
///
/// Errors: zero trials, conversions above trials, alpha outside (0, 1).
pub fn rate_interval(c: Counts, alpha: f64) -> Result<(f64, f64, f64), StatsError> {
    c.validate_nonempty()?;
    check_alpha(alpha)?;
    let n = c.n as f64;
    let p = c.rate();
    let z = normal_quantile(1.0 - alpha / 2.0);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Ok((
        p,
        output("interval", center - half)?,
        output("interval", center + half)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: u64, conversions: u64) -> Counts {
        Counts { n, conversions }
    }

    #[test]
    fn degenerate_inputs_are_typed_errors() {
        assert_eq!(
            proportion_z_test(c(0, 0), c(10, 1), 0.05),
            Err(StatsError::ZeroTrials)
        );
        assert_eq!(
            proportion_z_test(c(10, 12), c(10, 1), 0.05),
            Err(StatsError::ConversionsExceedTrials {
                conversions: 12,
                trials: 10
            })
        );
        assert_eq!(
            proportion_z_test(c(10, 0), c(10, 0), 0.05),
            Err(StatsError::ZeroVariance)
        );
        assert_eq!(
            proportion_z_test(c(10, 10), c(10, 10), 0.05),
            Err(StatsError::ZeroVariance)
        );
        assert!(matches!(
            proportion_z_test(c(10, 1), c(10, 2), f64::NAN),
            Err(StatsError::NotFinite { .. })
        ));
        assert!(matches!(
            proportion_z_test(c(10, 1), c(10, 2), 1.0),
            Err(StatsError::OutOfRange { .. })
        ));
        assert_eq!(
            lift_t_test(c(10, 0), c(10, 2), 0.05),
            Err(StatsError::ZeroBaseline)
        );
        assert_eq!(
            lift_t_test(c(10, 3), c(10, 10), 0.05),
            Err(StatsError::ZeroVariance)
        );
        assert_eq!(
            lift_t_test(c(1, 1), c(10, 2), 0.05),
            Err(StatsError::ZeroVariance)
        );
        assert_eq!(
            sequential_lift_test(c(10, 0), c(10, 2), 0.05, 5000.0),
            Err(StatsError::ZeroBaseline)
        );
        assert!(matches!(
            sequential_lift_test(c(10, 2), c(10, 3), 0.05, 0.0),
            Err(StatsError::OutOfRange { .. })
        ));
        assert!(matches!(
            sequential_lift_test(c(10, 2), c(10, 3), 0.05, f64::INFINITY),
            Err(StatsError::NotFinite { .. })
        ));
        assert_eq!(rate_interval(c(0, 0), 0.05), Err(StatsError::ZeroTrials));
    }

    #[test]
    fn huge_samples_give_zero_not_nan() {
        let a = c(u64::MAX / 4, u64::MAX / 40);
        let b = c(u64::MAX / 4, u64::MAX / 20);
        let s = sequential_lift_test(a, b, 0.05, 5000.0).expect("sequential");
        assert_eq!(s.p_value, 0.0);
        let t = lift_t_test(a, b, 0.05).expect("t-test");
        assert_eq!(t.p_value, 0.0);
        let z = proportion_z_test(a, b, 0.05).expect("z-test");
        assert_eq!(z.p_value, 0.0);
    }

    #[test]
    fn wilson_interval_of_extremes_stays_in_unit_interval() {
        let (p, lo, hi) = rate_interval(c(20, 0), 0.05).expect("wilson");
        assert_eq!(p, 0.0);
        assert!(lo.abs() < 1e-15 && hi > 0.0 && hi < 1.0);
        let (_, lo, hi) = rate_interval(c(20, 20), 0.05).expect("wilson");
        assert!(lo > 0.0 && (hi - 1.0).abs() < 1e-15);
    }
}
