//! Power analysis of a two-sided two-proportion test: sample size per arm
//! and its inverse, the detectable effect.

use super::dist::normal_quantile;
use super::{finite, open_unit, StatsError};

/// Required trials per arm (before rounding up) for baseline `p1`, treated
/// rate `p2`, and the normal quantiles `z_a = z_{1-alpha/2}`, `z_b = z_power`.
fn required_n(p1: f64, p2: f64, z_a: f64, z_b: f64) -> f64 {
    let mean = (p1 + p2) / 2.0;
    let root =
        z_a * (2.0 * mean * (1.0 - mean)).sqrt() + z_b * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let delta = p2 - p1;
    (root / delta).powi(2)
}

/// Checks alpha and power and returns `(z_{1-alpha/2}, z_power)`.
fn quantiles(alpha: f64, power: f64) -> Result<(f64, f64), StatsError> {
    open_unit("alpha", alpha)?;
    open_unit("power", power)?;
    let (z_a, z_b) = (normal_quantile(1.0 - alpha / 2.0), normal_quantile(power));
    if z_a + z_b <= 0.0 {
        return Err(StatsError::OutOfRange {
            what: "power",
            value: power,
            allowed: "above alpha / 2",
        });
    }
    Ok((z_a, z_b))
}

/// Trials per arm for a two-sided two-proportion z-test to detect an
/// absolute change `mde` from the baseline rate `p1` (`p2 = p1 + mde`):
///
/// `n = ceil( (z_{1-alpha/2} sqrt(2 p (1 - p)) + z_{power} sqrt(p1 (1 - p1) +
/// p2 (1 - p2)))^2 / mde^2 )` with `p = (p1 + p2) / 2`.
///
/// Reference: statsmodels `samplesize_proportions_2indep_onetail(mde,
/// baseline, power, ratio=1, alpha, alternative="two-sided")` (rounded up),
/// which is Fleiss, Levin & Paik (2003), "Statistical Methods for Rates and
/// Proportions", eq. 4.14 without continuity correction.
///
/// Errors: baseline or `p1 + mde` outside (0, 1), `mde = 0`, alpha or power
/// outside (0, 1), a power so low that no trial is needed, or a result
/// beyond `u64`.
pub fn sample_size_per_arm(
    baseline: f64,
    mde: f64,
    alpha: f64,
    power: f64,
) -> Result<u64, StatsError> {
    open_unit("baseline rate", baseline)?;
    finite("minimum detectable effect", mde)?;
    if mde == 0.0 {
        return Err(StatsError::OutOfRange {
            what: "minimum detectable effect",
            value: mde,
            allowed: "non-zero",
        });
    }
    open_unit("baseline rate plus effect", baseline + mde)?;
    let (z_a, z_b) = quantiles(alpha, power)?;
    let n = required_n(baseline, baseline + mde, z_a, z_b).ceil();
    // 2^64 as f64; anything at or above does not fit.
    if !n.is_finite() || n >= 18_446_744_073_709_551_616.0 {
        return Err(StatsError::Overflow {
            what: "sample size",
        });
    }
    Ok((n as u64).max(1))
}

/// Smallest absolute increase `mde > 0` over the baseline `p1` that a
/// two-sided two-proportion test detects with `n` trials per arm: the root
/// in `(0, 1 - p1)` of `required(p1, p1 + mde) = n`, with `required` the
/// unrounded formula of [`sample_size_per_arm`] (decreasing in `mde`),
/// found by bisection to machine precision.
///
/// Reference: scipy `brentq` on statsmodels'
/// `samplesize_proportions_2indep_onetail(mde, baseline, ...) = n`.
///
/// Errors: baseline, alpha or power outside (0, 1), `n = 0`, or `n` too
/// small to detect even `p2 -> 1` ([`StatsError::SampleTooSmall`]).
pub fn detectable_effect(
    baseline: f64,
    n_per_arm: u64,
    alpha: f64,
    power: f64,
) -> Result<f64, StatsError> {
    open_unit("baseline rate", baseline)?;
    if n_per_arm == 0 {
        return Err(StatsError::ZeroTrials);
    }
    let (z_a, z_b) = quantiles(alpha, power)?;
    let n = n_per_arm as f64;
    let max_effect = 1.0 - baseline;
    let fewest = required_n(baseline, 1.0, z_a, z_b);
    if n < fewest {
        return Err(StatsError::SampleTooSmall {
            n: n_per_arm,
            needed: fewest.ceil().min(u64::MAX as f64) as u64,
        });
    }
    let (mut lo, mut hi) = (0.0_f64, max_effect);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if required_n(baseline, baseline + mid, z_a, z_b) > n {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    finite("detectable effect", hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_value() {
        // 10% -> 12%, alpha 0.05, power 0.8: 3841 per arm (Fleiss formula).
        assert_eq!(sample_size_per_arm(0.10, 0.02, 0.05, 0.8), Ok(3841));
    }

    #[test]
    fn inverse_round_trips() {
        let n = sample_size_per_arm(0.05, 0.01, 0.05, 0.9).expect("n");
        let mde = detectable_effect(0.05, n, 0.05, 0.9).expect("mde");
        assert!(mde <= 0.01 && mde > 0.0099, "{mde}");
    }

    #[test]
    fn degenerate_inputs_are_typed_errors() {
        assert!(matches!(
            sample_size_per_arm(0.0, 0.01, 0.05, 0.8),
            Err(StatsError::OutOfRange { .. })
        ));
        assert!(matches!(
            sample_size_per_arm(0.5, 0.0, 0.05, 0.8),
            Err(StatsError::OutOfRange { .. })
        ));
        assert!(matches!(
            sample_size_per_arm(0.5, 0.6, 0.05, 0.8),
            Err(StatsError::OutOfRange { .. })
        ));
        assert!(matches!(
            sample_size_per_arm(0.5, f64::NAN, 0.05, 0.8),
            Err(StatsError::NotFinite { .. })
        ));
        assert!(matches!(
            sample_size_per_arm(0.5, 1e-300, 0.05, 0.8),
            Err(StatsError::Overflow { .. })
        ));
        assert_eq!(
            detectable_effect(0.5, 0, 0.05, 0.8),
            Err(StatsError::ZeroTrials)
        );
        assert!(matches!(
            detectable_effect(0.5, 2, 0.05, 0.8),
            Err(StatsError::SampleTooSmall { .. })
        ));
    }
}
