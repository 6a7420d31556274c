//! The models block's thresholds: the accuracy a new version may lose against the champion,
//! the evidence a challenger needs to become champion, and the list of environments; a
//! partial policy takes omitted fields from these defaults.

use super::{require_name, Error};
use serde::{Deserialize, Serialize};

/// The block's thresholds (missing fields take their default when read from JSON).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelsPolicy"))]
#[serde(default)]
pub struct Policy {
    /// Largest accuracy loss against the champion an update or promotion may have
    /// (absolute, in accuracy points, in [0, 1]; original system: 0.02). The gates block's
    /// `safety_max_accuracy_drop` is another rule: whether a clone ships.
    pub max_accuracy_drop: f64,
    /// What a challenger needs to become champion. `None` is the rule before evidence
    /// existed (accuracy only): a policy stored without this field (every snapshot written
    /// before it) keeps that rule, so its log replays to the decisions it made then, and
    /// its state hash is unchanged. A new policy has the evidence rule.
    #[serde(
        default = "EvidencePolicy::absent",
        skip_serializing_if = "Option::is_none"
    )]
    pub evidence: Option<EvidencePolicy>,
    /// The environments a version can be deployed to, in promotion order (original system:
    /// development, staging, production). Omitted from JSON when it is the default, so the
    /// hash of a state stored before environments existed is unchanged.
    #[serde(
        default = "default_environments",
        skip_serializing_if = "is_default_environments"
    )]
    pub environments: Vec<String>,
}

/// The evidence a challenger needs against the champion before it is promoted (defaults
/// from the original system's continuous-learning document).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct EvidencePolicy {
    /// Fewest samples per arm, champion and challenger each (>= 1; default 1,000).
    pub min_samples_per_arm: u64,
    /// The two-sided p-value must be below this (in (0, 1); default 0.05).
    pub max_p_value: f64,
    /// Smallest relative improvement of the challenger over the champion
    /// (`(challenger - champion) / champion`, >= 0; default 0.02, i.e. 2%).
    pub min_relative_improvement: f64,
}

impl Default for EvidencePolicy {
    fn default() -> Self {
        EvidencePolicy {
            min_samples_per_arm: 1_000,
            max_p_value: 0.05,
            min_relative_improvement: 0.02,
        }
    }
}

impl EvidencePolicy {
    /// What a stored policy without the field means: no evidence rule.
    fn absent() -> Option<EvidencePolicy> {
        None
    }

    /// Checks each threshold is within the range its doc comment states.
    pub fn validate(&self) -> Result<(), Error> {
        if self.min_samples_per_arm == 0 {
            return Err(Error::PolicyOutOfRange {
                field: "evidence.min_samples_per_arm",
                value: 0.0,
                allowed: "at least 1",
            });
        }
        let p = self.max_p_value;
        if !p.is_finite() || p <= 0.0 || p >= 1.0 {
            return Err(Error::PolicyOutOfRange {
                field: "evidence.max_p_value",
                value: p,
                allowed: "in (0, 1)",
            });
        }
        let lift = self.min_relative_improvement;
        if !lift.is_finite() || lift < 0.0 {
            return Err(Error::PolicyOutOfRange {
                field: "evidence.min_relative_improvement",
                value: lift,
                allowed: "a finite number >= 0",
            });
        }
        Ok(())
    }
}

/// The original system's environments, in promotion order.
pub fn default_environments() -> Vec<String> {
    ["development", "staging", "production"]
        .map(String::from)
        .to_vec()
}

fn is_default_environments(list: &[String]) -> bool {
    list == default_environments().as_slice()
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_accuracy_drop: 0.02,
            evidence: Some(EvidencePolicy::default()),
            environments: default_environments(),
        }
    }
}

impl Policy {
    /// Checks `max_accuracy_drop` is a finite number in [0, 1], the evidence thresholds,
    /// and that environments are unique valid names (at least one).
    pub fn validate(&self) -> Result<(), Error> {
        let value = self.max_accuracy_drop;
        if !value.is_finite() || !(0.0..=1.0).contains(&value) {
            return Err(Error::MaxAccuracyDropOutOfRange { value });
        }
        if let Some(evidence) = &self.evidence {
            evidence.validate()?;
        }
        if self.environments.is_empty() {
            return Err(Error::Empty {
                field: "environments",
            });
        }
        for (i, name) in self.environments.iter().enumerate() {
            require_name("environments", name)?;
            if self.environments[..i].contains(name) {
                return Err(Error::DuplicateEnvironment {
                    environment: name.clone(),
                });
            }
        }
        Ok(())
    }
}
