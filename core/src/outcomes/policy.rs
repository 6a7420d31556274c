//! The outcomes block's thresholds (windows, tolerances, drift bands) and their validation:
//! a partial policy takes omitted fields from these defaults.

use super::{DriftBand, Error, MAX_WINDOW};
use serde::{Deserialize, Serialize};

/// The block's thresholds (missing fields take their default when read from JSON).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "OutcomesPolicy"))]
#[serde(default)]
pub struct Policy {
    /// Outcomes in the moving average (and in the full window a below-baseline alert needs),
    /// in 1..=[`MAX_WINDOW`].
    pub moving_average_window: usize,
    /// Outcomes in each window compared by regression detection, in 1..=[`MAX_WINDOW`].
    pub regression_window: usize,
    /// How many recent outcomes the best window is searched in, in
    /// `regression_window..=`[`MAX_WINDOW`].
    pub regression_lookback: usize,
    /// Relative drop from the best recent window beyond which a regression is raised, in [0, 1].
    pub regression_tolerance: f64,
    /// Relative shortfall against the baseline beyond which a below-baseline alert is raised,
    /// in [0, 1].
    pub baseline_tolerance: f64,
    /// Number of PSI bins (cut at the reference sample's quantiles), in 2..=1000.
    pub psi_bins: usize,
    /// PSI at or above which drift is moderate (reported, no alert): finite, above 0.
    pub psi_moderate: f64,
    /// PSI at or above which drift is significant (alert): finite, above `psi_moderate`.
    pub psi_significant: f64,
    /// KS p-value below which the samples are called different (alert), in (0, 1).
    pub ks_alpha: f64,
}

impl Default for Policy {
    /// Windows of 7 outcomes (a week of daily results), a best window searched among the last
    /// 28 outcomes, a regression at a 10% drop and a baseline alert at a 5% shortfall; drift
    /// on 10 PSI bins with the conventional bands 0.1 / 0.25 and a KS level of 0.05.
    fn default() -> Self {
        Policy {
            moving_average_window: 7,
            regression_window: 7,
            regression_lookback: 28,
            regression_tolerance: 0.10,
            baseline_tolerance: 0.05,
            psi_bins: 10,
            psi_moderate: 0.1,
            psi_significant: 0.25,
            ks_alpha: 0.05,
        }
    }
}

impl Policy {
    /// Checks windows lie in [1, MAX_WINDOW], the lookback holds at least one window, the
    /// tolerances are finite numbers in [0, 1], PSI bins lie in [2, 1000], the PSI bands are
    /// finite with 0 < moderate < significant, and the KS level lies in (0, 1).
    pub fn validate(&self) -> Result<(), Error> {
        for (field, value) in [
            ("moving_average_window", self.moving_average_window),
            ("regression_window", self.regression_window),
            ("regression_lookback", self.regression_lookback),
        ] {
            if !(1..=MAX_WINDOW).contains(&value) {
                return Err(Error::WindowOutOfRange { field, value });
            }
        }
        if self.regression_lookback < self.regression_window {
            return Err(Error::LookbackShorterThanWindow {
                lookback: self.regression_lookback,
                window: self.regression_window,
            });
        }
        for (field, value) in [
            ("regression_tolerance", self.regression_tolerance),
            ("baseline_tolerance", self.baseline_tolerance),
        ] {
            if !value.is_finite() || !(0.0..=1.0).contains(&value) {
                return Err(Error::ToleranceOutOfRange { field, value });
            }
        }
        if !(2..=1000).contains(&self.psi_bins) {
            return Err(Error::PsiBinsOutOfRange {
                value: self.psi_bins,
            });
        }
        let (moderate, significant) = (self.psi_moderate, self.psi_significant);
        if !(moderate.is_finite()
            && significant.is_finite()
            && 0.0 < moderate
            && moderate < significant)
        {
            return Err(Error::PsiBandsInvalid {
                moderate,
                significant,
            });
        }
        if !(self.ks_alpha.is_finite() && 0.0 < self.ks_alpha && self.ks_alpha < 1.0) {
            return Err(Error::KsAlphaOutOfRange {
                value: self.ks_alpha,
            });
        }
        Ok(())
    }

    /// The band of a PSI under this policy's thresholds (with the default policy, the same
    /// as [`stats::psi_band`]).
    pub fn psi_band(&self, psi: f64) -> DriftBand {
        if psi >= self.psi_significant {
            DriftBand::Significant
        } else if psi >= self.psi_moderate {
            DriftBand::Moderate
        } else {
            DriftBand::Stable
        }
    }
}
