//! `ln Gamma(x)` and the regularized upper incomplete gamma function
//! `Q(a, x)`, for positive arguments: statrs 0.19's algorithms and
//! coefficients (MIT; `statrs::function::gamma::{ln_gamma, checked_gamma_ur,
//! checked_gamma_lr}`), the same operations in the same order, so the same
//! f64s.
//!
//! Why not statrs itself: its `ln_gamma` also serves negative arguments
//! through the reflection formula, whose `sin` (inlined, with its argument
//! reduction) made it the largest function of the lite JS package's wasm;
//! the statistics only take `ln Gamma` of positive numbers (shapes, degrees
//! of freedom, counts). For `0 < x < 0.5` this `ln_gamma` uses the
//! recurrence `ln Gamma(x) = ln Gamma(x + 1) - ln x` instead (no caller
//! passes such an `x` today; both agree to about 1e-15). statrs stays the
//! engine's for its distributions (`ab::report`).

// The constants are statrs' literals, digit for digit, so that they can be
// compared with its source; the extra digits round to the same f64s.
#![allow(clippy::excessive_precision)]

use super::math;

/// Auxiliary variable of the Lanczos approximation (Pugh 2004).
const GAMMA_R: f64 = 10.900511;

/// Coefficients of the Lanczos approximation (Pugh 2004, p. 116).
const GAMMA_DK: [f64; 11] = [
    2.48574089138753565546e-5,
    1.05142378581721974210,
    -3.45687097222016235469,
    4.51227709466894823700,
    -2.98285225323576655721,
    1.05639711577126713077,
    -1.95428773191645869583e-1,
    1.70970543404441224307e-2,
    -5.71926117404305781283e-4,
    4.63399473359905636708e-6,
    -2.71994908488607703910e-9,
];

/// `ln(2 sqrt(e / pi))`.
const LN_2_SQRT_E_OVER_PI: f64 = 0.6207822376352452223455184457816472122518527279025978;

/// Below this, `exp` of the prefactor underflows (statrs' cut-off).
const LN_MIN: f64 = -709.78271289338399;

/// Relative tolerance of the series and continued fractions.
const EPS: f64 = 0.000000000000001;
/// Rescaling threshold of the continued fractions, and its inverse.
const BIG: f64 = 4503599627370496.0;
const BIG_INV: f64 = 2.22044604925031308085e-16;

/// `ln Gamma(x)` for `x > 0`, accurate to about 16 digits; `+inf` at 0 (as
/// statrs) and NaN below (statrs' reflection is not kept, see above).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    if x < 0.5 {
        return if x > 0.0 {
            ln_gamma(x + 1.0) - math::ln(x)
        } else if x == 0.0 {
            f64::INFINITY
        } else {
            f64::NAN
        };
    }
    let s = GAMMA_DK
        .iter()
        .enumerate()
        .skip(1)
        .fold(GAMMA_DK[0], |s, t| s + t.1 / (x + t.0 as f64 - 1.0));
    math::ln(s)
        + LN_2_SQRT_E_OVER_PI
        + (x - 0.5) * math::ln((x - 0.5 + GAMMA_R) / std::f64::consts::E)
}

/// Whether `x` is within 4 ulps of zero (statrs' `ulps_eq!(x, 0.0,
/// epsilon = 0.0)` for `x > 0`).
fn near_zero(x: f64) -> bool {
    x.to_bits() <= 4
}

/// `Q(a, x)`, the regularized upper incomplete gamma function, for finite
/// `a > 0` and `x > 0`; `None` outside that domain (NaN gives NaN).
pub(crate) fn gamma_ur(a: f64, x: f64) -> Option<f64> {
    if a.is_nan() || x.is_nan() {
        return Some(f64::NAN);
    }
    if !(a > 0.0 && a < f64::INFINITY && x > 0.0 && x < f64::INFINITY) {
        return None;
    }
    if x < 1.0 || x <= a {
        return Some(1.0 - gamma_lr(a, x));
    }
    let mut ax = a * math::ln(x) - x - ln_gamma(a);
    if ax < LN_MIN {
        return Some(if a < x { 0.0 } else { 1.0 });
    }
    ax = math::exp(ax);
    let mut y = 1.0 - a;
    let mut z = x + y + 1.0;
    let mut c = 0.0;
    let mut pkm2 = 1.0;
    let mut qkm2 = x;
    let mut pkm1 = x + 1.0;
    let mut qkm1 = z * x;
    let mut ans = pkm1 / qkm1;
    loop {
        y += 1.0;
        z += 2.0;
        c += 1.0;
        let yc = y * c;
        let pk = pkm1 * z - pkm2 * yc;
        let qk = qkm1 * z - qkm2 * yc;
        pkm2 = pkm1;
        pkm1 = pk;
        qkm2 = qkm1;
        qkm1 = qk;
        if pk.abs() > BIG {
            pkm2 *= BIG_INV;
            pkm1 *= BIG_INV;
            qkm2 *= BIG_INV;
            qkm1 *= BIG_INV;
        }
        if qk != 0.0 {
            let r = pk / qk;
            let t = ((ans - r) / r).abs();
            ans = r;
            if t <= EPS {
                break;
            }
        }
    }
    Some(ans * ax)
}

/// `P(a, x)`, the regularized lower incomplete gamma function, for finite
/// `a > 0` and `x > 0` (checked by [`gamma_ur`], its only caller).
fn gamma_lr(a: f64, x: f64) -> f64 {
    if near_zero(a) {
        return 1.0;
    }
    if near_zero(x) {
        return 0.0;
    }
    let ax = a * math::ln(x) - x - ln_gamma(a);
    if ax < LN_MIN {
        return if a < x { 1.0 } else { 0.0 };
    }
    if x <= 1.0 || x <= a {
        let mut r2 = a;
        let mut c2 = 1.0;
        let mut ans2 = 1.0;
        loop {
            r2 += 1.0;
            c2 *= x / r2;
            ans2 += c2;
            if c2 / ans2 <= EPS {
                break;
            }
        }
        return math::exp(ax) * ans2 / a;
    }
    let mut y = 1.0 - a;
    let mut z = x + y + 1.0;
    let mut c = 0;
    let mut p3 = 1.0;
    let mut q3 = x;
    let mut p2 = x + 1.0;
    let mut q2 = z * x;
    let mut ans = p2 / q2;
    loop {
        y += 1.0;
        z += 2.0;
        c += 1;
        let yc = y * f64::from(c);
        let p = p2 * z - p3 * yc;
        let q = q2 * z - q3 * yc;
        p3 = p2;
        p2 = p;
        q3 = q2;
        q2 = q;
        if p.abs() > BIG {
            p3 *= BIG_INV;
            p2 *= BIG_INV;
            q3 *= BIG_INV;
            q2 *= BIG_INV;
        }
        if q != 0.0 {
            let nextans = p / q;
            let error = ((ans - nextans) / nextans).abs();
            ans = nextans;
            if error <= EPS {
                break;
            }
        }
    }
    1.0 - math::exp(ax) * ans
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same f64s as statrs on the statistics' domain: arguments from
    /// 0.5 up for `ln_gamma`, and for `Q`'s `a` (half the chi-square
    /// degrees of freedom, at least 1); any positive `x`.
    #[test]
    fn same_bits_as_statrs() {
        let xs = [
            0.5, 0.75, 1.0, 1.5, 2.0, 3.3, 9.99, 10.0, 17.5, 123.4, 1e4, 3.7e6, 1e9, 2.5e15,
        ];
        for &x in &xs {
            assert_eq!(
                ln_gamma(x).to_bits(),
                statrs::function::gamma::ln_gamma(x).to_bits(),
                "ln_gamma({x})"
            );
        }
        let small = [1e-300, 1e-10, 0.01, 0.3, 0.9, 1.0];
        for &a in &xs {
            for &x in xs.iter().chain(&small) {
                let ours = gamma_ur(a, x).map(f64::to_bits);
                let theirs = statrs::function::gamma::checked_gamma_ur(a, x)
                    .ok()
                    .map(f64::to_bits);
                assert_eq!(ours, theirs, "Q({a}, {x})");
            }
        }
        assert_eq!(ln_gamma(0.0), f64::INFINITY);
        assert!(ln_gamma(-1.5).is_nan());
        for (a, x) in [(0.0, 1.0), (1.0, 0.0), (-1.0, 1.0), (f64::INFINITY, 1.0)] {
            assert_eq!(gamma_ur(a, x), None, "Q({a}, {x})");
        }
        assert!(gamma_ur(f64::NAN, 1.0).is_some_and(f64::is_nan));
    }

    /// Below 0.5, the recurrence agrees with statrs' reflection formula,
    /// and so does `Q` with such an `a`.
    #[test]
    fn small_arguments_agree_with_the_reflection_formula() {
        let close = |ours: f64, theirs: f64| (ours - theirs).abs() <= 1e-14 * theirs.abs().max(1.0);
        for a in [1e-8, 0.01, 0.1, 0.25, 0.3, 0.4999] {
            let (ours, theirs) = (ln_gamma(a), statrs::function::gamma::ln_gamma(a));
            assert!(close(ours, theirs), "ln_gamma({a}): {ours} vs {theirs}");
            for x in [0.01, 0.5, 2.0, 30.0] {
                let ours = gamma_ur(a, x).unwrap_or(f64::NAN);
                let theirs = statrs::function::gamma::gamma_ur(a, x);
                assert!(close(ours, theirs), "Q({a}, {x}): {ours} vs {theirs}");
            }
        }
    }
}
