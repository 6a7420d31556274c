//! The limits of verification's operational-health warnings (block 30), as the policy's
//! `verify` block. Apart from `verify_health` so the policy reads them without importing
//! the checks (which read the brain's state, which holds the policy: a circle otherwise).

use serde::{Deserialize, Serialize};

/// Largest `experiment_overrun_factor`.
pub const MAX_OVERRUN_FACTOR: f64 = 1000.0;

/// Longest limit in hours: ten years.
pub const MAX_HOURS: u64 = 24 * 3650;

/// The limits of the health warnings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "VerifyPolicy"))]
#[serde(default)]
pub struct Policy {
    /// A pre-registered experiment still running once every variant has this many times its
    /// planned sample (the rule's `min_sample`) is flagged; at least 1, at most 1000.
    pub experiment_overrun_factor: f64,
    /// A model version left as challenger or shadow longer than this many hours after its
    /// proposal is flagged; 1 to 87,600.
    pub pending_evaluation_hours: u64,
    /// An outcome alert left unacknowledged longer than this many hours after it was raised
    /// is flagged; 1 to 87,600.
    pub unacknowledged_alert_hours: u64,
}

impl Default for Policy {
    /// Twice the planned sample, two weeks for a challenger or shadow, three days for an alert.
    fn default() -> Self {
        Policy {
            experiment_overrun_factor: 2.0,
            pending_evaluation_hours: 24 * 14,
            unacknowledged_alert_hours: 72,
        }
    }
}

/// Why a health policy is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The overrun factor is outside [1, 1000].
    #[error("experiment_overrun_factor ({value}) must be within [1, 1000]")]
    OverrunFactor {
        /// The value given.
        value: f64,
    },
    /// A limit in hours is outside 1..=87600.
    #[error("{field} ({value}) must be within 1 to 87600 hours")]
    Hours {
        /// The field.
        field: &'static str,
        /// The value given.
        value: u64,
    },
}

impl Policy {
    /// Whether this is the default policy (then it is left out of the policy's JSON and of
    /// the state hash, so states from before this block hash as they did).
    pub fn is_default(&self) -> bool {
        *self == Policy::default()
    }

    /// Checks every field's range.
    pub fn validate(&self) -> Result<(), Error> {
        let f = self.experiment_overrun_factor;
        if !(f.is_finite() && (1.0..=MAX_OVERRUN_FACTOR).contains(&f)) {
            return Err(Error::OverrunFactor { value: f });
        }
        for (field, value) in [
            ("pending_evaluation_hours", self.pending_evaluation_hours),
            (
                "unacknowledged_alert_hours",
                self.unacknowledged_alert_hours,
            ),
        ] {
            if !(1..=MAX_HOURS).contains(&value) {
                return Err(Error::Hours { field, value });
            }
        }
        Ok(())
    }
}
