//! Thompson-sampling traffic allocation for Bernoulli arms.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::math;
use super::{finite, Counts, StatsError};

/// Result of [`thompson_allocation`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    /// Traffic share per arm; each at least the floor, summing to 1.
    pub weights: Vec<f64>,
    /// Monte Carlo estimate of each arm's probability of being best.
    pub prob_best: Vec<f64>,
}

/// A uniform draw in `(0, 1]`.
fn open_uniform(rng: &mut ChaCha8Rng) -> f64 {
    1.0 - rng.random::<f64>()
}

/// A standard normal draw (Marsaglia polar method).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * math::ln(s) / s).sqrt();
        }
    }
}

/// A Gamma(shape, 1) draw for `shape >= 1` (Marsaglia & Tsang 2000).
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = open_uniform(rng);
        if math::ln(u) < 0.5 * x * x + d - d * v + d * math::ln(v) {
            return d * v;
        }
    }
}

/// A Beta(a, b) draw for `a, b >= 1`, as `X / (X + Y)` with Gamma draws.
fn beta(rng: &mut ChaCha8Rng, a: f64, b: f64) -> f64 {
    let x = gamma(rng, a);
    let y = gamma(rng, b);
    x / (x + y)
}

/// Thompson-sampling allocation over Bernoulli arms with Beta(1, 1) priors.
///
/// Each of `draws` rounds samples `p_i ~ Beta(1 + x_i, 1 + n_i - x_i)` for
/// every arm and credits the arm with the largest sample (the lowest index
/// on a tie); `prob_best_i` is its share of rounds. The weights keep a floor
/// `f` per arm: `w_i = f + (1 - k f) prob_best_i` for `k` arms, so each is at
/// least `f` and they sum to 1. Draws come from ChaCha8 seeded with `seed`
/// (Marsaglia-Tsang Gamma sampling), so equal inputs give equal outputs on
/// every platform.
///
/// Reference: Thompson (1933); Russo et al. (2018), "A Tutorial on Thompson
/// Sampling", sec. 3. The tests check `prob_best` against the exact
/// [`super::chance_to_beat`] for two arms.
///
/// Arms with zero trials are allowed (the prior alone: a new arm).
///
/// Errors: no arms, conversions above trials, `draws = 0`, a floor that is
/// not finite, negative, or above `1 / k`.
pub fn thompson_allocation(
    arms: &[Counts],
    floor: f64,
    draws: u32,
    seed: u64,
) -> Result<Allocation, StatsError> {
    if arms.is_empty() {
        return Err(StatsError::Empty { what: "arms" });
    }
    for arm in arms {
        arm.validate()?;
    }
    finite("floor", floor)?;
    let k = arms.len() as f64;
    if floor < 0.0 || floor * k > 1.0 {
        return Err(StatsError::OutOfRange {
            what: "floor",
            value: floor,
            allowed: "between 0 and 1 / number of arms",
        });
    }
    if draws == 0 {
        return Err(StatsError::TooFew {
            what: "draws",
            given: 0,
            needed: 1,
        });
    }
    let params: Vec<(f64, f64)> = arms
        .iter()
        .map(|a| {
            (
                a.conversions as f64 + 1.0,
                (a.n - a.conversions) as f64 + 1.0,
            )
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut wins = vec![0u32; arms.len()];
    for _ in 0..draws {
        let mut best = 0usize;
        let mut best_value = f64::NEG_INFINITY;
        for (i, &(a, b)) in params.iter().enumerate() {
            let v = beta(&mut rng, a, b);
            if v > best_value {
                best_value = v;
                best = i;
            }
        }
        if let Some(w) = wins.get_mut(best) {
            *w += 1;
        }
    }
    let total = f64::from(draws);
    let prob_best: Vec<f64> = wins.iter().map(|&w| f64::from(w) / total).collect();
    let weights = prob_best
        .iter()
        .map(|&p| floor + (1.0 - k * floor) * p)
        .collect();
    Ok(Allocation { weights, prob_best })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::chance_to_beat;

    fn c(n: u64, conversions: u64) -> Counts {
        Counts { n, conversions }
    }

    #[test]
    fn deterministic_for_a_seed() {
        let arms = [c(100, 10), c(100, 12), c(100, 9)];
        let a = thompson_allocation(&arms, 0.05, 2000, 7).expect("alloc");
        assert_eq!(a, thompson_allocation(&arms, 0.05, 2000, 7).expect("alloc"));
        assert_ne!(a, thompson_allocation(&arms, 0.05, 2000, 8).expect("alloc"));
        assert!((a.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(a.weights.iter().all(|&w| w >= 0.05));
    }

    #[test]
    fn prob_best_matches_exact_chance_to_beat() {
        // 40,000 draws: standard error below 0.0025; allow 4 of them.
        for (a, b) in [
            (c(200, 20), c(200, 28)),
            (c(1000, 100), c(1000, 100)),
            (c(50, 5), c(60, 15)),
        ] {
            let exact = chance_to_beat(a, b).expect("ctb");
            let alloc = thompson_allocation(&[a, b], 0.0, 40_000, 42).expect("alloc");
            let got = alloc.prob_best.get(1).copied().unwrap_or(f64::NAN);
            assert!((got - exact).abs() < 0.01, "{got} vs {exact}");
        }
    }

    #[test]
    fn degenerate_inputs_are_typed_errors() {
        assert!(matches!(
            thompson_allocation(&[], 0.0, 10, 1),
            Err(StatsError::Empty { .. })
        ));
        assert!(matches!(
            thompson_allocation(&[c(1, 2)], 0.0, 10, 1),
            Err(StatsError::ConversionsExceedTrials { .. })
        ));
        assert!(matches!(
            thompson_allocation(&[c(1, 0), c(1, 0)], 0.6, 10, 1),
            Err(StatsError::OutOfRange { .. })
        ));
        assert!(matches!(
            thompson_allocation(&[c(1, 0)], f64::NAN, 10, 1),
            Err(StatsError::NotFinite { .. })
        ));
        assert!(matches!(
            thompson_allocation(&[c(1, 0)], 0.0, 0, 1),
            Err(StatsError::TooFew { .. })
        ));
        // Zero trials is a new arm, not an error.
        assert!(thompson_allocation(&[c(0, 0), c(0, 0)], 0.1, 10, 1).is_ok());
    }
}
