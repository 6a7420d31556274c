//! Multiple-testing corrections of p-values: Holm and Benjamini-Hochberg.

use serde::{Deserialize, Serialize};

use super::{finite, StatsError};

/// A multiple-testing correction.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Adjustment {
    /// Holm-Bonferroni step-down; controls the family-wise error rate.
    #[serde(rename = "holm")]
    Holm,
    /// Benjamini-Hochberg step-up; controls the false discovery rate.
    #[serde(rename = "bh")]
    BenjaminiHochberg,
}

/// Adjusted p-values, in the input order.
///
/// With `m` p-values sorted ascending `p_(1) <= ... <= p_(m)`:
/// - Holm: `adj_(i) = min(1, max_{j <= i} (m - j + 1) p_(j))`;
/// - Benjamini-Hochberg: `adj_(i) = min(1, min_{j >= i} m p_(j) / j)`.
///
/// Reference: statsmodels `multipletests(p, method="holm")` and
/// `multipletests(p, method="fdr_bh")` (`pvals_corrected`).
///
/// Errors: an empty list, a p-value that is NaN or outside `[0, 1]`.
pub fn adjust_p_values(p: &[f64], method: Adjustment) -> Result<Vec<f64>, StatsError> {
    if p.is_empty() {
        return Err(StatsError::Empty { what: "p-values" });
    }
    for &x in p {
        finite("p-value", x)?;
        if !(0.0..=1.0).contains(&x) {
            return Err(StatsError::OutOfRange {
                what: "p-value",
                value: x,
                allowed: "between 0 and 1",
            });
        }
    }
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    super::merge_sort::stable_sort_by(&mut order, |&i, &j| p[i].total_cmp(&p[j]).is_lt());
    let mut adjusted = vec![0.0; m];
    match method {
        Adjustment::Holm => {
            let mut running = 0.0_f64;
            for (rank, &i) in order.iter().enumerate() {
                running = running.max((m - rank) as f64 * p[i]);
                if let Some(slot) = adjusted.get_mut(i) {
                    *slot = running.min(1.0);
                }
            }
        }
        Adjustment::BenjaminiHochberg => {
            let mut running = f64::INFINITY;
            for (rank, &i) in order.iter().enumerate().rev() {
                running = running.min(p[i] * m as f64 / (rank + 1) as f64);
                if let Some(slot) = adjusted.get_mut(i) {
                    *slot = running.min(1.0);
                }
            }
        }
    }
    Ok(adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_inputs_are_typed_errors() {
        assert_eq!(
            adjust_p_values(&[], Adjustment::Holm),
            Err(StatsError::Empty { what: "p-values" })
        );
        assert!(matches!(
            adjust_p_values(&[0.1, f64::NAN], Adjustment::Holm),
            Err(StatsError::NotFinite { .. })
        ));
        assert!(matches!(
            adjust_p_values(&[0.1, 1.5], Adjustment::BenjaminiHochberg),
            Err(StatsError::OutOfRange { .. })
        ));
    }

    #[test]
    fn serde_names() {
        assert_eq!(
            serde_json::to_string(&Adjustment::Holm).ok().as_deref(),
            Some("\"holm\"")
        );
        assert_eq!(
            serde_json::to_string(&Adjustment::BenjaminiHochberg)
                .ok()
                .as_deref(),
            Some("\"bh\"")
        );
    }
}
