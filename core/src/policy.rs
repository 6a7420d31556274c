//! The one `Policy` value holding every threshold and weight of every block,
//! with defaults equal to the original system's. Changing it is a command
//! (`SetPolicy`), so it is audited and replayable.

use crate::{ab, gates, ingest, models, outcomes, packets, promotion, readiness};
use serde::{Deserialize, Serialize};

/// Every threshold and weight.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Policy {
    /// Block 21.
    pub ab: ab::Policy,
    /// Block 22.
    pub promotion: promotion::Policy,
    /// Block 23.
    pub packets: packets::Policy,
    /// Block 24.
    pub ingest: ingest::Policy,
    /// Block 25 (trend windows, regression tolerances, drift bands).
    pub outcomes: outcomes::Policy,
    /// Block 26 (model-update tolerance).
    pub models: models::Policy,
    /// Block 27 (readiness weights 0.4/0.3/0.2/0.1, ready at >= 0.80).
    pub readiness: readiness::Policy,
    /// Block 28.
    pub gates: gates::Policy,
}

impl Policy {
    /// Checks every block's policy; the first problem is returned.
    pub fn validate(&self) -> Result<(), Error> {
        self.ab
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.promotion
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.packets
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.ingest
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.outcomes
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.models
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.readiness
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        self.gates
            .validate()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        Ok(())
    }
}

tagged_enum! {
/// Commands about the policy and the seed.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PolicyCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Replaces the whole policy.
    SetPolicy {
        /// The new policy (validated).
        policy: Box<Policy>,
    },
    /// Sets the seed of the generator kept in state (bandits, simulations).
    SetSeed {
        /// The seed.
        seed: u64,
    },
}
}

tagged_enum! {
/// Events about the policy and the seed.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PolicyEvent"))]
pub enum Event {
    /// The policy was replaced.
    PolicyChanged {
        /// The new policy.
        policy: Box<Policy>,
    },
    /// The seed was set.
    SeedSet {
        /// The seed.
        seed: u64,
    },
}
}

/// Bad policy.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// A block's policy is unusable.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        "invalid_policy"
    }
}

/// Holds the rule: a new policy must validate.
pub fn decide(cmd: &Command) -> Result<Vec<Event>, Error> {
    match cmd {
        Command::SetPolicy { policy } => {
            policy.validate()?;
            Ok(vec![Event::PolicyChanged {
                policy: policy.clone(),
            }])
        }
        Command::SetSeed { seed } => Ok(vec![Event::SeedSet { seed: *seed }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_a_bad_block_policy_is_refused() {
        assert_eq!(Policy::default().validate(), Ok(()));
        let mut p = Policy::default();
        p.gates.min_accuracy = f64::NAN;
        assert_eq!(
            decide(&Command::SetPolicy {
                policy: Box::new(p)
            })
            .map_err(|e| e.code()),
            Err("invalid_policy")
        );
    }

    #[test]
    fn a_partial_policy_json_fills_in_the_defaults() {
        let p: Result<Policy, _> = serde_json::from_str(
            r#"{"gates":{"min_accuracy":0.9,"max_accuracy_drop":0.01,"srm_alpha":0.001}}"#,
        );
        assert_eq!(
            p.ok().map(|p| (p.gates.min_accuracy, p.promotion)),
            Some((0.9, promotion::Policy::default()))
        );
    }
}
