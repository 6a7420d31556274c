//! Distribution functions used by the tests: normal, Student's t and
//! chi-square tails and quantiles, and `ln B(a, b)`. Tails are computed as
//! tails (erfc, the incomplete beta and gamma functions summed on the side
//! of the answer), never as `1 - cdf`, so a p-value keeps a relative 1e-6 down
//! to 1e-300 (checked against mpmath in `core/tests/stats_reference.rs`).

use statrs::function::erf::{erfc, erfc_inv};

use super::gamma::{gamma_ur, ln_gamma};
use super::math;

use super::StatsError;

const SQRT_2: f64 = std::f64::consts::SQRT_2;

/// Two-sided normal p-value `2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2)`.
pub(crate) fn normal_two_sided(z: f64) -> f64 {
    erfc(z.abs() / SQRT_2).min(1.0)
}

/// Standard normal quantile `Phi^-1(p) = -sqrt 2 erfc^-1(2p)`, `0 < p < 1`.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    -SQRT_2 * erfc_inv(2.0 * p)
}

/// Degrees of freedom above which the t quantile uses the Cornish-Fisher
/// expansion (error O(nu^-5), below 1e-12 for the quantiles of a confidence
/// level) instead of Newton steps on the incomplete beta function.
const T_EXPANSION_DOF: f64 = 200.0;

/// Degrees of freedom above which the t p-value uses the Cornish-Fisher
/// expansion. Its error grows like `z^11 / nu^5`: at 200 degrees and `t = 30`
/// the p-value is off by orders of magnitude, at 10^6 degrees and `t = 38`
/// by below 1e-12 relative. Below, the incomplete beta's continued fraction
/// needs at most O(sqrt nu) steps (a few thousand).
const T_TAIL_EXPANSION_DOF: f64 = 1e6;

/// Most steps of the continued fraction of [`beta_reg`].
const BETA_CF_MAX_STEPS: u32 = 100_000;

/// Regularized incomplete beta `I_x(a, b)`, given `x` and `y = 1 - x`
/// separately so that neither is rounded through the other.
///
/// The prefactor `x^a y^b / B(a, b)` is taken in log space with the
/// accurate [`ln_beta`], and the continued fraction (Lentz's method,
/// Numerical Recipes 6.4) is summed on the side where it converges:
/// directly for `x < (a + 1) / (a + b + 2)`, else as `1 - I_y(b, a)`, which
/// is then at least about one half, so the subtraction loses nothing.
/// `None` if the fraction does not converge in [`BETA_CF_MAX_STEPS`].
fn beta_reg(a: f64, b: f64, x: f64, y: f64) -> Option<f64> {
    if x <= 0.0 {
        return Some(0.0);
    }
    if y <= 0.0 {
        return Some(1.0);
    }
    let ln_x = if x > 0.5 {
        math::ln_1p(-y)
    } else {
        math::ln(x)
    };
    let ln_y = if y > 0.5 {
        math::ln_1p(-x)
    } else {
        math::ln(y)
    };
    let ln_front = a * ln_x + b * ln_y - ln_beta(a, b);
    if x < (a + 1.0) / (a + b + 2.0) {
        let cf = beta_continued_fraction(a, b, x)?;
        Some((math::exp(ln_front) * cf / a).clamp(0.0, 1.0))
    } else {
        let cf = beta_continued_fraction(b, a, y)?;
        Some((1.0 - math::exp(ln_front) * cf / b).clamp(0.0, 1.0))
    }
}

/// The continued fraction of `I_x(a, b)` (Numerical Recipes `betacf`).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> Option<f64> {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=BETA_CF_MAX_STEPS {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() <= 1e-15 {
            return Some(h);
        }
    }
    None
}

/// Cornish-Fisher expansion of the t quantile in terms of the normal one,
/// Abramowitz & Stegun 26.7.5: `t = z + g1/nu + g2/nu^2 + g3/nu^3 + g4/nu^4`.
fn t_from_z(z: f64, nu: f64) -> f64 {
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu
}

/// Derivative of [`t_from_z`] with respect to `z`.
fn t_from_z_derivative(z: f64, nu: f64) -> f64 {
    let z2 = z * z;
    let d1 = (3.0 * z2 + 1.0) / 4.0;
    let d2 = ((25.0 * z2 + 48.0) * z2 + 3.0) / 96.0;
    let d3 = (((21.0 * z2 + 95.0) * z2 + 51.0) * z2 - 15.0) / 384.0;
    let d4 = ((((711.0 * z2 + 5432.0) * z2 + 7410.0) * z2 - 5760.0) * z2 - 945.0) / 92160.0;
    1.0 + (d1 + (d2 + (d3 + d4 / nu) / nu) / nu) / nu
}

/// Two-sided Student's t p-value `P(|T_nu| > |t|)`.
///
/// For `nu <= 10^6`: `I_{nu/(nu+t^2)}(nu/2, 1/2)` (regularized incomplete
/// beta, Abramowitz & Stegun 26.7.1 / 26.5.27) by [`beta_reg`], with `1 - x =
/// t^2 / (nu + t^2)` computed as such. Above: the normal tail at the `z`
/// solving the Cornish-Fisher expansion `t_from_z(z) = |t|` by Newton.
pub(crate) fn t_two_sided(t: f64, nu: f64) -> Result<f64, StatsError> {
    let t = t.abs();
    if t == 0.0 {
        return Ok(1.0);
    }
    if nu > T_TAIL_EXPANSION_DOF {
        let z = z_from_t(t, nu);
        return Ok(normal_two_sided(z));
    }
    // x = nu / (nu + t^2) and y = 1 - x, each without cancellation; for huge
    // t, t^2 overflows to infinity and the tail is 0.
    let t2 = t * t;
    let (x, y) = if t2 < nu {
        (1.0 / (1.0 + t2 / nu), (t2 / nu) / (1.0 + t2 / nu))
    } else {
        ((nu / t2) / (1.0 + nu / t2), 1.0 / (1.0 + nu / t2))
    };
    beta_reg(nu / 2.0, 0.5, x, y).ok_or(StatsError::NotFinite {
        what: "t-test p-value",
    })
}

/// Inverts the Cornish-Fisher expansion: the `z` with `t_from_z(z, nu) = t`.
fn z_from_t(t: f64, nu: f64) -> f64 {
    // t_from_z is increasing for nu > 200 and |z| below ~60; beyond, the
    // normal tail underflows anyway.
    let mut z = t * (1.0 - 1.0 / (4.0 * nu)) / (1.0 + t * t / (2.0 * nu)).sqrt();
    for _ in 0..8 {
        let step = (t_from_z(z, nu) - t) / t_from_z_derivative(z, nu);
        z -= step;
        if step.abs() <= 1e-15 * z.abs().max(1.0) {
            break;
        }
    }
    z
}

/// Upper quantile of Student's t: the `t` with `P(T_nu > t) = q`, `0 < q < 0.5`.
///
/// For `nu > 200` the Cornish-Fisher expansion (A&S 26.7.5); below, Newton
/// steps on the incomplete-beta tail from a bracketed start, with bisection
/// whenever a step leaves the bracket.
pub(crate) fn t_upper_quantile(q: f64, nu: f64) -> Result<f64, StatsError> {
    let z = -normal_quantile(q);
    if nu > T_EXPANSION_DOF {
        return Ok(t_from_z(z, nu));
    }
    // Upper tail of t at x > 0.
    let tail = |x: f64| t_two_sided(x, nu).map(|p| p / 2.0);
    let log_norm =
        ln_gamma((nu + 1.0) / 2.0) - ln_gamma(nu / 2.0) - 0.5 * math::ln(nu * std::f64::consts::PI);
    let density = |x: f64| math::exp(log_norm - (nu + 1.0) / 2.0 * math::ln_1p(x * x / nu));
    // Bracket: the t quantile is above the normal one.
    let mut lo = z.max(0.0);
    let mut hi = lo.max(1.0);
    let mut guard = 0;
    while tail(hi)? > q {
        lo = hi;
        hi *= 2.0;
        guard += 1;
        if guard > 2000 || !hi.is_finite() {
            return Err(StatsError::Overflow { what: "t quantile" });
        }
    }
    let mut x = super::clamp(t_from_z(z, nu.max(1.0)), lo, hi);
    for _ in 0..100 {
        let f = tail(x)? - q;
        if f > 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        // d tail / dx = -density.
        let mut next = x + f / density(x);
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        if (next - x).abs() <= 1e-14 * x.abs().max(1.0) || hi - lo <= 1e-14 * hi {
            return Ok(next);
        }
        x = next;
    }
    Ok(x)
}

/// Chi-square upper tail `Q(k/2, x/2)` (regularized upper incomplete gamma).
pub(crate) fn chi_square_sf(x: f64, k: f64) -> Result<f64, StatsError> {
    if x <= 0.0 {
        return Ok(1.0);
    }
    gamma_ur(k / 2.0, x / 2.0)
        .map(|p| p.clamp(0.0, 1.0))
        .ok_or(StatsError::NotFinite {
            what: "chi-square p-value",
        })
}

/// `ln(2 pi) / 2`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Stirling remainder `ln Gamma(x) - ((x - 1/2) ln x - x + ln(2 pi)/2)` for
/// `x >= 10`: `sum_k B_2k / (2k (2k - 1) x^(2k - 1))`, seven terms (error
/// below 1e-17 there).
fn stirling_remainder(x: f64) -> f64 {
    let r = 1.0 / (x * x);
    (1.0 / 12.0
        + r * (-1.0 / 360.0
            + r * (1.0 / 1260.0
                + r * (-1.0 / 1680.0 + r * (1.0 / 1188.0 + r * (-691.0 / 360_360.0 + r / 156.0))))))
        / x
}

/// `ln B(a, b)`, accurate for huge arguments: `ln Gamma(a) + ln Gamma(b) -
/// ln Gamma(a + b)` loses every digit there (each term is ~1e10 for counts
/// ~1e9), so the large parts are combined analytically first, as R's
/// `lbeta` (Morris 1988; R `src/nmath/lbeta.c`).
pub(crate) fn ln_beta(a: f64, b: f64) -> f64 {
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    let pq = p + q;
    if p >= 10.0 {
        let corr = stirling_remainder(p) + stirling_remainder(q) - stirling_remainder(pq);
        -0.5 * math::ln(q)
            + LN_SQRT_2PI
            + corr
            + (p - 0.5) * math::ln(p / pq)
            + q * math::ln_1p(-p / pq)
    } else if q >= 10.0 {
        let corr = stirling_remainder(q) - stirling_remainder(pq);
        ln_gamma(p) + corr + p - p * math::ln(pq) + (q - 0.5) * math::ln_1p(-p / pq)
    } else {
        ln_gamma(p) + ln_gamma(q) - ln_gamma(pq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn ln_beta_is_accurate() {
        // Reference: scipy.special.betaln; mpmath (40 digits) for the last,
        // where scipy's betaln is off by 4e-9.
        let cases = [
            (2.0, 3.0, -2.4849066497880004),
            (15.5, 40.0, -33.1528314080813),
            (3.0, 1e9, -61.47665033327928),
            (1.3e5, 1.8e9, -1369658.8234144202),
        ];
        for (a, b, want) in cases {
            let got = ln_beta(a, b);
            assert!(
                (got - want).abs() <= 1e-13 * want.abs(),
                "ln_beta({a}, {b}) = {got}, want {want}"
            );
        }
    }

    // Reference values: scipy.stats 1.17 (t.sf, t.ppf, norm.ppf, chi2.sf).
    #[test]
    fn matches_scipy_spot_values() {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-3);
        assert!(close(normal_quantile(0.975), 1.959963984540054));
        assert!(close(
            t_upper_quantile(0.025, 1.0).expect("t"),
            12.706204736174705
        ));
        assert!(close(
            t_upper_quantile(0.025, 10.0).expect("t"),
            2.2281388519862753
        ));
        assert!(close(
            t_upper_quantile(0.025, 250.0).expect("t"),
            1.9694983934211538
        ));
        assert!(close(
            t_upper_quantile(0.005, 3.5).expect("t"),
            5.085702223091258
        ));
        assert!(close(
            t_two_sided(2.0, 10.0).expect("p"),
            0.07338803477074037
        ));
        assert!(close(
            t_two_sided(2.0, 5000.0).expect("p"),
            0.04555425998829395
        ));
        assert!(close(
            chi_square_sf(3.0, 2.0).expect("p"),
            0.22313016014842982
        ));
    }

    #[test]
    fn extremes_stay_finite() {
        for nu in [1.0, 3.7, 200.0, 200.5, 1e3, 1e9] {
            for t in [0.0, 1e-12, 3.0, 40.0, 1e3, 1e6, 1e12] {
                let p = t_two_sided(t, nu).expect("p");
                assert!((0.0..=1.0).contains(&p), "t {t} nu {nu}: {p}");
            }
            for q in [0.25, 0.025, 1e-10, 1e-300] {
                let x = t_upper_quantile(q, nu).expect("quantile");
                assert!(x.is_finite() && x > 0.0, "q {q} nu {nu}: {x}");
            }
        }
    }
}
