//! Statistics engine: frequentist, sequential and Bayesian tests of
//! conversion rates and of continuous, ratio and CUPED-adjusted metrics
//! (`means.rs`), sample-ratio mismatch, multiple-testing corrections,
//! power, drift statistics, Thompson-sampling bandits and the winner rule.
//!
//! Every function is pure and total: degenerate input (zero trials, zero
//! baseline, zero variance, conversions above trials, NaN or infinite
//! numbers, empty samples) is a [`StatsError`], never a NaN and never a panic.
//! Each public function documents its formula and the independent reference
//! the tests in `core/tests/stats_reference.rs` compare it with.
//!
//! P-values and probabilities are computed on the side of the answer (erfc,
//! the incomplete beta and gamma tails, sums of positive terms), never as
//! `1 - cdf` of something near 1, so they hold a relative 1e-6 down to
//! 1e-300: `stats_tails.json` checks that against mpmath at 50 digits.

mod bandit;
mod bayes;
mod dist;
mod drift;
mod frequentist;
mod gamma;
mod kolmogorov;
mod math;
mod means;
mod merge_sort;
mod multiple;
mod power;
mod srm;
mod winner;

pub use bandit::{thompson_allocation, Allocation};
pub use bayes::{chance_to_beat, MAX_EXACT_TERMS, MAX_TRIALS};
pub use drift::{ks_test, psi, psi_band, DriftBand, KsTest, MAX_PSI_BINS, PSI_EPSILON};
pub use frequentist::{
    lift_t_test, proportion_z_test, rate_interval, sequential_lift_test, LiftTest, ZTest,
};
pub use means::{
    cuped_lift_t_test, mean_bayesian, mean_lift_t_test, mean_sequential_test, ratio_lift_t_test,
    BayesLift, CupedStats, GaussianPrior, MeanStats, RatioStats, Sums,
};
pub use multiple::{adjust_p_values, Adjustment};
pub use power::{detectable_effect, sample_size_per_arm};
pub use srm::srm_p_value;
pub use winner::{decide_winner, VariantComparison, WinnerDecision, WinnerMethod, WinnerRule};

use serde::{Deserialize, Serialize};

/// Trials and conversions of one arm (variant) of an experiment.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Number of trials (users exposed).
    pub n: u64,
    /// Number of trials that converted; at most `n`.
    pub conversions: u64,
}

impl Counts {
    /// Builds counts, checking `conversions <= n`.
    pub fn new(n: u64, conversions: u64) -> Result<Self, StatsError> {
        let c = Counts { n, conversions };
        c.validate()?;
        Ok(c)
    }

    /// Checks `conversions <= n`.
    pub fn validate(&self) -> Result<(), StatsError> {
        if self.conversions > self.n {
            return Err(StatsError::ConversionsExceedTrials {
                conversions: self.conversions,
                trials: self.n,
            });
        }
        Ok(())
    }

    /// Checks `conversions <= n` and `n > 0`.
    fn validate_nonempty(&self) -> Result<(), StatsError> {
        self.validate()?;
        if self.n == 0 {
            return Err(StatsError::ZeroTrials);
        }
        Ok(())
    }

    /// The conversion rate `conversions / n`; only call on validated,
    /// non-empty counts.
    fn rate(&self) -> f64 {
        self.conversions as f64 / self.n as f64
    }
}

/// What was wrong with the input of a statistics function.
///
/// Its messages are written by [`StatsError::message`], which takes the
/// writer of the one `f64` a message can hold (`OutOfRange`'s value):
/// `Display` passes Rust's, and the JS package passes JavaScript's, so the
/// lite wasm does not carry `core::fmt`'s float printing (about a quarter of
/// its code) for one error message.
#[derive(Debug, Clone, PartialEq)]
pub enum StatsError {
    /// More conversions than trials.
    ConversionsExceedTrials {
        /// The conversions given.
        conversions: u64,
        /// The trials given.
        trials: u64,
    },
    /// An arm with no trials.
    ZeroTrials,
    /// Too few trials for the test (e.g. one trial gives no variance).
    TooFewTrials {
        /// The trials given.
        trials: u64,
        /// The minimum the test needs.
        needed: u64,
    },
    /// The control's rate is zero, so a relative lift is undefined.
    ZeroBaseline,
    /// Every observation is the same, so the test statistic is undefined.
    ZeroVariance,
    /// A number that must be finite was NaN or infinite.
    NotFinite {
        /// Which input.
        what: &'static str,
    },
    /// A number outside its allowed range.
    OutOfRange {
        /// Which input.
        what: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        allowed: &'static str,
    },
    /// An empty sample or list.
    Empty {
        /// Which input.
        what: &'static str,
    },
    /// Too few groups (arms, variants, bins).
    TooFew {
        /// Which input.
        what: &'static str,
        /// How many were given.
        given: usize,
        /// How many are needed.
        needed: usize,
    },
    /// Two lists that must have the same length do not.
    LengthMismatch {
        /// Which inputs.
        what: &'static str,
        /// Length of the first.
        left: usize,
        /// Length of the second.
        right: usize,
    },
    /// The answer does not fit the output type.
    Overflow {
        /// What overflowed.
        what: &'static str,
    },
    /// No effect in range is detectable with the given sample.
    SampleTooSmall {
        /// Trials per arm given.
        n: u64,
        /// The fewest trials per arm that detect the largest possible effect.
        needed: u64,
    },
}

impl StatsError {
    /// The error's message, with `OutOfRange`'s value written by `float`
    /// (`Display` gives Rust's `{}`; the JS package gives a JavaScript
    /// function that writes the same text, see the type's doc).
    pub fn message(&self, float: impl FnOnce(f64) -> String) -> String {
        match self {
            StatsError::ConversionsExceedTrials {
                conversions,
                trials,
            } => format!("conversions ({conversions}) exceed trials ({trials})"),
            StatsError::ZeroTrials => {
                "an arm has zero trials; every arm needs at least one trial".to_owned()
            }
            StatsError::TooFewTrials { trials, needed } => {
                format!("an arm has {trials} trials; this test needs at least {needed}")
            }
            StatsError::ZeroBaseline => {
                "the control's conversion rate is zero; a relative lift needs a positive baseline"
                    .to_owned()
            }
            StatsError::ZeroVariance => {
                "zero variance: every trial in an arm has the same outcome, the test is undefined"
                    .to_owned()
            }
            StatsError::NotFinite { what } => format!("{what} is not a finite number"),
            StatsError::OutOfRange {
                what,
                value,
                allowed,
            } => format!("{what} ({}) must be {allowed}", float(*value)),
            StatsError::Empty { what } => {
                format!("{what} is empty; at least one value is needed")
            }
            StatsError::TooFew {
                what,
                given,
                needed,
            } => format!("{what}: {given} given, at least {needed} needed"),
            StatsError::LengthMismatch { what, left, right } => {
                format!("{what}: lengths differ ({left} and {right})")
            }
            StatsError::Overflow { what } => format!("{what} is too large to represent"),
            StatsError::SampleTooSmall { n, needed } => format!(
                "{n} trials per arm cannot detect any effect at this alpha and power; at least {needed} are needed"
            ),
        }
    }

    /// A stable snake_case code per variant, for the JS layer.
    pub fn code(&self) -> &'static str {
        match self {
            StatsError::ConversionsExceedTrials { .. } => "conversions_exceed_trials",
            StatsError::ZeroTrials => "zero_trials",
            StatsError::TooFewTrials { .. } => "too_few_trials",
            StatsError::ZeroBaseline => "zero_baseline",
            StatsError::ZeroVariance => "zero_variance",
            StatsError::NotFinite { .. } => "not_finite",
            StatsError::OutOfRange { .. } => "out_of_range",
            StatsError::Empty { .. } => "empty",
            StatsError::TooFew { .. } => "too_few",
            StatsError::LengthMismatch { .. } => "length_mismatch",
            StatsError::Overflow { .. } => "overflow",
            StatsError::SampleTooSmall { .. } => "sample_too_small",
        }
    }
}

impl std::fmt::Display for StatsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(|x| x.to_string()))
    }
}

impl std::error::Error for StatsError {}

/// `x.clamp(lo, hi)` for `lo <= hi` (the callers' bounds), the same value
/// bit for bit, without `f64::clamp`'s panic for `lo > hi`: its message
/// formats both bounds with `{:?}`, which alone links `core::fmt`'s float
/// printing into the lite wasm when the bounds are not constants.
pub(crate) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// Checks that `x` is finite.
fn finite(what: &'static str, x: f64) -> Result<f64, StatsError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(StatsError::NotFinite { what })
    }
}

/// Checks `0 < x < 1` (and finiteness).
fn open_unit(what: &'static str, x: f64) -> Result<f64, StatsError> {
    finite(what, x)?;
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(StatsError::OutOfRange {
            what,
            value: x,
            allowed: "strictly between 0 and 1",
        })
    }
}

/// Checks a significance level: `0 < alpha < 1`.
fn check_alpha(alpha: f64) -> Result<f64, StatsError> {
    open_unit("alpha", alpha)
}

/// Guards an output: a NaN or infinity here is a bug in the input checks,
/// reported as an error rather than returned.
fn output(what: &'static str, x: f64) -> Result<f64, StatsError> {
    finite(what, x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_validate() {
        assert_eq!(
            Counts::new(10, 12),
            Err(StatsError::ConversionsExceedTrials {
                conversions: 12,
                trials: 10
            })
        );
        assert_eq!(
            Counts::new(10, 12).map_err(|e| e.to_string()),
            Err("conversions (12) exceed trials (10)".to_owned())
        );
        assert!(Counts::new(10, 10).is_ok());
    }

    #[test]
    fn error_codes_are_snake_case_and_distinct() {
        let errors = [
            StatsError::ConversionsExceedTrials {
                conversions: 1,
                trials: 0,
            },
            StatsError::ZeroTrials,
            StatsError::TooFewTrials {
                trials: 1,
                needed: 2,
            },
            StatsError::ZeroBaseline,
            StatsError::ZeroVariance,
            StatsError::NotFinite { what: "x" },
            StatsError::OutOfRange {
                what: "x",
                value: 2.0,
                allowed: "below 1",
            },
            StatsError::Empty { what: "x" },
            StatsError::TooFew {
                what: "x",
                given: 1,
                needed: 2,
            },
            StatsError::LengthMismatch {
                what: "x",
                left: 1,
                right: 2,
            },
            StatsError::Overflow { what: "x" },
            StatsError::SampleTooSmall { n: 1, needed: 2 },
        ];
        let mut codes: Vec<&str> = errors.iter().map(StatsError::code).collect();
        assert!(codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
        // Messages are lower case.
        assert!(errors
            .iter()
            .all(|e| !e.to_string().starts_with(char::is_uppercase)));
    }

    /// The texts the JS package writes for the same values with its own
    /// float writer (`floatText` in `js/inputs.js`; the Node suite
    /// `js-errors.test.mjs` checks these same strings): Rust's `{}` of an f64.
    #[test]
    fn out_of_range_messages_write_the_value_as_rust_does() {
        let message = |value: f64| {
            StatsError::OutOfRange {
                what: "alpha",
                value,
                allowed: "strictly between 0 and 1",
            }
            .to_string()
        };
        assert_eq!(message(2.0), "alpha (2) must be strictly between 0 and 1");
        for (value, text) in [
            (-0.0, "-0"),
            (1.5, "1.5"),
            (-(0.1 + 0.2), "-0.30000000000000004"),
            (-1.5e-7, "-0.00000015"),
            (-2.5e21, "-2500000000000000000000"),
            (1e300, &format!("1{}", "0".repeat(300))),
            (-5e-324, &format!("-0.{}5", "0".repeat(323))),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(
                message(value),
                format!("alpha ({text}) must be strictly between 0 and 1")
            );
        }
    }

    #[test]
    fn counts_serde_camel_case() {
        let c: Counts = serde_json::from_str(r#"{"n":5,"conversions":2}"#).expect("parse");
        assert_eq!(
            c,
            Counts {
                n: 5,
                conversions: 2
            }
        );
    }
}

/// Property tests: on arbitrary input, every function returns a typed error
/// or finite numbers (probabilities in `[0, 1]`); never NaN, never a panic.
#[cfg(test)]
mod never_nan {
    use super::*;
    use proptest::prelude::*;

    fn counts(max: u64) -> impl Strategy<Value = Counts> {
        (
            prop_oneof![0..=1000u64, 0..=max],
            prop_oneof![0.0..=1.0f64, Just(1.5)],
        )
            .prop_map(|(n, share)| Counts {
                n,
                conversions: (n as f64 * share) as u64,
            })
    }

    fn any_number() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            0.0..=1.0f64,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(0.0)
        ]
    }

    fn finite(xs: &[f64]) -> bool {
        xs.iter().all(|x| x.is_finite())
    }

    fn probability(p: f64) -> bool {
        (0.0..=1.0).contains(&p)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn two_arm_tests(a in counts(u64::MAX), b in counts(u64::MAX), alpha in any_number(), tuning in any_number()) {
            if let Ok(r) = proportion_z_test(a, b, alpha) {
                prop_assert!(finite(&[r.z, r.diff, r.ci_low, r.ci_high]) && probability(r.p_value), "{r:?}");
            }
            for r in [lift_t_test(a, b, alpha), sequential_lift_test(a, b, alpha, tuning)].into_iter().flatten() {
                prop_assert!(finite(&[r.lift, r.ci_low, r.ci_high]) && probability(r.p_value), "{r:?}");
            }
            if let Ok((p, lo, hi)) = rate_interval(a, alpha) {
                prop_assert!(probability(p) && finite(&[lo, hi]) && lo <= hi);
            }
        }

        #[test]
        fn chance_to_beat_is_a_probability(a in counts(u64::MAX), b in counts(u64::MAX)) {
            if let Ok(p) = chance_to_beat(a, b) {
                prop_assert!(probability(p));
            }
        }

        #[test]
        fn srm_and_adjustments(observed in proptest::collection::vec(any::<u64>(), 0..6),
                               weights in proptest::collection::vec(any_number(), 0..6),
                               p in proptest::collection::vec(any_number(), 0..8)) {
            if let Ok(x) = srm_p_value(&observed, &weights) {
                prop_assert!(probability(x));
            }
            for method in [Adjustment::Holm, Adjustment::BenjaminiHochberg] {
                if let Ok(adj) = adjust_p_values(&p, method) {
                    prop_assert!(adj.iter().all(|&x| probability(x)) && adj.len() == p.len());
                }
            }
        }

        #[test]
        fn power(baseline in any_number(), mde in any_number(), alpha in any_number(), power in any_number(), n in any::<u64>()) {
            let _ = sample_size_per_arm(baseline, mde, alpha, power);
            if let Ok(effect) = detectable_effect(baseline, n, alpha, power) {
                prop_assert!(effect.is_finite() && effect > 0.0);
            }
        }

        #[test]
        fn drift(x in proptest::collection::vec(any_number(), 0..40),
                 y in proptest::collection::vec(any_number(), 0..40),
                 bins in 0usize..40) {
            if let Ok(r) = ks_test(&x, &y) {
                prop_assert!(probability(r.statistic) && probability(r.p_value), "{r:?}");
            }
            if let Ok(v) = psi(&x, &y, bins) {
                prop_assert!(v.is_finite() && v >= 0.0);
            }
        }

        #[test]
        fn bandit_and_winner(arms in proptest::collection::vec(counts(100_000), 0..5),
                             floor in any_number(), draws in 0u32..50, seed in any::<u64>(),
                             method in prop_oneof![Just(WinnerMethod::Frequentist), Just(WinnerMethod::Sequential), Just(WinnerMethod::Bayesian)]) {
            if let Ok(a) = thompson_allocation(&arms, floor, draws, seed) {
                prop_assert!((a.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                prop_assert!(a.prob_best.iter().all(|&p| probability(p)));
            }
            let rule = WinnerRule { method, min_sample_per_variant: 10, ..WinnerRule::default() };
            if let Ok(d) = decide_winner(&arms, None, &rule) {
                prop_assert!(d.per_variant.iter().all(|c| finite(&[c.rate, c.ci_low, c.ci_high])));
                prop_assert!(d.per_variant.iter().all(|c| c.p_value.is_none_or(probability)));
                prop_assert!(!d.reason.is_empty());
            }
        }
    }
}
