//! How an experiment registered in block 21 buckets its units: the hash
//! key, seed, hash version and coverage given to `CreateExperiment`, with the
//! variants' weights, as GrowthBook's SDK takes them (`crate::assign`).
//!
//! Why here: the experiment's traffic split lives in one place, the Brain,
//! so an app asking `brain.assign(experimentId, unitId)` and the report's
//! sample-ratio check use the same weights, and nobody copies a seed by hand.

use serde::{Deserialize, Serialize};

use super::{Error, Experiment};
use crate::assign;

/// The bucketing settings of an experiment made by `CreateExperiment`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbBucketing"))]
pub struct Bucketing {
    /// The key hashed with the unit id (GrowthBook's experiment `key`).
    pub hash_key: String,
    /// The hashing seed; `None` hashes with the key (the SDK's `seed || key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub seed: Option<String>,
    /// GrowthBook's hash version, 1 or 2.
    pub hash_version: u32,
    /// Share of units included, in [0, 1].
    pub coverage: f64,
}

/// Hash version of an experiment that does not name one: GrowthBook's
/// version 2, which its app uses for new experiments (version 1 is biased
/// for some seeds).
pub const DEFAULT_HASH_VERSION: u32 = 2;

impl Bucketing {
    /// The settings `CreateExperiment` gives, checked; missing values take
    /// their default (the experiment's id as key, no seed, version 2, full
    /// coverage). `None` when none is given: the defaults are not stored,
    /// so a command without them gives the same state as before they existed.
    pub fn from_command(
        experiment_id: &str,
        hash_key: Option<&str>,
        seed: Option<&str>,
        hash_version: Option<u32>,
        coverage: Option<f64>,
    ) -> Result<Option<Bucketing>, Error> {
        if hash_key.is_none() && seed.is_none() && hash_version.is_none() && coverage.is_none() {
            return Ok(None);
        }
        let hash_key = match hash_key {
            Some(k) => crate::clean_name(k).ok_or(Error::InvalidName("hash key"))?,
            None => experiment_id,
        };
        let seed = match seed.map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(crate::clean_name(s).ok_or(Error::InvalidName("seed"))?),
        };
        let hash_version = hash_version.unwrap_or(DEFAULT_HASH_VERSION);
        if !matches!(hash_version, 1 | 2) {
            return Err(Error::InvalidBucketing(format!(
                "hash_version ({hash_version}) must be 1 or 2"
            )));
        }
        let coverage = coverage.unwrap_or(1.0);
        if !(coverage.is_finite() && (0.0..=1.0).contains(&coverage)) {
            return Err(Error::InvalidBucketing(format!(
                "coverage ({coverage}) must be a number from 0 to 1"
            )));
        }
        Ok(Some(Bucketing {
            hash_key: hash_key.to_string(),
            seed: seed.map(String::from),
            hash_version,
            coverage,
        }))
    }

    /// The settings of an experiment made by `RegisterVariant` alone: its
    /// name as key, version 2, full coverage.
    pub fn default_for(experiment_id: &str) -> Bucketing {
        Bucketing {
            hash_key: experiment_id.to_string(),
            seed: None,
            hash_version: DEFAULT_HASH_VERSION,
            coverage: 1.0,
        }
    }
}

/// The experiment as GrowthBook's SDK buckets it: its settings, one
/// variation per variant in registration order, the variants' weights
/// normalised to sum to 1.
pub fn assign_spec(id: &str, experiment: &Experiment) -> assign::Experiment {
    let b = experiment
        .bucketing
        .clone()
        .unwrap_or_else(|| Bucketing::default_for(id));
    let weights: Vec<f64> = experiment
        .order
        .iter()
        .filter_map(|v| experiment.variants.get(v).map(|v| v.weight))
        .collect();
    let total: f64 = weights.iter().sum();
    assign::Experiment {
        key: b.hash_key,
        seed: b.seed,
        hash_version: b.hash_version,
        variations: weights.len(),
        weights: (total > 0.0).then(|| weights.iter().map(|w| w / total).collect()),
        coverage: Some(b.coverage),
        namespace: None,
    }
}

/// Where `unit_id` falls in the experiment: what [`assign::assign`] returns
/// for its spec while it is running; outside `running`, not in the
/// experiment (the SDK's result for an inactive experiment).
pub fn assign_unit(id: &str, experiment: &Experiment, unit_id: &str) -> assign::Assignment {
    if !experiment.stage.is_running() {
        return assign::Assignment {
            in_experiment: false,
            variation_id: 0,
            bucket: None,
        };
    }
    assign::assign(&assign_spec(id, experiment), unit_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ab::{Stage, Variant, VariantKind};
    use chrono::{TimeZone, Utc};
    use std::collections::BTreeMap;

    fn experiment(weights: &[(&str, f64)], bucketing: Option<Bucketing>) -> Experiment {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let variants: BTreeMap<String, Variant> = weights
            .iter()
            .map(|(n, w)| {
                let v = Variant {
                    kind: VariantKind::Script,
                    weight: *w,
                    trials: 0,
                    conversions: 0,
                    registered_at: at,
                    metric: None,
                };
                (n.to_string(), v)
            })
            .collect();
        Experiment {
            kind: VariantKind::Script,
            variants,
            order: weights.iter().map(|(n, _)| n.to_string()).collect(),
            stage: Stage::Running,
            conclusion: None,
            bucketing,
        }
    }

    #[test]
    fn the_spec_carries_the_settings_and_the_weights_in_registration_order() {
        let b = Bucketing::from_command("exp", Some("homepage"), Some("s1"), Some(1), Some(0.5))
            .ok()
            .flatten();
        // Registered "z" before "a": the order, not the names, gives the variations.
        let e = experiment(&[("z", 3.0), ("a", 1.0)], b);
        let spec = assign_spec("exp", &e);
        assert_eq!(
            spec,
            assign::Experiment {
                key: "homepage".into(),
                seed: Some("s1".into()),
                hash_version: 1,
                variations: 2,
                weights: Some(vec![0.75, 0.25]),
                coverage: Some(0.5),
                namespace: None,
            }
        );
        // Without settings: the name as key, version 2, everyone.
        let spec = assign_spec("exp", &experiment(&[("a", 1.0), ("b", 1.0)], None));
        assert_eq!(
            (
                spec.key.as_str(),
                spec.seed,
                spec.hash_version,
                spec.coverage
            ),
            ("exp", None, 2, Some(1.0))
        );
    }

    #[test]
    fn a_unit_is_bucketed_only_while_the_experiment_runs() {
        let mut e = experiment(&[("a", 1.0), ("b", 1.0)], None);
        let running = assign_unit("exp", &e, "user-1");
        assert_eq!(running, assign::assign(&assign_spec("exp", &e), "user-1"));
        assert!(running.in_experiment);
        e.stage = Stage::Stopped;
        let stopped = assign_unit("exp", &e, "user-1");
        assert_eq!(
            (stopped.in_experiment, stopped.variation_id, stopped.bucket),
            (false, 0, None)
        );
    }

    #[test]
    fn settings_hashing_cannot_use_are_refused() {
        let check = |v: Option<u32>, c: Option<f64>| Bucketing::from_command("e", None, None, v, c);
        assert_eq!(check(None, None), Ok(None));
        assert!(
            matches!(check(Some(3), None), Err(Error::InvalidBucketing(m)) if m.contains("1 or 2"))
        );
        assert!(
            matches!(check(None, Some(1.5)), Err(Error::InvalidBucketing(m)) if m.contains("from 0 to 1"))
        );
        assert!(matches!(
            check(None, Some(f64::NAN)),
            Err(Error::InvalidBucketing(_))
        ));
        assert_eq!(
            Bucketing::from_command("e", Some("  "), None, None, None),
            Err(Error::InvalidName("hash key"))
        );
        // Only a version: the name as key, no seed, full coverage.
        assert_eq!(
            check(Some(1), None),
            Ok(Some(Bucketing {
                hash_key: "e".into(),
                seed: None,
                hash_version: 1,
                coverage: 1.0
            }))
        );
    }
}
