//! Sample-ratio mismatch: does the observed traffic split match the weights?

use super::dist::chi_square_sf;
use super::{finite, output, StatsError};

/// Chi-square goodness-of-fit p-value of the observed users per variant
/// against the expected weights, as GrowthBook's SRM check.
///
/// With `T = sum(observed)`, `W = sum(weights)` and, for each variant with
/// a positive weight, `e_i = w_i / W * T`:
/// `x = sum_i (o_i - e_i)^2 / e_i`, `p = P(chi2_{k-1} > x)` where `k` is the
/// number of variants (variants of weight 0 are skipped in the sum but still
/// counted in `k`, as gbstats does). A split is usually flagged when `p` is
/// below 0.001.
///
/// Reference: gbstats 0.8 `utils.check_srm(users, weights)`.
///
/// Errors: fewer than 2 variants, lengths differ, a weight that is negative
/// or not finite, weights summing to 0, no users at all (gbstats returns 1
/// there; here it is [`StatsError::ZeroTrials`]).
pub fn srm_p_value(observed: &[u64], weights: &[f64]) -> Result<f64, StatsError> {
    if observed.len() != weights.len() {
        return Err(StatsError::LengthMismatch {
            what: "observed counts and weights",
            left: observed.len(),
            right: weights.len(),
        });
    }
    if observed.len() < 2 {
        return Err(StatsError::TooFew {
            what: "variants",
            given: observed.len(),
            needed: 2,
        });
    }
    for &w in weights {
        finite("weight", w)?;
        if w < 0.0 {
            return Err(StatsError::OutOfRange {
                what: "weight",
                value: w,
                allowed: "zero or positive",
            });
        }
    }
    let total_weight: f64 = weights.iter().sum();
    if total_weight <= 0.0 {
        return Err(StatsError::OutOfRange {
            what: "sum of weights",
            value: total_weight,
            allowed: "positive",
        });
    }
    let total: f64 = observed.iter().map(|&o| o as f64).sum();
    if total <= 0.0 {
        return Err(StatsError::ZeroTrials);
    }
    let mut x = 0.0;
    for (&o, &w) in observed.iter().zip(weights) {
        if w <= 0.0 {
            continue;
        }
        let e = w / total_weight * total;
        let d = o as f64 - e;
        x += d * d / e;
    }
    let p = chi_square_sf(
        finite("chi-square statistic", x)?,
        (observed.len() - 1) as f64,
    )?;
    output("srm p-value", p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_inputs_are_typed_errors() {
        assert!(matches!(
            srm_p_value(&[10, 10], &[0.5]),
            Err(StatsError::LengthMismatch { .. })
        ));
        assert!(matches!(
            srm_p_value(&[10], &[1.0]),
            Err(StatsError::TooFew { .. })
        ));
        assert!(matches!(
            srm_p_value(&[10, 10], &[0.5, f64::NAN]),
            Err(StatsError::NotFinite { .. })
        ));
        assert!(matches!(
            srm_p_value(&[10, 10], &[0.5, -0.5]),
            Err(StatsError::OutOfRange { .. })
        ));
        assert!(matches!(
            srm_p_value(&[10, 10], &[0.0, 0.0]),
            Err(StatsError::OutOfRange { .. })
        ));
        assert_eq!(
            srm_p_value(&[0, 0], &[0.5, 0.5]),
            Err(StatsError::ZeroTrials)
        );
    }

    #[test]
    fn perfect_split_is_one() {
        assert_eq!(srm_p_value(&[500, 500], &[0.5, 0.5]), Ok(1.0));
    }
}
