//! Exact Bayesian chance to beat control for Beta-Binomial conversion rates.

use super::dist::ln_beta;
use super::math;
use super::{output, Counts, StatsError};

/// Most trials per arm [`chance_to_beat`] computes to 1e-6.
pub const MAX_TRIALS: u64 = 10_000_000_000;

/// Most terms [`chance_to_beat`] sums (about 0.2 s); beyond, it refuses
/// rather than run for minutes. Only sums whose terms decay slowly get
/// there: the peak of the terms is a few thousand wide even for counts in
/// the billions.
pub const MAX_EXACT_TERMS: u64 = 50_000_000;

/// `P(X2 > X1)` for `X1 ~ Beta(a1, b1)`, `X2 ~ Beta(a2, b2)` with integer
/// `a2 >= 1`, by the exact finite sum (Miller 2015, "Formulas for Bayesian
/// A/B testing"):
/// `sum_{i=0}^{a2-1} t_i`, `t_i = B(a1 + i, b1 + b2) / ((b2 + i) B(1 + i, b2) B(a1, b1))`.
///
/// The terms are unimodal: `t_{i+1} / t_i = (a1 + i)(b2 + i) / ((a1 + b1 +
/// b2 + i)(i + 1))` falls below 1 after `i* = (a1 b2 - a1 - b1 - b2) / (b1 +
/// 1)`. The sum starts at the largest term (computed directly in log space)
/// and walks both ways with the ratio until the terms drop below 1e-20 of
/// the peak, so large counts cost about the width of the peak, not the
/// number of terms. Returns `None` past [`MAX_EXACT_TERMS`] steps.
fn prob_greater(a1: f64, b1: f64, a2: u64, b2: f64) -> Option<f64> {
    const NEGLIGIBLE: f64 = 1e-20;
    let last = (a2 - 1) as f64;
    let ratio = |i: f64| (a1 + i) * (b2 + i) / ((a1 + b1 + b2 + i) * (i + 1.0));
    let mode = super::clamp(((a1 * b2 - a1 - b1 - b2) / (b1 + 1.0)).ceil(), 0.0, last);
    let log_peak = ln_beta(a1 + mode, b1 + b2)
        - math::ln(b2 + mode)
        - ln_beta(1.0 + mode, b2)
        - ln_beta(a1, b1);
    let mut sum = 1.0_f64;
    let mut steps = 0u64;
    let (mut term, mut i) = (1.0_f64, mode);
    while i < last && term >= NEGLIGIBLE {
        term *= ratio(i);
        sum += term;
        i += 1.0;
        steps += 1;
        if steps > MAX_EXACT_TERMS {
            return None;
        }
    }
    let (mut term, mut i) = (1.0_f64, mode);
    while i > 0.0 && term >= NEGLIGIBLE {
        i -= 1.0;
        term /= ratio(i);
        sum += term;
        steps += 1;
        if steps > MAX_EXACT_TERMS {
            return None;
        }
    }
    Some(math::exp(log_peak + math::ln(sum)).clamp(0.0, 1.0))
}

/// Chance that treatment `b` beats control `a`: `P(p_b > p_a)` with
/// `p_a ~ Beta(1 + x_a, 1 + n_a - x_a)` and `p_b ~ Beta(1 + x_b, 1 + n_b -
/// x_b)` (uniform Beta(1, 1) priors).
///
/// Exact sum (see `prob_greater`) in one of its four symmetric forms:
/// `P(p_b > p_a)` summing over `alpha_b`, or over `beta_a` (on `1 - p`,
/// `Beta(beta, alpha)`), and `P(p_a > p_b)` over `alpha_a` or `beta_b`. The
/// cheapest form is tried first (cost at most `O(min(x_a, x_b, n_a - x_a,
/// n_b - x_b))`, in practice the width of the peak of the terms). A sum of
/// positive terms is exact to the last digits however small it is, but `1 -
/// P(p_a > p_b)` is not: when `P(p_a > p_b)` is above one half, the answer
/// may be far below 1e-16 and the subtraction would return rounding noise
/// (2.96e-12 for an exact 6.09e-43), so the answer is then summed directly
/// by the cheaper of the two forms of `P(p_b > p_a)`. Every answer below one
/// half is thus a direct sum, accurate to a relative 1e-6 down to 1e-300.
///
/// Reference: the same sum term by term with scipy's `betaln` and
/// `logsumexp` (Evan Miller's formula), cross-checked by numeric
/// integration `int f_b(x) F_a(x) dx` (scipy `quad`) in the fixture script;
/// `quad` alone for counts in the billions, where scipy's `betaln` is not
/// accurate enough for the sum; and in the tails (answers from 1e-300 to 1 -
/// 1e-300) the sum at 50 digits in mpmath (`gen_tails.py`).
///
/// Accuracy: within 1e-6 of the reference up to the largest fixture counts
/// (3e9 trials per arm); the log of the peak term carries an absolute error
/// of about 1e-16 times the counts, so beyond [`MAX_TRIALS`] trials the
/// function refuses.
///
/// Errors: zero trials, conversions above trials, more than [`MAX_TRIALS`]
/// trials in an arm, and sums that would need more than
/// [`MAX_EXACT_TERMS`] non-negligible terms ([`StatsError::Overflow`]).
pub fn chance_to_beat(a: Counts, b: Counts) -> Result<f64, StatsError> {
    a.validate_nonempty()?;
    b.validate_nonempty()?;
    if a.n.max(b.n) > MAX_TRIALS {
        return Err(StatsError::Overflow {
            what: "chance to beat (more than 10^10 trials in an arm)",
        });
    }
    let (alpha_a, beta_a) = (a.conversions + 1, a.n - a.conversions + 1);
    let (alpha_b, beta_b) = (b.conversions + 1, b.n - b.conversions + 1);
    let (fa, fb) = (alpha_a as f64, beta_a as f64);
    let (ga, gb) = (alpha_b as f64, beta_b as f64);
    // P(p_b > p_a), summed directly, by the cheaper of its two forms.
    let b_beats_a = || {
        if alpha_b <= beta_a {
            prob_greater(fa, fb, alpha_b, gb)
        } else {
            // p_b > p_a  <=>  1 - p_a > 1 - p_b, with 1 - p ~ Beta(beta, alpha).
            prob_greater(gb, ga, beta_a, fa)
        }
    };
    // P(p_a > p_b), summed directly, by the cheaper of its two forms.
    let a_beats_b = || {
        if alpha_a <= beta_b {
            prob_greater(ga, gb, alpha_a, fb)
        } else {
            prob_greater(fb, fa, beta_b, ga)
        }
    };
    let p = if alpha_b.min(beta_a) <= alpha_a.min(beta_b) {
        b_beats_a()
    } else {
        match a_beats_b() {
            // 1 - q is exact enough only when the answer is at least one half.
            Some(q) if q <= 0.5 => Some(1.0 - q),
            Some(_) => b_beats_a(),
            None => None,
        }
    };
    let p = p.ok_or(StatsError::Overflow {
        what: "chance to beat (more than 50 million terms in the exact sum)",
    })?;
    output("chance to beat", p.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: u64, conversions: u64) -> Counts {
        Counts { n, conversions }
    }

    #[test]
    fn symmetric_forms_agree() {
        // Same answer whichever form is cheapest, and P(b > a) + P(a > b) = 1.
        for (a, b) in [
            (c(100, 10), c(120, 18)),
            (c(50, 45), c(60, 50)),
            (c(7, 0), c(9, 9)),
        ] {
            let ab = chance_to_beat(a, b).expect("ctb");
            let ba = chance_to_beat(b, a).expect("ctb");
            assert!((ab + ba - 1.0).abs() < 1e-12, "{ab} + {ba}");
        }
        // Identical arms: exactly one half.
        assert!((chance_to_beat(c(100, 30), c(100, 30)).expect("ctb") - 0.5).abs() < 1e-12);
    }

    #[test]
    fn degenerate_inputs_are_typed_errors() {
        let huge = c(u64::MAX / 2, u64::MAX / 4);
        assert!(matches!(
            chance_to_beat(huge, huge),
            Err(StatsError::Overflow { .. })
        ));
        assert_eq!(
            chance_to_beat(c(0, 0), c(10, 1)),
            Err(StatsError::ZeroTrials)
        );
        assert!(matches!(
            chance_to_beat(c(10, 11), c(10, 1)),
            Err(StatsError::ConversionsExceedTrials { .. })
        ));
    }

    #[test]
    fn a_tiny_chance_is_summed_not_subtracted_from_one() {
        // The cheapest form sums P(a > b) over the control's 31 conversion
        // terms; the answer is ~2e-33, where `1 - P(a > b)` is rounding
        // noise. Reference: Miller's sum at 50 digits in mpmath
        // (`ctb_exact` of scripts/fixtures/gen_tails.py).
        let p = chance_to_beat(c(1000, 30), c(100_000, 100)).expect("ctb");
        let want = 2.061_892_088_567_451e-33;
        assert!((p - want).abs() <= 1e-6 * want, "{p}, want {want}");
    }

    #[test]
    fn large_counts_stay_finite() {
        let p = chance_to_beat(c(10_000_000, 500_000), c(10_000_000, 501_000)).expect("ctb");
        assert!(p > 0.5 && p < 1.0);
    }
}
