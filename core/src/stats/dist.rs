//! Distribution functions used by the tests: normal, Student's t and
//! chi-square tails and quantiles, accurate to well below 1e-9.

use statrs::function::beta::checked_beta_reg;
use statrs::function::erf::{erfc, erfc_inv};
use statrs::function::gamma::{checked_gamma_ur, ln_gamma};

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

/// Degrees of freedom above which Student's t uses the Cornish-Fisher
/// expansion (error O(nu^-5), below 1e-12 here) instead of the incomplete
/// beta function, whose continued fraction needs O(sqrt nu) steps.
const T_EXPANSION_DOF: f64 = 200.0;

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
/// For `nu <= 200`: `I_{nu/(nu+t^2)}(nu/2, 1/2)` (regularized incomplete
/// beta, Abramowitz & Stegun 26.7.1 / 26.5.27). Above: the normal tail at
/// the `z` solving the Cornish-Fisher expansion `t_from_z(z) = |t|` by Newton.
pub(crate) fn t_two_sided(t: f64, nu: f64) -> Result<f64, StatsError> {
    let t = t.abs();
    if t == 0.0 {
        return Ok(1.0);
    }
    if nu > T_EXPANSION_DOF {
        let z = z_from_t(t, nu);
        return Ok(normal_two_sided(z));
    }
    let x = nu / (nu + t * t);
    checked_beta_reg(nu / 2.0, 0.5, x)
        .map(|p| p.clamp(0.0, 1.0))
        .map_err(|_| StatsError::NotFinite {
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
        ln_gamma((nu + 1.0) / 2.0) - ln_gamma(nu / 2.0) - 0.5 * (nu * std::f64::consts::PI).ln();
    let density = |x: f64| (log_norm - (nu + 1.0) / 2.0 * (x * x / nu).ln_1p()).exp();
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
    let mut x = t_from_z(z, nu.max(1.0)).clamp(lo, hi);
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
    checked_gamma_ur(k / 2.0, x / 2.0)
        .map(|p| p.clamp(0.0, 1.0))
        .map_err(|_| StatsError::NotFinite {
            what: "chi-square p-value",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
