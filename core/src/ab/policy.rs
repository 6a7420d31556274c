//! Block 21's thresholds: the statistics engine's winner rule and the
//! Thompson bandit's settings, with the checks that make a policy usable.

use super::Error;
use crate::stats::{self, Counts, WinnerRule};
use serde::{Deserialize, Serialize};

/// Thresholds of block 21: the statistics engine's winner rule (test,
/// alpha, minimum sample per variant, SRM threshold, correction) and the
/// bandit's settings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbPolicy"))]
#[serde(default)]
pub struct Policy {
    /// How the winner is decided (rate intervals use its `alpha`).
    pub winner: WinnerRule,
    /// Smallest traffic share the Thompson allocation gives any variant, in [0, 0.5).
    pub bandit_floor: f64,
    /// Monte-Carlo draws of the Thompson allocation, in 1..=[`MAX_BANDIT_DRAWS`] (each
    /// allocation costs draws x variants samples, so the cap keeps it within milliseconds).
    pub bandit_draws: u32,
}

/// Largest `bandit_draws`.
pub const MAX_BANDIT_DRAWS: u32 = 100_000;

impl Default for Policy {
    fn default() -> Self {
        Self {
            winner: WinnerRule::default(),
            bandit_floor: 0.05,
            bandit_draws: 2000,
        }
    }
}

impl Policy {
    /// Checks the rule and the bandit settings are usable.
    pub fn validate(&self) -> Result<(), Error> {
        let alpha = self.winner.alpha;
        if !(alpha.is_finite() && alpha > 0.0 && alpha < 1.0) {
            return Err(Error::InvalidPolicy(format!(
                "alpha ({alpha}) must be in (0, 1)"
            )));
        }
        let c = [
            Counts {
                n: 10,
                conversions: 1,
            },
            Counts {
                n: 10,
                conversions: 2,
            },
        ];
        stats::decide_winner(&c, None, &self.winner)
            .map_err(|e| Error::InvalidPolicy(e.to_string()))?;
        if !(self.bandit_floor.is_finite() && (0.0..0.5).contains(&self.bandit_floor)) {
            return Err(Error::InvalidPolicy(format!(
                "bandit_floor ({}) must be in [0, 0.5)",
                self.bandit_floor
            )));
        }
        if self.bandit_draws == 0 || self.bandit_draws > MAX_BANDIT_DRAWS {
            return Err(Error::InvalidPolicy(format!(
                "bandit_draws ({}) must be in 1..=100000",
                self.bandit_draws
            )));
        }
        Ok(())
    }
}
