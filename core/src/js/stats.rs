//! The statistics engine: tests, SRM, corrections, power and drift.

use wasm_bindgen::prelude::*;

use super::convert::{
    any_number, any_number_or, count, field, float_text, invalid, js_error, numbers, object,
    small_count, string, to_js, whole, wrong, JsResult,
};
use crate::stats::{
    self, Adjustment, Counts, CupedStats, GaussianPrior, MeanStats, RatioStats, StatsError, Sums,
};

/// Default significance level.
const ALPHA: f64 = 0.05;
/// GrowthBook's default sequential tuning parameter.
const TUNING: f64 = 5000.0;
/// Default number of PSI bins.
const PSI_BINS: usize = 10;
/// More PSI bins than this are refused.
const MAX_BINS: usize = 10_000;

/// A statistics error, thrown with its stable code; its number is written
/// by JavaScript (`float_text`), as the core's Display writes it.
fn stats_error(e: StatsError) -> JsValue {
    js_error(e.code(), &e.message(float_text))
}

/// Reads `{ n, conversions }`, checking `conversions <= n`.
fn counts(v: &JsValue, what: &str) -> JsResult<Counts> {
    let o = object(v, what).map_err(|_| wrong(what, "{ n, conversions }", v))?;
    let n = count(&field(o, "n")?, &format!("{what}.n"))?;
    let conversions = count(&field(o, "conversions")?, &format!("{what}.conversions"))?;
    Counts::new(n, conversions).map_err(stats_error)
}

/// Reads `{ n, sum, sumSquares }` of a continuous metric.
fn mean_stats(v: &JsValue, what: &str) -> JsResult<MeanStats> {
    let o = object(v, what).map_err(|_| wrong(what, "{ n, sum, sumSquares }", v))?;
    let s = sums(v, what)?;
    Ok(MeanStats {
        n: count(&field(o, "n")?, &format!("{what}.n"))?,
        sum: s.sum,
        sum_squares: s.sum_squares,
    })
}

/// Reads `{ sum, sumSquares }`; NaN and infinities pass, so the engine
/// refuses them with its own code (`not_finite`).
fn sums(v: &JsValue, what: &str) -> JsResult<Sums> {
    let o = object(v, what).map_err(|_| wrong(what, "{ sum, sumSquares }", v))?;
    Ok(Sums {
        sum: any_number(&field(o, "sum")?, &format!("{what}.sum"))?,
        sum_squares: any_number(&field(o, "sumSquares")?, &format!("{what}.sumSquares"))?,
    })
}

/// Reads the `n` and `sumProducts` of a paired arm, and its two `Sums`.
fn paired(v: &JsValue, what: &str, x: &str, y: &str) -> JsResult<(u64, Sums, Sums, f64)> {
    let shape =
        format!("{{ n, {x}: {{ sum, sumSquares }}, {y}: {{ sum, sumSquares }}, sumProducts }}");
    let o = object(v, what).map_err(|_| wrong(what, &shape, v))?;
    Ok((
        count(&field(o, "n")?, &format!("{what}.n"))?,
        sums(&field(o, x)?, &format!("{what}.{x}"))?,
        sums(&field(o, y)?, &format!("{what}.{y}"))?,
        any_number(&field(o, "sumProducts")?, &format!("{what}.sumProducts"))?,
    ))
}

fn ratio_stats(v: &JsValue, what: &str) -> JsResult<RatioStats> {
    let (n, numerator, denominator, sum_products) = paired(v, what, "numerator", "denominator")?;
    Ok(RatioStats {
        n,
        numerator,
        denominator,
        sum_products,
    })
}

fn cuped_stats(v: &JsValue, what: &str) -> JsResult<CupedStats> {
    let (n, post, pre, sum_products) = paired(v, what, "post", "pre")?;
    Ok(CupedStats {
        n,
        post,
        pre,
        sum_products,
    })
}

/// Relative-lift Welch t-test of a continuous metric's means (deal value,
/// revenue per user), as gbstats: `{ lift, ciLow, ciHigh, pValue }`, with
/// `a = { n, sum, sumSquares }` for control and `b` for the treatment.
#[wasm_bindgen(js_name = meanLiftTTest, unchecked_return_type = "LiftTest")]
pub fn mean_lift_t_test(
    #[wasm_bindgen(unchecked_param_type = "MeanStats")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MeanStats")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (mean_stats(&a, "a")?, mean_stats(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    to_js(&stats::mean_lift_t_test(a, b, alpha).map_err(stats_error)?)
}

/// Always-valid sequential test of a continuous metric's lift (tuning
/// defaults to 5000): `{ lift, ciLow, ciHigh, pValue }`.
#[wasm_bindgen(js_name = meanSequentialTest, unchecked_return_type = "LiftTest")]
pub fn mean_sequential_test(
    #[wasm_bindgen(unchecked_param_type = "MeanStats")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MeanStats")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] tuning: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (mean_stats(&a, "a")?, mean_stats(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    let tuning = any_number_or(&tuning, "tuning", TUNING)?;
    to_js(&stats::mean_sequential_test(a, b, alpha, tuning).map_err(stats_error)?)
}

/// gbstats' Gaussian Bayesian model of a continuous metric's lift:
/// `{ lift, ciLow, ciHigh, chanceToWin, riskControl, riskTreatment }`;
/// `prior = { mean, variance }` is a proper prior on the lift (none by
/// default, gbstats' improper one).
#[wasm_bindgen(js_name = meanBayesian, unchecked_return_type = "BayesLift")]
pub fn mean_bayesian(
    #[wasm_bindgen(unchecked_param_type = "MeanStats")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MeanStats")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GaussianPrior | undefined")] prior: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (mean_stats(&a, "a")?, mean_stats(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    let prior = if super::convert::is_missing(&prior) {
        None
    } else {
        let o =
            object(&prior, "prior").map_err(|_| wrong("prior", "{ mean, variance }", &prior))?;
        Some(GaussianPrior {
            mean: any_number(&field(o, "mean")?, "prior.mean")?,
            variance: any_number(&field(o, "variance")?, "prior.variance")?,
        })
    };
    to_js(&stats::mean_bayesian(a, b, alpha, prior).map_err(stats_error)?)
}

/// Relative-lift t-test of a ratio metric (revenue per order) by the delta
/// method: `{ lift, ciLow, ciHigh, pValue }`, with
/// `a = { n, numerator: { sum, sumSquares }, denominator: { sum, sumSquares }, sumProducts }`.
#[wasm_bindgen(js_name = ratioLiftTTest, unchecked_return_type = "LiftTest")]
pub fn ratio_lift_t_test(
    #[wasm_bindgen(unchecked_param_type = "RatioStats")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RatioStats")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (ratio_stats(&a, "a")?, ratio_stats(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    to_js(&stats::ratio_lift_t_test(a, b, alpha).map_err(stats_error)?)
}

/// Relative-lift t-test with CUPED variance reduction on a pre-period
/// covariate: `{ lift, ciLow, ciHigh, pValue }`, with
/// `a = { n, post: { sum, sumSquares }, pre: { sum, sumSquares }, sumProducts }`.
#[wasm_bindgen(js_name = cupedLiftTTest, unchecked_return_type = "LiftTest")]
pub fn cuped_lift_t_test(
    #[wasm_bindgen(unchecked_param_type = "CupedStats")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CupedStats")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (cuped_stats(&a, "a")?, cuped_stats(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    to_js(&stats::cuped_lift_t_test(a, b, alpha).map_err(stats_error)?)
}

/// Two-proportion z-test of control `a` against treatment `b`:
/// `{ z, pValue, diff, ciLow, ciHigh }` (`diff` is `rate_b - rate_a`, with
/// its Wald interval at `1 - alpha`; `alpha` defaults to 0.05).
#[wasm_bindgen(js_name = proportionZTest, unchecked_return_type = "ZTest")]
pub fn proportion_z_test(
    #[wasm_bindgen(unchecked_param_type = "Counts")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Counts")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (counts(&a, "a")?, counts(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    to_js(&stats::proportion_z_test(a, b, alpha).map_err(stats_error)?)
}

/// GrowthBook's relative-lift t-test: `{ lift, ciLow, ciHigh, pValue }`.
#[wasm_bindgen(js_name = liftTTest, unchecked_return_type = "LiftTest")]
pub fn lift_t_test(
    #[wasm_bindgen(unchecked_param_type = "Counts")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Counts")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (counts(&a, "a")?, counts(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    to_js(&stats::lift_t_test(a, b, alpha).map_err(stats_error)?)
}

/// GrowthBook's always-valid sequential lift test (tuning defaults to
/// 5000): `{ lift, ciLow, ciHigh, pValue }`.
#[wasm_bindgen(js_name = sequentialLiftTest, unchecked_return_type = "LiftTest")]
pub fn sequential_lift_test(
    #[wasm_bindgen(unchecked_param_type = "Counts")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Counts")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] tuning: JsValue,
) -> JsResult<JsValue> {
    let (a, b) = (counts(&a, "a")?, counts(&b, "b")?);
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    let tuning = any_number_or(&tuning, "tuning", TUNING)?;
    to_js(&stats::sequential_lift_test(a, b, alpha, tuning).map_err(stats_error)?)
}

/// Bayesian probability that `b`'s rate beats `a`'s (Beta(1, 1) priors).
#[wasm_bindgen(js_name = chanceToBeat)]
pub fn chance_to_beat(
    #[wasm_bindgen(unchecked_param_type = "Counts")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Counts")] b: JsValue,
) -> JsResult<f64> {
    let (a, b) = (counts(&a, "a")?, counts(&b, "b")?);
    stats::chance_to_beat(a, b).map_err(stats_error)
}

/// Sample-ratio-mismatch p-value (chi-square) of observed counts per arm
/// against the expected traffic weights.
#[wasm_bindgen(js_name = srmPValue)]
pub fn srm_p_value(
    #[wasm_bindgen(unchecked_param_type = "readonly number[]")] observed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly number[] | Float64Array")] weights: JsValue,
) -> JsResult<f64> {
    let raw = numbers(&observed, "observed")?;
    let mut obs = Vec::with_capacity(raw.len());
    for (i, x) in raw.iter().enumerate() {
        obs.push(whole(*x).ok_or_else(|| {
            invalid(&format!(
                "observed[{i}] must be a whole number >= 0, got {}",
                float_text(*x)
            ))
        })?);
    }
    let weights = numbers(&weights, "weights")?;
    stats::srm_p_value(&obs, &weights).map_err(stats_error)
}

/// Adjusted p-values in input order: `"holm"` (family-wise error) or
/// `"bh"` (Benjamini-Hochberg, false discovery rate).
#[wasm_bindgen(js_name = adjustPValues, unchecked_return_type = "number[]")]
pub fn adjust_p_values(
    #[wasm_bindgen(js_name = pValues, unchecked_param_type = "readonly number[] | Float64Array")]
    p_values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Adjustment")] method: JsValue,
) -> JsResult<JsValue> {
    let p = numbers(&p_values, "pValues")?;
    let name = string(&method, "method")?;
    let method = match name.as_str() {
        "holm" => Adjustment::Holm,
        "bh" => Adjustment::BenjaminiHochberg,
        _ => return Err(wrong("method", "\"holm\" or \"bh\"", &method)),
    };
    let adjusted = stats::adjust_p_values(&p, method).map_err(stats_error)?;
    to_js(&adjusted)
}

/// Trials per arm to detect an absolute change `mde` from `baseline` with
/// a two-sided z-test at `alpha` and `power`.
#[wasm_bindgen(js_name = sampleSizePerArm)]
pub fn sample_size_per_arm(
    #[wasm_bindgen(unchecked_param_type = "number")] baseline: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] mde: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] alpha: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] power: JsValue,
) -> JsResult<f64> {
    let n = stats::sample_size_per_arm(
        any_number(&baseline, "baseline")?,
        any_number(&mde, "mde")?,
        any_number(&alpha, "alpha")?,
        any_number(&power, "power")?,
    )
    .map_err(stats_error)?;
    // Beyond 2^53 a JS number cannot hold the count exactly.
    if n > (1u64 << 53) {
        return Err(js_error(
            "overflow",
            &format!("the sample size ({n}) is too large to represent exactly in JS"),
        ));
    }
    Ok(n as f64)
}

/// Smallest absolute change from `baseline` detectable with `nPerArm`
/// trials per arm at `alpha` and `power` (the inverse of
/// `sampleSizePerArm`).
#[wasm_bindgen(js_name = detectableEffect)]
pub fn detectable_effect(
    #[wasm_bindgen(unchecked_param_type = "number")] baseline: JsValue,
    #[wasm_bindgen(js_name = nPerArm, unchecked_param_type = "number")] n_per_arm: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] alpha: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] power: JsValue,
) -> JsResult<f64> {
    stats::detectable_effect(
        any_number(&baseline, "baseline")?,
        count(&n_per_arm, "nPerArm")?,
        any_number(&alpha, "alpha")?,
        any_number(&power, "power")?,
    )
    .map_err(stats_error)
}

/// Wilson score interval of one conversion rate: `{ rate, ciLow, ciHigh }`.
#[wasm_bindgen(js_name = rateInterval, unchecked_return_type = "RateInterval")]
pub fn rate_interval(
    #[wasm_bindgen(unchecked_param_type = "Counts")] c: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] alpha: JsValue,
) -> JsResult<JsValue> {
    let c = counts(&c, "c")?;
    let alpha = any_number_or(&alpha, "alpha", ALPHA)?;
    let (rate, low, high) = stats::rate_interval(c, alpha).map_err(stats_error)?;
    let out = js_sys::Object::new();
    for (k, v) in [("rate", rate), ("ciLow", low), ("ciHigh", high)] {
        js_sys::Reflect::set(&out, &JsValue::from_str(k), &JsValue::from_f64(v))?;
    }
    Ok(out.into())
}

/// Two-sample Kolmogorov-Smirnov test: `{ statistic, pValue }`.
#[wasm_bindgen(js_name = ksTest, unchecked_return_type = "KsTest")]
pub fn ks_test(
    #[wasm_bindgen(unchecked_param_type = "readonly number[] | Float64Array")] x: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly number[] | Float64Array")] y: JsValue,
) -> JsResult<JsValue> {
    let x = numbers(&x, "x")?;
    let y = numbers(&y, "y")?;
    to_js(&stats::ks_test(&x, &y).map_err(stats_error)?)
}

/// Population stability index of `current` against `reference`, on
/// `bins` (default 10) quantile bins of the reference.
#[wasm_bindgen(js_name = psi)]
pub fn psi(
    #[wasm_bindgen(unchecked_param_type = "readonly number[] | Float64Array")] reference: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly number[] | Float64Array")] current: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] bins: JsValue,
) -> JsResult<f64> {
    let reference = numbers(&reference, "reference")?;
    let current = numbers(&current, "current")?;
    let bins = if super::convert::is_missing(&bins) {
        PSI_BINS
    } else {
        small_count(&bins, "bins", MAX_BINS)?
    };
    stats::psi(&reference, &current, bins).map_err(stats_error)
}
