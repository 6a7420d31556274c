//! The statistics of the lite entry as thin wasm exports: `js/lite.js`
//! reads and checks every argument (shapes, types, whole numbers, the
//! defaults of omitted ones) and passes numbers and `Float64Array`s; the
//! rules on values (conversions above trials, NaN, alpha out of range, ...)
//! are the core's, thrown with its codes ([`stats_error`]). A result of
//! several numbers comes back as a `Float64Array` in the order each
//! function names, and `js/lite.js` builds the object: the JsValue reading
//! and object building that used to be here were a fifth of the lite wasm.
//!
//! Counts arrive as `f64`s that the JS checked to be whole and in
//! `0..=2^53 - 1`, so `as u64` is exact. The functions of two arms take
//! each arm's numbers as arguments (hence `too_many_arguments`): no array
//! to allocate and copy per call.

use wasm_bindgen::prelude::*;

use super::coded::{coded_error, stats_error, JsResult};
use crate::stats::{
    self, Adjustment, Counts, CupedStats, GaussianPrior, LiftTest, MeanStats, RatioStats,
    StatsError, Sums,
};

/// One arm's counts (`Counts::new` checks `conversions <= n`).
fn counts(n: f64, conversions: f64) -> JsResult<Counts> {
    Counts::new(n as u64, conversions as u64).map_err(stats_error)
}

/// Checks one arm's counts as soon as `js/lite.js` has read it, so that
/// `conversions > n` in `a` is reported before a wrong type in `b` or
/// `alpha`, as when the wasm read the arms itself.
#[wasm_bindgen(js_name = checkCounts)]
pub fn check_counts(n: f64, conversions: f64) -> JsResult<()> {
    counts(n, conversions).map(|_| ())
}

fn mean(n: f64, sum: f64, sum_squares: f64) -> MeanStats {
    MeanStats {
        n: n as u64,
        sum,
        sum_squares,
    }
}

fn sums(sum: f64, sum_squares: f64) -> Sums {
    Sums { sum, sum_squares }
}

/// `[lift, ciLow, ciHigh, pValue]`.
fn lift(test: Result<LiftTest, StatsError>) -> JsResult<Vec<f64>> {
    let t = test.map_err(stats_error)?;
    Ok(vec![t.lift, t.ci_low, t.ci_high, t.p_value])
}

/// Welch t-test of two means' relative lift: `[lift, ciLow, ciHigh, pValue]`.
#[wasm_bindgen(js_name = meanLiftTTest)]
#[allow(clippy::too_many_arguments)]
pub fn mean_lift_t_test(
    a_n: f64,
    a_sum: f64,
    a_sum_squares: f64,
    b_n: f64,
    b_sum: f64,
    b_sum_squares: f64,
    alpha: f64,
) -> JsResult<Vec<f64>> {
    let (a, b) = (
        mean(a_n, a_sum, a_sum_squares),
        mean(b_n, b_sum, b_sum_squares),
    );
    lift(stats::mean_lift_t_test(a, b, alpha))
}

/// Sequential test of two means' lift: `[lift, ciLow, ciHigh, pValue]`.
#[wasm_bindgen(js_name = meanSequentialTest)]
#[allow(clippy::too_many_arguments)]
pub fn mean_sequential_test(
    a_n: f64,
    a_sum: f64,
    a_sum_squares: f64,
    b_n: f64,
    b_sum: f64,
    b_sum_squares: f64,
    alpha: f64,
    tuning: f64,
) -> JsResult<Vec<f64>> {
    let (a, b) = (
        mean(a_n, a_sum, a_sum_squares),
        mean(b_n, b_sum, b_sum_squares),
    );
    lift(stats::mean_sequential_test(a, b, alpha, tuning))
}

/// Gaussian Bayesian model of two means' lift, with the prior when
/// `prior_mean` is given: `[lift, ciLow, ciHigh, chanceToWin, riskControl,
/// riskTreatment]`.
#[wasm_bindgen(js_name = meanBayesian)]
#[allow(clippy::too_many_arguments)]
pub fn mean_bayesian(
    a_n: f64,
    a_sum: f64,
    a_sum_squares: f64,
    b_n: f64,
    b_sum: f64,
    b_sum_squares: f64,
    alpha: f64,
    prior_mean: Option<f64>,
    prior_variance: f64,
) -> JsResult<Vec<f64>> {
    let (a, b) = (
        mean(a_n, a_sum, a_sum_squares),
        mean(b_n, b_sum, b_sum_squares),
    );
    let prior = prior_mean.map(|mean| GaussianPrior {
        mean,
        variance: prior_variance,
    });
    let t = stats::mean_bayesian(a, b, alpha, prior).map_err(stats_error)?;
    Ok(vec![
        t.lift,
        t.ci_low,
        t.ci_high,
        t.chance_to_win,
        t.risk_control,
        t.risk_treatment,
    ])
}

/// Delta-method t-test of two ratios' lift, each arm as `n`, the
/// numerator's and the denominator's sum and sum of squares, and the sum
/// of products: `[lift, ciLow, ciHigh, pValue]`.
#[wasm_bindgen(js_name = ratioLiftTTest)]
#[allow(clippy::too_many_arguments)]
pub fn ratio_lift_t_test(
    a_n: f64,
    a_numerator_sum: f64,
    a_numerator_sum_squares: f64,
    a_denominator_sum: f64,
    a_denominator_sum_squares: f64,
    a_sum_products: f64,
    b_n: f64,
    b_numerator_sum: f64,
    b_numerator_sum_squares: f64,
    b_denominator_sum: f64,
    b_denominator_sum_squares: f64,
    b_sum_products: f64,
    alpha: f64,
) -> JsResult<Vec<f64>> {
    let a = RatioStats {
        n: a_n as u64,
        numerator: sums(a_numerator_sum, a_numerator_sum_squares),
        denominator: sums(a_denominator_sum, a_denominator_sum_squares),
        sum_products: a_sum_products,
    };
    let b = RatioStats {
        n: b_n as u64,
        numerator: sums(b_numerator_sum, b_numerator_sum_squares),
        denominator: sums(b_denominator_sum, b_denominator_sum_squares),
        sum_products: b_sum_products,
    };
    lift(stats::ratio_lift_t_test(a, b, alpha))
}

/// CUPED t-test of two means' lift, each arm as `n`, the post and pre
/// periods' sum and sum of squares, and the sum of products:
/// `[lift, ciLow, ciHigh, pValue]`.
#[wasm_bindgen(js_name = cupedLiftTTest)]
#[allow(clippy::too_many_arguments)]
pub fn cuped_lift_t_test(
    a_n: f64,
    a_post_sum: f64,
    a_post_sum_squares: f64,
    a_pre_sum: f64,
    a_pre_sum_squares: f64,
    a_sum_products: f64,
    b_n: f64,
    b_post_sum: f64,
    b_post_sum_squares: f64,
    b_pre_sum: f64,
    b_pre_sum_squares: f64,
    b_sum_products: f64,
    alpha: f64,
) -> JsResult<Vec<f64>> {
    let a = CupedStats {
        n: a_n as u64,
        post: sums(a_post_sum, a_post_sum_squares),
        pre: sums(a_pre_sum, a_pre_sum_squares),
        sum_products: a_sum_products,
    };
    let b = CupedStats {
        n: b_n as u64,
        post: sums(b_post_sum, b_post_sum_squares),
        pre: sums(b_pre_sum, b_pre_sum_squares),
        sum_products: b_sum_products,
    };
    lift(stats::cuped_lift_t_test(a, b, alpha))
}

/// Two-proportion z-test: `[z, pValue, diff, ciLow, ciHigh]`.
#[wasm_bindgen(js_name = proportionZTest)]
pub fn proportion_z_test(
    a_n: f64,
    a_conversions: f64,
    b_n: f64,
    b_conversions: f64,
    alpha: f64,
) -> JsResult<Vec<f64>> {
    let (a, b) = (counts(a_n, a_conversions)?, counts(b_n, b_conversions)?);
    let t = stats::proportion_z_test(a, b, alpha).map_err(stats_error)?;
    Ok(vec![t.z, t.p_value, t.diff, t.ci_low, t.ci_high])
}

/// GrowthBook's relative-lift t-test: `[lift, ciLow, ciHigh, pValue]`.
#[wasm_bindgen(js_name = liftTTest)]
pub fn lift_t_test(
    a_n: f64,
    a_conversions: f64,
    b_n: f64,
    b_conversions: f64,
    alpha: f64,
) -> JsResult<Vec<f64>> {
    let (a, b) = (counts(a_n, a_conversions)?, counts(b_n, b_conversions)?);
    lift(stats::lift_t_test(a, b, alpha))
}

/// GrowthBook's sequential lift test: `[lift, ciLow, ciHigh, pValue]`.
#[wasm_bindgen(js_name = sequentialLiftTest)]
pub fn sequential_lift_test(
    a_n: f64,
    a_conversions: f64,
    b_n: f64,
    b_conversions: f64,
    alpha: f64,
    tuning: f64,
) -> JsResult<Vec<f64>> {
    let (a, b) = (counts(a_n, a_conversions)?, counts(b_n, b_conversions)?);
    lift(stats::sequential_lift_test(a, b, alpha, tuning))
}

/// Probability that `b`'s rate beats `a`'s.
#[wasm_bindgen(js_name = chanceToBeat)]
pub fn chance_to_beat(a_n: f64, a_conversions: f64, b_n: f64, b_conversions: f64) -> JsResult<f64> {
    let (a, b) = (counts(a_n, a_conversions)?, counts(b_n, b_conversions)?);
    stats::chance_to_beat(a, b).map_err(stats_error)
}

/// Sample-ratio-mismatch p-value; `observed` holds whole counts.
#[wasm_bindgen(js_name = srmPValue)]
pub fn srm_p_value(observed: &[f64], weights: &[f64]) -> JsResult<f64> {
    let observed: Vec<u64> = observed.iter().map(|&x| x as u64).collect();
    stats::srm_p_value(&observed, weights).map_err(stats_error)
}

/// Adjusted p-values in input order: Holm's when `holm`, else
/// Benjamini-Hochberg's.
#[wasm_bindgen(js_name = adjustPValues)]
pub fn adjust_p_values(p_values: &[f64], holm: bool) -> JsResult<Vec<f64>> {
    let method = if holm {
        Adjustment::Holm
    } else {
        Adjustment::BenjaminiHochberg
    };
    stats::adjust_p_values(p_values, method).map_err(stats_error)
}

/// Trials per arm to detect `mde` from `baseline`.
#[wasm_bindgen(js_name = sampleSizePerArm)]
pub fn sample_size_per_arm(baseline: f64, mde: f64, alpha: f64, power: f64) -> JsResult<f64> {
    let n = stats::sample_size_per_arm(baseline, mde, alpha, power).map_err(stats_error)?;
    // Beyond 2^53 a JS number cannot hold the count exactly.
    if n > (1u64 << 53) {
        return Err(coded_error(
            "overflow",
            &format!("the sample size ({n}) is too large to represent exactly in JS"),
        ));
    }
    Ok(n as f64)
}

/// Smallest change from `baseline` detectable with `n_per_arm` trials.
#[wasm_bindgen(js_name = detectableEffect)]
pub fn detectable_effect(baseline: f64, n_per_arm: f64, alpha: f64, power: f64) -> JsResult<f64> {
    stats::detectable_effect(baseline, n_per_arm as u64, alpha, power).map_err(stats_error)
}

/// Wilson score interval of one rate: `[rate, ciLow, ciHigh]`.
#[wasm_bindgen(js_name = rateInterval)]
pub fn rate_interval(n: f64, conversions: f64, alpha: f64) -> JsResult<Vec<f64>> {
    let (rate, low, high) =
        stats::rate_interval(counts(n, conversions)?, alpha).map_err(stats_error)?;
    Ok(vec![rate, low, high])
}

/// Two-sample Kolmogorov-Smirnov test: `[statistic, pValue]`.
#[wasm_bindgen(js_name = ksTest)]
pub fn ks_test(x: &[f64], y: &[f64]) -> JsResult<Vec<f64>> {
    let t = stats::ks_test(x, y).map_err(stats_error)?;
    Ok(vec![t.statistic, t.p_value])
}

/// Population stability index of `current` against `reference` on `bins`
/// quantile bins (the JS caps `bins`).
#[wasm_bindgen(js_name = psi)]
pub fn psi(reference: &[f64], current: &[f64], bins: usize) -> JsResult<f64> {
    stats::psi(reference, current, bins).map_err(stats_error)
}
