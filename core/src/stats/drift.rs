//! Drift statistics: two-sample Kolmogorov-Smirnov and the population
//! stability index (PSI).

use serde::{Deserialize, Serialize};

use super::kolmogorov::kolmogorov_n_sf;
use super::math;
use super::{output, StatsError};

/// Result of [`ks_test`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct KsTest {
    /// `D = sup_x |F_x(x) - F_y(x)|`.
    pub statistic: f64,
    /// Asymptotic two-sided p-value.
    pub p_value: f64,
}

/// Checks a sample: not empty, every value finite.
fn check_sample(what: &'static str, xs: &[f64]) -> Result<(), StatsError> {
    if xs.is_empty() {
        return Err(StatsError::Empty { what });
    }
    if xs.iter().any(|x| !x.is_finite()) {
        return Err(StatsError::NotFinite { what });
    }
    Ok(())
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    super::merge_sort::stable_sort_by(&mut v, |a, b| a.total_cmp(b).is_lt());
    v
}

/// Two-sample Kolmogorov-Smirnov test with scipy's asymptotic p-value.
///
/// `D = max_t |F_x(t) - F_y(t)|` over all sample points (empirical CDFs,
/// ties handled by stepping over equal values together); with
/// `en = m n / (m + n)`, the p-value is `P(D_k >= D)` for the one-sample
/// two-sided statistic `D_k` at `k = round(en)` (half to even, as numpy),
/// computed as scipy's `kstwo.sf` (Simard & L'Ecuyer 2011; see
/// `kolmogorov.rs`). For large `k` this tends to Kolmogorov's limit
/// `Q(sqrt(en) D)`, `Q(l) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 l^2)`.
///
/// Reference: scipy `ks_2samp(x, y, method="asymp")` (statistic and
/// p-value).
///
/// Errors: an empty sample, a NaN or infinite value, or only one value in
/// each sample (`round(en) = 0`, where scipy returns NaN).
pub fn ks_test(x: &[f64], y: &[f64]) -> Result<KsTest, StatsError> {
    check_sample("first sample", x)?;
    check_sample("second sample", y)?;
    if x.len() + y.len() < 3 {
        return Err(StatsError::TooFew {
            what: "values in both samples together",
            given: x.len() + y.len(),
            needed: 3,
        });
    }
    let (xs, ys) = (sorted(x), sorted(y));
    let (n1, n2) = (xs.len() as f64, ys.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut d = 0.0_f64;
    while i < xs.len() && j < ys.len() {
        let (a, b) = (xs.get(i).copied(), ys.get(j).copied());
        let t = match (a, b) {
            (Some(a), Some(b)) => a.min(b),
            _ => break,
        };
        while xs.get(i).is_some_and(|&v| v <= t) {
            i += 1;
        }
        while ys.get(j).is_some_and(|&v| v <= t) {
            j += 1;
        }
        d = d.max((i as f64 / n1 - j as f64 / n2).abs());
    }
    // Once one sample is exhausted its CDF is 1; the largest gap left is at
    // the current position, already counted.
    // scipy sorts the sizes (larger first) before computing en.
    let (big, small) = if n1 >= n2 { (n1, n2) } else { (n2, n1) };
    let en = big * small / (big + small);
    let k = en.round_ties_even() as u64;
    let p = kolmogorov_n_sf(k, d);
    Ok(KsTest {
        statistic: output("ks statistic", d)?,
        p_value: output("ks p-value", p)?,
    })
}

/// Most bins [`psi`] accepts.
pub const MAX_PSI_BINS: usize = 1000;

/// Floor applied to each bin's share before the logarithm of [`psi`], so
/// that an empty bin contributes a large but finite term.
pub const PSI_EPSILON: f64 = 1e-4;

/// Population stability index of `current` against `reference`.
///
/// Bins: the `bins - 1` cut points are the reference quantiles at `k/bins`
/// (linear interpolation between order statistics, numpy's default
/// `np.quantile(reference, k/bins)`); a value `v` falls in bin `#{cuts < v}`
/// (a value equal to a cut goes to the lower bin, `np.searchsorted(cuts, v,
/// side="left")`). With `r_i`, `c_i` the shares of each sample in bin `i`,
/// each floored at [`PSI_EPSILON`]:
/// `PSI = sum_i (c_i - r_i) ln(c_i / r_i)`.
///
/// Reference: numpy `quantile` + `searchsorted` + the formula above, in the
/// fixture script (Siddiqi 2006, "Credit Risk Scorecards", for the index).
///
/// Errors: fewer than 2 or more than [`MAX_PSI_BINS`] bins, an empty
/// sample, a NaN or infinite value.
pub fn psi(reference: &[f64], current: &[f64], bins: usize) -> Result<f64, StatsError> {
    if bins < 2 {
        return Err(StatsError::TooFew {
            what: "psi bins",
            given: bins,
            needed: 2,
        });
    }
    if bins > MAX_PSI_BINS {
        return Err(StatsError::OutOfRange {
            what: "psi bins",
            value: bins as f64,
            allowed: "at most 1000",
        });
    }
    check_sample("reference sample", reference)?;
    check_sample("current sample", current)?;
    let r = sorted(reference);
    let n = r.len() as f64;
    let last = r.len() - 1;
    let cuts: Vec<f64> = (1..bins)
        .map(|k| {
            let q = k as f64 / bins as f64;
            // numpy's virtual index for method="linear": (n - 1) q.
            let h = super::clamp((n - 1.0) * q, 0.0, last as f64);
            let lo = (h.floor() as usize).min(last);
            let hi = (lo + 1).min(last);
            let g = h - lo as f64;
            let (a, b) = (
                r.get(lo).copied().unwrap_or(0.0),
                r.get(hi).copied().unwrap_or(0.0),
            );
            // numpy's _lerp: exact at both ends.
            if g >= 0.5 {
                b - (b - a) * (1.0 - g)
            } else {
                a + (b - a) * g
            }
        })
        .collect();
    let shares = |sample: &[f64]| -> Vec<f64> {
        let mut counts = vec![0u64; bins];
        for &v in sample {
            let bin = cuts.partition_point(|&c| c < v);
            if let Some(slot) = counts.get_mut(bin) {
                *slot += 1;
            }
        }
        let total = sample.len() as f64;
        counts
            .iter()
            .map(|&c| (c as f64 / total).max(PSI_EPSILON))
            .collect()
    };
    let (rs, cs) = (shares(reference), shares(current));
    let value: f64 = rs
        .iter()
        .zip(&cs)
        .map(|(&r, &c)| (c - r) * math::ln(c / r))
        .sum();
    output("psi", value)
}

/// How much a PSI says the population moved.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DriftBand {
    /// PSI below 0.1.
    Stable,
    /// PSI in `[0.1, 0.25)`.
    Moderate,
    /// PSI of 0.25 or more (and NaN, which no function here returns).
    Significant,
}

/// The conventional PSI bands: `< 0.1` stable, `< 0.25` moderate, else
/// significant (Siddiqi 2006).
pub fn psi_band(psi: f64) -> DriftBand {
    if psi < 0.1 {
        DriftBand::Stable
    } else if psi < 0.25 {
        DriftBand::Moderate
    } else {
        DriftBand::Significant
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_inputs_are_typed_errors() {
        assert!(matches!(
            ks_test(&[], &[1.0]),
            Err(StatsError::Empty { .. })
        ));
        assert!(matches!(
            ks_test(&[1.0], &[f64::NAN]),
            Err(StatsError::NotFinite { .. })
        ));
        assert!(matches!(
            psi(&[1.0, 2.0], &[1.0], 1),
            Err(StatsError::TooFew { .. })
        ));
        assert!(matches!(
            psi(&[], &[1.0], 10),
            Err(StatsError::Empty { .. })
        ));
        assert!(matches!(
            psi(&[1.0], &[f64::INFINITY], 10),
            Err(StatsError::NotFinite { .. })
        ));
    }

    #[test]
    fn identical_samples() {
        let xs: Vec<f64> = (0..100).map(f64::from).collect();
        assert_eq!(
            ks_test(&xs, &xs),
            Ok(KsTest {
                statistic: 0.0,
                p_value: 1.0
            })
        );
        assert_eq!(psi(&xs, &xs, 10), Ok(0.0));
        // Constant samples: every cut is the constant; all in bin 0.
        assert_eq!(psi(&[3.0; 10], &[3.0; 5], 10), Ok(0.0));
    }

    #[test]
    fn bands() {
        assert_eq!(psi_band(0.05), DriftBand::Stable);
        assert_eq!(psi_band(0.1), DriftBand::Moderate);
        assert_eq!(psi_band(0.25), DriftBand::Significant);
    }
}
