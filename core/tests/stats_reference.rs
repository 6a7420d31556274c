//! Agreement of `brain_core::stats` with independent references (statsmodels,
//! scipy, gbstats, mpmath), through the fixtures written by
//! `scripts/fixtures/gen_stats.py` and `gen_tails.py`.
//!
//! Tolerance:
//! - p-values and probabilities agree within a relative 1e-6, however small
//!   (down to 1e-300; a reference of exactly 0 must be exactly 0): a 1e-40
//!   answer must not pass as 0. Where a library computes `1 - cdf` (gbstats'
//!   t-test) the fixture also holds the mpmath value, which is the one
//!   compared; where it integrates numerically to an absolute 1e-13 (`quad`
//!   for the chance to beat with billions of trials) the comparison stays
//!   absolute, and `stats_tails.json` covers those tails exactly.
//! - statistics, lifts and interval bounds agree within 1e-6 absolute, or 1e-6
//!   relative where that is larger (`|got - want| <= 1e-6 * max(1, |want|)`):
//!   a bound is a difference of terms of order one and carries their absolute
//!   rounding, not a relative one.
//! - sample sizes exactly.
//!
//! Degenerate inputs must return the error whose `code()` the fixture names.

use brain_core::stats::{
    adjust_p_values, chance_to_beat, cuped_lift_t_test, detectable_effect, ks_test, lift_t_test,
    mean_bayesian, mean_lift_t_test, mean_sequential_test, proportion_z_test, psi, rate_interval,
    ratio_lift_t_test, sample_size_per_arm, sequential_lift_test, srm_p_value, Adjustment, Counts,
    CupedStats, GaussianPrior, LiftTest, MeanStats, RatioStats, StatsError,
};
use serde_json::Value;

const TOLERANCE: f64 = 1e-6;

fn load(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/stats_{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {path}: {e}"))
}

fn list<'a>(doc: &'a Value, key: &str) -> &'a [Value] {
    doc[key].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// A number, or one of the strings "nan", "inf", "-inf" (JSON has no NaN).
fn num(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "nan" => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        _ => v
            .as_f64()
            .unwrap_or_else(|| panic!("expected a number, got {v}")),
    }
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
        .iter()
        .map(num)
        .collect()
}

fn counts(v: &Value) -> Counts {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("bad counts {v}: {e}"))
}

fn uint(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("expected an unsigned integer, got {v}"))
}

#[track_caller]
fn close(label: &str, case: &Value, got: f64, want: &Value) {
    let want = num(want);
    assert!(got.is_finite(), "{label}: got {got} for {case}");
    let err = (got - want).abs();
    assert!(
        err <= TOLERANCE * want.abs().max(1.0),
        "{label}: got {got}, want {want} (|diff| {err:e}) for {case}"
    );
}

#[track_caller]
fn fails_with<T: std::fmt::Debug>(case: &Value, result: Result<T, StatsError>) {
    let want = case["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {case}"));
    match result {
        Err(e) => assert_eq!(e.code(), want, "{case}: {e}"),
        Ok(v) => panic!("{case}: expected error {want}, got {v:?}"),
    }
}

/// Runs the cases and error cases of a fixture, checking there are enough.
fn run(
    name: &str,
    min_cases: usize,
    mut check: impl FnMut(&Value),
    mut check_error: impl FnMut(&Value),
) {
    let doc = load(name);
    let cases = list(&doc, "cases");
    assert!(
        cases.len() >= min_cases,
        "{name}: only {} cases",
        cases.len()
    );
    cases.iter().for_each(&mut check);
    let errors = list(&doc, "errors");
    assert!(!errors.is_empty(), "{name}: no degenerate cases");
    errors.iter().for_each(&mut check_error);
}

#[test]
fn z_test_matches_statsmodels() {
    run(
        "z_test",
        500,
        |c| {
            let r = proportion_z_test(counts(&c["a"]), counts(&c["b"]), num(&c["alpha"]))
                .unwrap_or_else(|e| panic!("{c}: {e}"));
            close("z", c, r.z, &c["z"]);
            relatively_close("p-value", c, r.p_value, &c["pValue"]);
            close("diff", c, r.diff, &c["diff"]);
            close("ci low", c, r.ci_low, &c["ciLow"]);
            close("ci high", c, r.ci_high, &c["ciHigh"]);
        },
        |c| {
            fails_with(
                c,
                proportion_z_test(counts(&c["a"]), counts(&c["b"]), num(&c["alpha"])),
            )
        },
    );
}

#[test]
fn lift_t_test_matches_gbstats() {
    run(
        "t_test",
        500,
        |c| {
            let r = lift_t_test(counts(&c["a"]), counts(&c["b"]), num(&c["alpha"]))
                .unwrap_or_else(|e| panic!("{c}: {e}"));
            close("lift", c, r.lift, &c["lift"]);
            // gbstats' own p-value is 2 (1 - cdf): within 1e-6 absolute; the
            // mpmath value of the same test within 1e-6 relative.
            close("gbstats p-value", c, r.p_value, &c["pValue"]);
            relatively_close("exact p-value", c, r.p_value, &c["pValueExact"]);
            close("ci low", c, r.ci_low, &c["ciLow"]);
            close("ci high", c, r.ci_high, &c["ciHigh"]);
        },
        |c| {
            fails_with(
                c,
                lift_t_test(counts(&c["a"]), counts(&c["b"]), num(&c["alpha"])),
            )
        },
    );
}

#[test]
fn sequential_test_matches_gbstats() {
    run(
        "sequential",
        500,
        |c| {
            let r = sequential_lift_test(
                counts(&c["a"]),
                counts(&c["b"]),
                num(&c["alpha"]),
                num(&c["tuning"]),
            )
            .unwrap_or_else(|e| panic!("{c}: {e}"));
            close("lift", c, r.lift, &c["lift"]);
            relatively_close("p-value", c, r.p_value, &c["pValue"]);
            close("ci low", c, r.ci_low, &c["ciLow"]);
            close("ci high", c, r.ci_high, &c["ciHigh"]);
        },
        |c| {
            fails_with(
                c,
                sequential_lift_test(
                    counts(&c["a"]),
                    counts(&c["b"]),
                    num(&c["alpha"]),
                    num(&c["tuning"]),
                ),
            )
        },
    );
}

#[test]
fn chance_to_beat_matches_exact_sum() {
    run(
        "chance_to_beat",
        500,
        |c| {
            let p = chance_to_beat(counts(&c["a"]), counts(&c["b"]))
                .unwrap_or_else(|e| panic!("{c}: {e}"));
            if c["reference"] == "quad" {
                // quad's own accuracy is an absolute 1e-13.
                close("chance to beat", c, p, &c["chanceToBeat"]);
            } else {
                relatively_close("chance to beat", c, p, &c["chanceToBeat"]);
            }
        },
        |c| fails_with(c, chance_to_beat(counts(&c["a"]), counts(&c["b"]))),
    );
}

fn observed(c: &Value) -> Vec<u64> {
    c["observed"]
        .as_array()
        .map(|a| a.iter().map(uint).collect())
        .unwrap_or_default()
}

#[test]
fn srm_matches_gbstats() {
    run(
        "srm",
        500,
        |c| {
            let p = srm_p_value(&observed(c), &nums(&c["weights"]))
                .unwrap_or_else(|e| panic!("{c}: {e}"));
            relatively_close("srm p-value", c, p, &c["pValue"]);
        },
        |c| fails_with(c, srm_p_value(&observed(c), &nums(&c["weights"]))),
    );
}

fn method(c: &Value) -> Adjustment {
    serde_json::from_value(c["method"].clone()).unwrap_or_else(|e| panic!("bad method in {c}: {e}"))
}

#[test]
fn adjustments_match_statsmodels() {
    let mut holm = 0;
    run(
        "multiple",
        1000,
        |c| {
            let got =
                adjust_p_values(&nums(&c["p"]), method(c)).unwrap_or_else(|e| panic!("{c}: {e}"));
            let want = c["adjusted"].as_array().expect("adjusted");
            assert_eq!(got.len(), want.len(), "{c}");
            for (g, w) in got.iter().zip(want) {
                relatively_close("adjusted p-value", c, *g, w);
            }
            holm += usize::from(method(c) == Adjustment::Holm);
        },
        |c| fails_with(c, adjust_p_values(&nums(&c["p"]), method(c))),
    );
    assert!(holm >= 500, "only {holm} holm cases");
}

#[test]
fn power_matches_reference() {
    let doc = load("power");
    let sizes = list(&doc, "cases");
    assert!(sizes.len() >= 500);
    for c in sizes {
        let n = sample_size_per_arm(
            num(&c["baseline"]),
            num(&c["mde"]),
            num(&c["alpha"]),
            num(&c["power"]),
        )
        .unwrap_or_else(|e| panic!("{c}: {e}"));
        assert_eq!(n, uint(&c["n"]), "sample size for {c}");
    }
    let effects = list(&doc, "effects");
    assert!(effects.len() >= 500);
    let mut solved = 0;
    for c in effects {
        let got = detectable_effect(
            num(&c["baseline"]),
            uint(&c["n"]),
            num(&c["alpha"]),
            num(&c["power"]),
        );
        if c.get("error").is_some() {
            fails_with(c, got);
        } else {
            close(
                "detectable effect",
                c,
                got.unwrap_or_else(|e| panic!("{c}: {e}")),
                &c["mde"],
            );
            solved += 1;
        }
    }
    assert!(solved >= 400, "only {solved} solved effects");
    for c in list(&doc, "errors") {
        if c["fn"] == "sample_size" {
            fails_with(
                c,
                sample_size_per_arm(
                    num(&c["baseline"]),
                    num(&c["mde"]),
                    num(&c["alpha"]),
                    num(&c["power"]),
                ),
            );
        } else {
            fails_with(
                c,
                detectable_effect(
                    num(&c["baseline"]),
                    uint(&c["n"]),
                    num(&c["alpha"]),
                    num(&c["power"]),
                ),
            );
        }
    }
}

#[test]
fn ks_matches_scipy() {
    run(
        "ks",
        500,
        |c| {
            let r = ks_test(&nums(&c["x"]), &nums(&c["y"])).unwrap_or_else(|e| panic!("{c}: {e}"));
            close("ks statistic", c, r.statistic, &c["statistic"]);
            relatively_close("ks p-value", c, r.p_value, &c["pValue"]);
        },
        |c| fails_with(c, ks_test(&nums(&c["x"]), &nums(&c["y"]))),
    );
}

fn bins(c: &Value) -> usize {
    usize::try_from(uint(&c["bins"])).unwrap_or(usize::MAX)
}

#[test]
fn psi_matches_numpy_reference() {
    run(
        "psi",
        500,
        |c| {
            let got = psi(&nums(&c["reference"]), &nums(&c["current"]), bins(c))
                .unwrap_or_else(|e| panic!("{c}: {e}"));
            close("psi", c, got, &c["psi"]);
        },
        |c| {
            fails_with(
                c,
                psi(&nums(&c["reference"]), &nums(&c["current"]), bins(c)),
            )
        },
    );
}

#[test]
fn wilson_matches_statsmodels() {
    run(
        "wilson",
        500,
        |c| {
            let (rate, lo, hi) = rate_interval(counts(&c["c"]), num(&c["alpha"]))
                .unwrap_or_else(|e| panic!("{c}: {e}"));
            close("rate", c, rate, &c["rate"]);
            close("ci low", c, lo, &c["ciLow"]);
            close("ci high", c, hi, &c["ciHigh"]);
        },
        |c| fails_with(c, rate_interval(counts(&c["c"]), num(&c["alpha"]))),
    );
}

/// Relative tolerance of the far-tail references (`stats_tails.json`).
const RELATIVE: f64 = 1e-6;

/// `got` within a relative [`RELATIVE`] of the reference; a reference of
/// exactly 0 must be exactly 0.
#[track_caller]
fn relatively_close(label: &str, case: &Value, got: f64, want: &Value) {
    let want = num(want);
    if want == 0.0 {
        assert_eq!(got, 0.0, "{label}: got {got}, want exactly 0 for {case}");
        return;
    }
    let err = (got - want).abs() / want.abs();
    assert!(
        err <= RELATIVE,
        "{label}: got {got:e}, want {want:e} (relative error {err:e}) for {case}"
    );
}

fn tails(key: &str, min_cases: usize) -> Vec<Value> {
    let doc = load("tails");
    let cases = list(&doc, key).to_vec();
    assert!(
        cases.len() >= min_cases,
        "tails {key}: only {} cases",
        cases.len()
    );
    cases
}

/// The smallest reference p-value of a tail fixture: the cases must reach
/// far below what an absolute tolerance can see.
fn smallest(cases: &[Value], key: &str) -> f64 {
    cases.iter().map(|c| num(&c[key])).fold(1.0, f64::min)
}

#[test]
fn z_test_tails_match_mpmath() {
    let cases = tails("z", 100);
    assert!(smallest(&cases, "pValue") < 1e-200);
    for c in &cases {
        let r = proportion_z_test(counts(&c["a"]), counts(&c["b"]), 0.05)
            .unwrap_or_else(|e| panic!("{c}: {e}"));
        relatively_close("z", c, r.z, &c["z"]);
        relatively_close("p-value", c, r.p_value, &c["pValue"]);
    }
}

#[test]
fn lift_t_test_tails_match_mpmath() {
    let cases = tails("t", 150);
    assert!(smallest(&cases, "pValue") < 1e-200);
    // Degrees of freedom from a few to ~1e8, so each method of the t tail is
    // exercised: the incomplete beta, and the expansion above 10^6.
    let dofs: Vec<f64> = cases.iter().map(|c| num(&c["dof"])).collect();
    assert!(dofs.iter().any(|&d| d < 10.0) && dofs.iter().any(|&d| d > 2e6));
    for c in &cases {
        let r = lift_t_test(counts(&c["a"]), counts(&c["b"]), 0.05)
            .unwrap_or_else(|e| panic!("{c}: {e}"));
        relatively_close("lift", c, r.lift, &c["lift"]);
        relatively_close("p-value", c, r.p_value, &c["pValue"]);
    }
}

#[test]
fn srm_tails_match_mpmath() {
    let cases = tails("srm", 100);
    assert!(smallest(&cases, "pValue") < 1e-200);
    for c in &cases {
        let p =
            srm_p_value(&observed(c), &nums(&c["weights"])).unwrap_or_else(|e| panic!("{c}: {e}"));
        relatively_close("srm p-value", c, p, &c["pValue"]);
    }
}

#[test]
fn chance_to_beat_tails_match_mpmath() {
    let cases = tails("chanceToBeat", 100);
    assert!(smallest(&cases, "chanceToBeat") < 1e-200);
    for c in &cases {
        let p =
            chance_to_beat(counts(&c["a"]), counts(&c["b"])).unwrap_or_else(|e| panic!("{c}: {e}"));
        relatively_close("chance to beat", c, p, &c["chanceToBeat"]);
    }
}

/// A sample given as `[[value, count], ...]`.
fn expand(histogram: &Value) -> Vec<f64> {
    let mut out = Vec::new();
    for pair in histogram.as_array().expect("histogram") {
        let count = usize::try_from(uint(&pair[1])).expect("count fits");
        out.extend(std::iter::repeat_n(num(&pair[0]), count));
    }
    out
}

#[test]
fn ks_tails_on_large_samples_match_mpmath() {
    let cases = tails("ks", 30);
    assert!(smallest(&cases, "pValue") < 1e-200);
    for c in &cases {
        let (x, y) = (expand(&c["xCounts"]), expand(&c["yCounts"]));
        assert!(x.len().min(y.len()) >= 2000);
        let r = ks_test(&x, &y).unwrap_or_else(|e| panic!("{}: {e}", c["n"]));
        let label = format!("n {} D {}", c["n"], c["statistic"]);
        relatively_close(
            "ks statistic",
            &Value::String(label.clone()),
            r.statistic,
            &c["statistic"],
        );
        relatively_close("ks p-value", &Value::String(label), r.p_value, &c["pValue"]);
    }
}

// ---------------------------------------------------------------- continuous metrics

/// Reads `{ n, sum, sumSquares }`, keeping NaN and infinities.
fn mean_stats(v: &Value) -> MeanStats {
    MeanStats {
        n: uint(&v["n"]),
        sum: num(&v["sum"]),
        sum_squares: num(&v["sumSquares"]),
    }
}

fn sums(v: &Value) -> brain_core::stats::Sums {
    brain_core::stats::Sums {
        sum: num(&v["sum"]),
        sum_squares: num(&v["sumSquares"]),
    }
}

fn ratio_stats(v: &Value) -> RatioStats {
    RatioStats {
        n: uint(&v["n"]),
        numerator: sums(&v["numerator"]),
        denominator: sums(&v["denominator"]),
        sum_products: num(&v["sumProducts"]),
    }
}

fn cuped_stats(v: &Value) -> CupedStats {
    CupedStats {
        n: uint(&v["n"]),
        post: sums(&v["post"]),
        pre: sums(&v["pre"]),
        sum_products: num(&v["sumProducts"]),
    }
}

/// The case's alpha, 0.05 where an error case leaves it out.
fn alpha(c: &Value) -> f64 {
    c.get("alpha").map_or(0.05, num)
}

/// A p-value or probability from a tail: within a relative [`RELATIVE`], or
/// both below 1e-300, where floats are subnormal and keep fewer digits (scipy
/// gives 0 there, the Rust code a subnormal or 0).
#[track_caller]
fn tail_close(label: &str, case: &Value, got: f64, want: &Value) {
    if num(want) < 1e-300 {
        assert!(got < 1e-300, "{label}: got {got:e}, want {want} for {case}");
    } else {
        relatively_close(label, case, got, want);
    }
}

/// A frequentist fixture: lift and interval within [`TOLERANCE`], gbstats'
/// own `2 (1 - cdf)` p-value within 1e-6 absolute and, where the fixture has
/// it, the exact `2 t.sf` tail within 1e-6 relative.
#[track_caller]
fn check_lift(c: &Value, r: &LiftTest) {
    close("lift", c, r.lift, &c["lift"]);
    close("ci low", c, r.ci_low, &c["ciLow"]);
    close("ci high", c, r.ci_high, &c["ciHigh"]);
    if c.get("pValueExact").is_some() {
        close("gbstats p-value", c, r.p_value, &c["pValue"]);
        tail_close("exact p-value", c, r.p_value, &c["pValueExact"]);
    } else {
        tail_close("p-value", c, r.p_value, &c["pValue"]);
    }
}

/// Far-tail cases must be there, or the relative comparison proves nothing.
fn reaches_the_tail(name: &str, key: &str) {
    let doc = load(name);
    let tiny = list(&doc, "cases")
        .iter()
        .filter(|c| (1e-300..1e-50).contains(&num(&c[key])))
        .count();
    assert!(
        tiny >= 30,
        "{name}: only {tiny} p-values between 1e-300 and 1e-50"
    );
}

#[test]
fn mean_t_test_matches_gbstats() {
    reaches_the_tail("mean", "pValueExact");
    let test = |c: &Value| mean_lift_t_test(mean_stats(&c["a"]), mean_stats(&c["b"]), alpha(c));
    run(
        "mean",
        500,
        |c| check_lift(c, &test(c).unwrap_or_else(|e| panic!("{c}: {e}"))),
        |c| fails_with(c, test(c)),
    );
}

#[test]
fn mean_sequential_test_matches_gbstats() {
    let test = |c: &Value| {
        mean_sequential_test(
            mean_stats(&c["a"]),
            mean_stats(&c["b"]),
            alpha(c),
            num(&c["tuning"]),
        )
    };
    run(
        "mean_sequential",
        500,
        |c| check_lift(c, &test(c).unwrap_or_else(|e| panic!("{c}: {e}"))),
        |c| fails_with(c, test(c)),
    );
}

#[test]
fn mean_bayesian_matches_gbstats() {
    let test = |c: &Value| {
        let prior = c.get("prior").map(|p| GaussianPrior {
            mean: num(&p["mean"]),
            variance: num(&p["variance"]),
        });
        mean_bayesian(mean_stats(&c["a"]), mean_stats(&c["b"]), alpha(c), prior)
    };
    let mut with_prior = 0;
    run(
        "mean_bayesian",
        500,
        |c| {
            let r = test(c).unwrap_or_else(|e| panic!("{c}: {e}"));
            close("lift", c, r.lift, &c["lift"]);
            close("ci low", c, r.ci_low, &c["ciLow"]);
            close("ci high", c, r.ci_high, &c["ciHigh"]);
            tail_close("chance to win", c, r.chance_to_win, &c["chanceToWin"]);
            close("risk control", c, r.risk_control, &c["riskControl"]);
            close("risk treatment", c, r.risk_treatment, &c["riskTreatment"]);
            with_prior += usize::from(c.get("prior").is_some());
        },
        |c| fails_with(c, test(c)),
    );
    assert!(
        with_prior >= 100,
        "only {with_prior} cases with a proper prior"
    );
}

#[test]
fn ratio_t_test_matches_gbstats() {
    reaches_the_tail("ratio", "pValueExact");
    let test = |c: &Value| ratio_lift_t_test(ratio_stats(&c["a"]), ratio_stats(&c["b"]), alpha(c));
    run(
        "ratio",
        500,
        |c| check_lift(c, &test(c).unwrap_or_else(|e| panic!("{c}: {e}"))),
        |c| fails_with(c, test(c)),
    );
}

#[test]
fn cuped_t_test_matches_gbstats() {
    reaches_the_tail("cuped", "pValueExact");
    let test = |c: &Value| cuped_lift_t_test(cuped_stats(&c["a"]), cuped_stats(&c["b"]), alpha(c));
    run(
        "cuped",
        500,
        |c| check_lift(c, &test(c).unwrap_or_else(|e| panic!("{c}: {e}"))),
        |c| fails_with(c, test(c)),
    );
}
