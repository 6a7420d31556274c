//! The models block's threshold (the accuracy a new version may lose against the champion);
//! a partial policy takes omitted fields from these defaults.

use super::*;

/// The block's thresholds (missing fields take their default when read from JSON).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelsPolicy"))]
#[serde(default)]
pub struct Policy {
    /// Largest accuracy loss against the champion an update or promotion may have
    /// (absolute, in accuracy points, in [0, 1]; original system: 0.02). The gates block's
    /// `safety_max_accuracy_drop` is another rule: whether a clone ships.
    pub max_accuracy_drop: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_accuracy_drop: 0.02,
        }
    }
}

impl Policy {
    /// Checks `max_accuracy_drop` is a finite number in [0, 1].
    pub fn validate(&self) -> Result<(), Error> {
        let value = self.max_accuracy_drop;
        if !value.is_finite() || !(0.0..=1.0).contains(&value) {
            return Err(Error::MaxAccuracyDropOutOfRange { value });
        }
        Ok(())
    }
}
