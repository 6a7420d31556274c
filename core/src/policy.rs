//! The one `Policy` value holding every threshold and weight of every block,
//! with defaults equal to the original system's. Changing it is a command
//! (`SetPolicy`), so it is audited and replayable.
//!
//! A change is a *partial* policy ([`PolicyPatch`]: any subset of blocks and,
//! per block, of fields) merged over the policy in force by one function,
//! [`merge`], which `SetPolicy`, the JS constructor `new Brain(policy)` (over
//! the defaults) and `whatIf(policy)` (over the brain's policy) share: one
//! rule for a partial policy, wherever it comes from.

use crate::{
    ab, gates, ingest, models, monitoring, outcomes, packets, promotion, readiness, rollouts,
    verify_policy,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// Staged rollouts (default stages). Left out of the JSON while default, so the hashes
    /// of states written before the block existed do not change; `merge` puts it back.
    #[serde(skip_serializing_if = "rollouts::Policy::is_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<rollouts::Policy>", optional))]
    pub rollouts: rollouts::Policy,
    /// Continuous monitoring (schedule, safety responses, thresholds). Left out of the JSON
    /// while it is the default, so policies and state hashes from before it are unchanged.
    #[serde(skip_serializing_if = "monitoring::Policy::is_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<monitoring::Policy>", optional))]
    pub monitoring: monitoring::Policy,
    /// Verification's health-warning limits (experiment overrun, pending evaluations,
    /// unacknowledged alerts). Left out of the JSON while default, so older hashes hold.
    #[serde(skip_serializing_if = "verify_policy::Policy::is_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<verify_policy::Policy>", optional))]
    pub verify: verify_policy::Policy,
}

impl Policy {
    /// Checks every block's policy (every numeric field within the range its
    /// doc comment states); the first problem is returned, prefixed with its
    /// block (`gates: min_accuracy (2) must be within [0, 1]`).
    pub fn validate(&self) -> Result<(), Error> {
        fn block<E: std::fmt::Display>(name: &str, r: Result<(), E>) -> Result<(), Error> {
            r.map_err(|e| Error::Invalid(format!("{name}: {e}")))
        }
        block("ab", self.ab.validate())?;
        block("promotion", self.promotion.validate())?;
        block("packets", self.packets.validate())?;
        block("ingest", self.ingest.validate())?;
        block("outcomes", self.outcomes.validate())?;
        block("models", self.models.validate())?;
        block("readiness", self.readiness.validate())?;
        block("gates", self.gates.validate())?;
        block("rollouts", self.rollouts.validate())?;
        block("monitoring", self.monitoring.validate())?;
        block("verify", self.verify.validate())?;
        Ok(())
    }
}

/// A partial policy: a JSON object holding any subset of the blocks and, per
/// block, any subset of the fields (`{"gates": {"min_accuracy": 0.9}}`).
/// What it leaves out keeps the value in force when it is merged ([`merge`]).
/// It is kept as JSON, not as a `Policy`, because "left out" must stay
/// distinguishable from "set to the default".
#[derive(Serialize, Clone, Debug, PartialEq, Default)]
#[serde(transparent)]
pub struct PolicyPatch(Map<String, Value>);

impl PolicyPatch {
    /// A patch from a JSON value, which must be an object.
    pub fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Object(map) => Ok(PolicyPatch(map)),
            other => Err(Error::NotAnObject {
                found: kind(&other),
            }),
        }
    }

    /// A patch that sets every field: merged over anything, it gives `policy`.
    pub fn full(policy: &Policy) -> Self {
        match full_value(policy) {
            Ok(Value::Object(map)) => PolicyPatch(map),
            _ => PolicyPatch::default(),
        }
    }

    /// The patch as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl<'de> Deserialize<'de> for PolicyPatch {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PolicyPatch::from_value(Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Merges a partial policy over `current`: every field the patch names
/// replaces the current value (objects are merged field by field, lists and
/// values replaced whole); everything else keeps its current value. A field
/// the policy does not have, a value of the wrong type, or a result that
/// does not validate is refused, with the field named; `current` is never
/// changed. `SetPolicy` (over the policy in force), `new Brain(policy)` (over
/// the defaults) and `whatIf(policy)` (over the brain's policy) all use it.
pub fn merge(current: &Policy, patch: &PolicyPatch) -> Result<Policy, Error> {
    let mut base = full_value(current).map_err(|e| Error::Invalid(e.to_string()))?;
    let Value::Object(map) = &mut base else {
        return Err(Error::Invalid("the policy is not a JSON object".into()));
    };
    merge_object(map, &patch.0, "")?;
    let merged: Policy = match serde_json::from_value(base.clone()) {
        Ok(p) => p,
        Err(e) => return Err(Error::Invalid(block_error(&base).unwrap_or(e.to_string()))),
    };
    merged.validate()?;
    Ok(merged)
}

/// The policy as JSON with every field written out, so a patch may name any of them: serde
/// leaves out, at values that keep older policies' hashes, whole blocks (`rollouts`,
/// `monitoring` while default) and fields (promotion's new-evidence rules).
fn full_value(policy: &Policy) -> Result<Value, serde_json::Error> {
    let mut value = serde_json::to_value(policy)?;
    if let Some(slot) = value.get_mut("promotion") {
        *slot = policy.promotion.to_full_value();
    }
    if let Some(slot) = value.get_mut("ingest") {
        *slot = policy.ingest.to_full_value();
    }
    if let Value::Object(map) = &mut value {
        if !map.contains_key("rollouts") {
            map.insert("rollouts".into(), serde_json::to_value(&policy.rollouts)?);
        }
        if !map.contains_key("monitoring") {
            map.insert(
                "monitoring".into(),
                serde_json::to_value(&policy.monitoring)?,
            );
        }
        if !map.contains_key("verify") {
            map.insert("verify".into(), serde_json::to_value(&policy.verify)?);
        }
    }
    Ok(value)
}

/// Which block of a merged policy does not read, with serde's reason (a
/// number too large for its field, an unknown enum value).
fn block_error(merged: &Value) -> Option<String> {
    fn read<T: serde::de::DeserializeOwned>(merged: &Value, name: &str) -> Option<String> {
        let value = merged.get(name)?.clone();
        serde_json::from_value::<T>(value)
            .err()
            .map(|e| format!("{name}: {e}"))
    }
    read::<ab::Policy>(merged, "ab")
        .or_else(|| read::<promotion::Policy>(merged, "promotion"))
        .or_else(|| read::<packets::Policy>(merged, "packets"))
        .or_else(|| read::<ingest::Policy>(merged, "ingest"))
        .or_else(|| read::<outcomes::Policy>(merged, "outcomes"))
        .or_else(|| read::<models::Policy>(merged, "models"))
        .or_else(|| read::<readiness::Policy>(merged, "readiness"))
        .or_else(|| read::<gates::Policy>(merged, "gates"))
        .or_else(|| read::<rollouts::Policy>(merged, "rollouts"))
        .or_else(|| read::<monitoring::Policy>(merged, "monitoring"))
        .or_else(|| read::<verify_policy::Policy>(merged, "verify"))
}

/// The fields that take `null` (an `Option` in the policy).
const NULLABLE: &[&str] = &["ab.winner.correction"];

/// Merges `patch` into `base`, naming fields by their dotted path.
fn merge_object(
    base: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    path: &str,
) -> Result<(), Error> {
    for (key, value) in patch {
        let field = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let Some(slot) = base.get_mut(key) else {
            return Err(Error::UnknownField { field });
        };
        match (slot, value) {
            (Value::Object(b), Value::Object(p)) => merge_object(b, p, &field)?,
            (slot, value) => {
                check_type(slot, value, &field)?;
                *slot = value.clone();
            }
        }
    }
    Ok(())
}

/// The patch's value must have the current value's JSON type (an integer
/// where the policy holds an integer); `null` is left to the field's type
/// (an optional field such as `ab.winner.correction` takes it).
fn check_type(current: &Value, value: &Value, field: &str) -> Result<(), Error> {
    let expected = match current {
        Value::Null => return Ok(()),
        Value::Object(_) => "an object",
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Bool(_) => "true or false",
        Value::Number(n) if n.is_u64() => "a whole number >= 0",
        Value::Number(_) => "a number",
    };
    let fits = match (current, value) {
        (_, Value::Null) => NULLABLE.contains(&field),
        (Value::Array(_), Value::Array(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => true,
        (Value::Number(n), Value::Number(v)) => !n.is_u64() || v.is_u64(),
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(Error::WrongType {
            field: field.to_string(),
            expected,
            found: kind(value),
        })
    }
}

/// The JSON type of a value, in words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
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
    /// Changes the fields the partial policy names; every other block and
    /// field keeps its value in force ([`merge`]).
    SetPolicy {
        /// The blocks and fields to change (the result is validated).
        #[cfg_attr(feature = "ts", ts(type = "PolicyInput"))]
        policy: PolicyPatch,
        /// Why the policy changes (shown in the policy history); optional,
        /// so logs written before it existed still read, and left out of
        /// the JSON when absent, so their command hashes do not change.
        /// At most [`MAX_REASON_LEN`] characters, not blank.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
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
    /// The policy changed.
    PolicyChanged {
        /// The whole policy now in force (the patch merged over the previous one).
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
    /// A block's policy is unusable (the message names the block and field).
    #[error("{0}")]
    Invalid(String),
    /// A partial policy names a field the policy does not have.
    #[error("the policy has no field `{field}`")]
    UnknownField {
        /// Dotted path of the field, e.g. `gates.min_acuracy`.
        field: String,
    },
    /// A partial policy gives a field a value of the wrong type.
    #[error("policy field `{field}` must be {expected}, not {found}")]
    WrongType {
        /// Dotted path of the field.
        field: String,
        /// The type the field holds.
        expected: &'static str,
        /// The type given.
        found: &'static str,
    },
    /// A policy change's reason that is blank or too long.
    #[error("a policy change's reason must be 1 to {MAX_REASON_LEN} characters, not {len}")]
    BadReason {
        /// Its length in characters after trimming.
        len: usize,
    },
    /// A partial policy that is not a JSON object.
    #[error("a policy must be a JSON object of blocks, not {found}")]
    NotAnObject {
        /// The type given.
        found: &'static str,
    },
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) | Error::WrongType { .. } | Error::NotAnObject { .. } => {
                "invalid_policy"
            }
            Error::BadReason { .. } => "invalid_reason",
            Error::UnknownField { .. } => "unknown_policy_field",
        }
    }
}

/// Longest reason a policy change may give, in characters.
pub const MAX_REASON_LEN: usize = 500;

/// Holds the rule: a partial policy is merged over the policy in force
/// (`current`), and the result must validate.
pub fn decide(cmd: &Command, current: &Policy) -> Result<Vec<Event>, Error> {
    match cmd {
        Command::SetPolicy { policy, reason } => {
            if let Some(reason) = reason {
                let len = reason.trim().chars().count();
                if len == 0 || len > MAX_REASON_LEN {
                    return Err(Error::BadReason { len });
                }
            }
            Ok(vec![Event::PolicyChanged {
                policy: Box::new(merge(current, policy)?),
            }])
        }
        Command::SetSeed { seed } => Ok(vec![Event::SeedSet { seed: *seed }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patch(v: Value) -> PolicyPatch {
        PolicyPatch::from_value(v).unwrap_or_default()
    }

    fn set(current: &Policy, v: Value) -> Result<Policy, Error> {
        let events = decide(
            &Command::SetPolicy {
                policy: patch(v),
                reason: None,
            },
            current,
        )?;
        match events.as_slice() {
            [Event::PolicyChanged { policy }] => Ok((**policy).clone()),
            other => panic!("unexpected events {other:?}"),
        }
    }

    /// A policy in force in which every block differs from its defaults, so a
    /// merge that fell back to a default anywhere would show.
    fn custom() -> Policy {
        let mut p = Policy::default();
        p.ab.bandit_floor = 0.1;
        p.ab.winner.alpha = 0.1;
        p.promotion.min_sample = 50;
        p.promotion.estimate = promotion::Estimate::Wilson;
        p.packets.max_scripts = 5;
        p.packets.max_channels = 4;
        p.ingest.keep_reasons = 9;
        p.ingest.allowed_sources = vec!["zillow".into()];
        p.outcomes.ks_alpha = 0.01;
        p.outcomes.regression_window = 5;
        p.models.max_accuracy_drop = 0.05;
        p.readiness.ready_threshold = 0.7;
        p.readiness.weights.accuracy = 0.5;
        p.readiness.weights.robustness = 0.0;
        p.gates.min_accuracy = 0.9;
        p.gates.srm_alpha = 0.01;
        assert_eq!(p.validate(), Ok(()));
        p
    }

    #[test]
    fn a_partial_set_policy_changes_only_the_given_field_of_each_block() {
        type Edit = fn(&mut Policy);
        let cases: [(Value, Edit); 10] = [
            (json!({"ab": {"bandit_draws": 500}}), |p| {
                p.ab.bandit_draws = 500
            }),
            (json!({"ab": {"winner": {"srm_alpha": 0.05}}}), |p| {
                p.ab.winner.srm_alpha = 0.05
            }),
            (json!({"promotion": {"consecutive": 2}}), |p| {
                p.promotion.consecutive = 2
            }),
            (json!({"packets": {"max_channels": 1}}), |p| {
                p.packets.max_channels = 1
            }),
            (json!({"ingest": {"max_payload_bytes": 10}}), |p| {
                p.ingest.max_payload_bytes = 10
            }),
            (json!({"outcomes": {"psi_bins": 20}}), |p| {
                p.outcomes.psi_bins = 20
            }),
            (json!({"models": {"max_accuracy_drop": 0.1}}), |p| {
                p.models.max_accuracy_drop = 0.1
            }),
            (
                json!({"readiness": {"weights": {"accuracy": 0.4, "robustness": 0.1}}}),
                |p| {
                    p.readiness.weights.accuracy = 0.4;
                    p.readiness.weights.robustness = 0.1;
                },
            ),
            (json!({"gates": {"min_accuracy": 0.95}}), |p| {
                p.gates.min_accuracy = 0.95
            }),
            (json!({"gates": {"safety_max_accuracy_drop": 0.1}}), |p| {
                p.gates.safety_max_accuracy_drop = 0.1
            }),
        ];
        for (json, edit) in cases {
            let mut expected = custom();
            edit(&mut expected);
            assert_eq!(set(&custom(), json.clone()), Ok(expected), "{json}");
        }
    }

    #[test]
    fn an_empty_patch_keeps_the_policy_and_a_full_patch_replaces_it() {
        assert_eq!(set(&custom(), json!({})), Ok(custom()));
        assert_eq!(
            merge(&custom(), &PolicyPatch::full(&Policy::default())),
            Ok(Policy::default())
        );
    }

    #[test]
    fn a_bad_patch_is_refused_naming_the_field() {
        let cases = [
            (
                json!({"gates": {"min_acuracy": 0.9}}),
                "unknown_policy_field",
                "gates.min_acuracy",
            ),
            (json!({"gatez": {}}), "unknown_policy_field", "gatez"),
            (
                json!({"ab": {"winner": {"srmThreshold": 0.01}}}),
                "unknown_policy_field",
                "ab.winner.srmThreshold",
            ),
            (
                json!({"gates": {"min_accuracy": "high"}}),
                "invalid_policy",
                "gates.min_accuracy",
            ),
            (
                json!({"promotion": {"min_sample": 10.5}}),
                "invalid_policy",
                "promotion.min_sample",
            ),
            (
                json!({"promotion": {"min_sample": -1}}),
                "invalid_policy",
                "promotion.min_sample",
            ),
            (
                json!({"readiness": {"weights": 1}}),
                "invalid_policy",
                "readiness.weights",
            ),
            (
                json!({"gates": {"min_accuracy": null}}),
                "invalid_policy",
                "gates.min_accuracy",
            ),
            (
                json!({"gates": {"min_accuracy": 1.5}}),
                "invalid_policy",
                "min_accuracy",
            ),
            (
                json!({"ab": {"bandit_draws": 5_000_000_000_u64}}),
                "invalid_policy",
                "ab:",
            ),
            (
                json!({"ab": {"winner": {"method": "coin"}}}),
                "invalid_policy",
                "ab:",
            ),
            (
                json!({"promotion": {"testing_rate": 0.5}}),
                "invalid_policy",
                "testing_rate",
            ),
        ];
        for (json, code, named) in cases {
            let got = set(&custom(), json.clone());
            let err = got.as_ref().err();
            assert_eq!(err.map(Error::code), Some(code), "{json}: {got:?}");
            assert!(
                err.is_some_and(|e| e.to_string().contains(named)),
                "{json}: {got:?} should name {named}"
            );
        }
        assert_eq!(
            PolicyPatch::from_value(json!([1])).map_err(|e| e.to_string()),
            Err("a policy must be a JSON object of blocks, not a list".into())
        );
    }

    #[test]
    fn the_correction_can_be_switched_off_and_on() {
        let off = set(&custom(), json!({"ab": {"winner": {"correction": null}}}));
        assert_eq!(off.as_ref().map(|p| p.ab.winner.correction), Ok(None));
        let on = off.and_then(|p| set(&p, json!({"ab": {"winner": {"correction": "holm"}}})));
        assert_eq!(on, Ok(custom()));
    }

    #[test]
    fn every_capped_field_is_accepted_at_its_bound_and_refused_past_it() {
        let sources = |n: usize| (0..n).map(|i| format!("s{i}")).collect::<Vec<_>>();
        let cases = [
            (
                json!({"ab": {"bandit_draws": ab::MAX_BANDIT_DRAWS}}),
                json!({"ab": {"bandit_draws": ab::MAX_BANDIT_DRAWS + 1}}),
            ),
            (
                json!({"ab": {"bandit_floor": 0.49}}),
                json!({"ab": {"bandit_floor": 0.5}}),
            ),
            (
                json!({"ab": {"winner": {"min_sample_per_variant": 1_000_000_000}}}),
                json!({"ab": {"winner": {"min_sample_per_variant": 1_000_000_001}}}),
            ),
            (
                json!({"ab": {"winner": {"sequential_tuning": 1e9}}}),
                json!({"ab": {"winner": {"sequential_tuning": 1.1e9}}}),
            ),
            (
                json!({"ab": {"winner": {"srm_alpha": 0.0}}}),
                json!({"ab": {"winner": {"srm_alpha": 1.0}}}),
            ),
            (
                json!({"promotion": {"min_sample": promotion::MAX_MIN_SAMPLE}}),
                json!({"promotion": {"min_sample": promotion::MAX_MIN_SAMPLE + 1}}),
            ),
            (
                json!({"promotion": {"consecutive": promotion::MAX_CONSECUTIVE}}),
                json!({"promotion": {"consecutive": promotion::MAX_CONSECUTIVE + 1}}),
            ),
            (
                json!({"promotion": {"consecutive": 1}}),
                json!({"promotion": {"consecutive": 0}}),
            ),
            (
                json!({"packets": {"max_scripts": packets::MAX_RECOMMENDED}}),
                json!({"packets": {"max_scripts": packets::MAX_RECOMMENDED + 1}}),
            ),
            (
                json!({"packets": {"max_channels": 1}}),
                json!({"packets": {"max_channels": 0}}),
            ),
            (
                json!({"ingest": {"max_payload_bytes": ingest::MAX_PAYLOAD_BYTES}}),
                json!({"ingest": {"max_payload_bytes": ingest::MAX_PAYLOAD_BYTES + 1}}),
            ),
            (
                json!({"ingest": {"keep_reasons": ingest::MAX_KEEP_REASONS}}),
                json!({"ingest": {"keep_reasons": ingest::MAX_KEEP_REASONS + 1}}),
            ),
            (
                json!({"ingest": {"retain_payloads": ingest::MAX_RETAIN_PAYLOADS}}),
                json!({"ingest": {"retain_payloads": ingest::MAX_RETAIN_PAYLOADS + 1}}),
            ),
            (
                json!({"ingest": {"allowed_sources": sources(ingest::MAX_ALLOWED_SOURCES)}}),
                json!({"ingest": {"allowed_sources": sources(ingest::MAX_ALLOWED_SOURCES + 1)}}),
            ),
            (
                json!({"outcomes": {"regression_lookback": outcomes::MAX_WINDOW}}),
                json!({"outcomes": {"regression_lookback": outcomes::MAX_WINDOW + 1}}),
            ),
            (
                json!({"outcomes": {"psi_bins": 1000}}),
                json!({"outcomes": {"psi_bins": 1001}}),
            ),
            (
                json!({"models": {"max_accuracy_drop": 1.0}}),
                json!({"models": {"max_accuracy_drop": 1.01}}),
            ),
            (
                json!({"readiness": {"ready_threshold": 1.0}}),
                json!({"readiness": {"ready_threshold": 1.01}}),
            ),
            (
                json!({"gates": {"safety_max_accuracy_drop": 1.0}}),
                json!({"gates": {"safety_max_accuracy_drop": 1.01}}),
            ),
            (
                json!({"gates": {"srm_alpha": 1.0}}),
                json!({"gates": {"srm_alpha": -0.01}}),
            ),
        ];
        for (at_bound, past) in cases {
            assert!(set(&custom(), at_bound.clone()).is_ok(), "{at_bound}");
            let err = set(&custom(), past.clone()).err();
            assert_eq!(
                err.as_ref().map(Error::code),
                Some("invalid_policy"),
                "{past}"
            );
        }
    }
}
