//! The rollouts block's policy: the default stages a rollout walks through (Pilot 5%,
//! Limited 25%, Production 100%), each with its minimum duration, minimum samples and
//! success criteria. A `StartRollout` without stages takes these; with stages, the same
//! checks apply to the ones given.

use super::Error;
use serde::{Deserialize, Serialize};

/// The name of the metric a stage's latency criterion reads (milliseconds).
pub const LATENCY_P95: &str = "latency_p95";

/// Largest number of stages a rollout may have.
pub const MAX_STAGES: usize = 10;

/// Longest minimum duration of a stage: one year, in minutes.
pub const MAX_DURATION_MINUTES: u64 = 525_600;

/// Largest minimum sample count of a stage.
pub const MAX_SAMPLES: u64 = 1_000_000_000;

/// What a stage must show before it advances; any breach rolls the rollout back.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutCriteria", optional_fields = nullable))]
#[serde(default)]
pub struct Criteria {
    /// The quality metric checked against `min_metric` (default `accuracy`; any metric name
    /// recorded with `RecordRolloutMetrics`).
    pub metric: String,
    /// The metric's lowest allowed value (none: not checked).
    pub min_metric: Option<f64>,
    /// Highest allowed errors / samples, in [0, 1] (none: not checked).
    pub max_error_rate: Option<f64>,
    /// Highest allowed `latency_p95` in milliseconds, >= 0 (none: not checked).
    pub max_latency_p95: Option<f64>,
    /// Whether an open regression or drift alert on the model is a breach.
    pub no_open_alerts: bool,
}

impl Default for Criteria {
    fn default() -> Self {
        Criteria {
            metric: "accuracy".into(),
            min_metric: Some(0.85),
            max_error_rate: Some(0.05),
            max_latency_p95: Some(500.0),
            no_open_alerts: true,
        }
    }
}

/// One stage of a rollout: a traffic share held until its minimums are met.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutStage"))]
pub struct Stage {
    /// The stage's name ("Pilot").
    pub name: String,
    /// The share of units the new version serves, in (0, 1]; the last stage's is 1.
    pub traffic: f64,
    /// The stage lasts at least this long before it may advance (minutes, at most a year).
    #[serde(default)]
    pub min_duration_minutes: u64,
    /// The stage needs at least this many samples before it may advance (at most 1e9).
    #[serde(default)]
    pub min_samples: u64,
    /// What the stage must show; missing fields take their default.
    #[serde(default)]
    pub criteria: Criteria,
}

impl Stage {
    fn preset(name: &str, traffic: f64, minutes: u64, samples: u64) -> Self {
        Stage {
            name: name.into(),
            traffic,
            min_duration_minutes: minutes,
            min_samples: samples,
            criteria: Criteria::default(),
        }
    }
}

/// The block's policy (missing fields take their default when read from JSON).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutsPolicy"))]
#[serde(default)]
pub struct Policy {
    /// The stages of a rollout started without its own (original system: Pilot 5% for an
    /// hour and 100 samples, Limited 25% for 4 hours and 1,000, Production 100% for a day
    /// and 5,000).
    pub stages: Vec<Stage>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            stages: vec![
                Stage::preset("Pilot", 0.05, 60, 100),
                Stage::preset("Limited", 0.25, 240, 1_000),
                Stage::preset("Production", 1.0, 1_440, 5_000),
            ],
        }
    }
}

impl Policy {
    /// Whether this is the default policy (then it is left out of the policy's JSON, so the
    /// hashes of states written before this block existed do not change).
    pub fn is_default(&self) -> bool {
        *self == Policy::default()
    }

    /// Checks the default stages (see [`validate_stages`]).
    pub fn validate(&self) -> Result<(), Error> {
        validate_stages(&self.stages)
    }
}

/// Checks a list of stages: 1 to 10 stages, names valid and distinct, traffic in (0, 1] and
/// strictly increasing, the last stage at 1, minimums within their ranges, thresholds finite
/// (error rate in [0, 1], latency >= 0).
pub fn validate_stages(stages: &[Stage]) -> Result<(), Error> {
    if stages.is_empty() || stages.len() > MAX_STAGES {
        return Err(Error::StageCount {
            count: stages.len(),
        });
    }
    let mut previous = 0.0;
    for (i, s) in stages.iter().enumerate() {
        let stage = s.name.clone();
        if crate::clean_name(&s.name).is_none() {
            return Err(Error::InvalidName {
                field: "stage name",
            });
        }
        if stages[..i].iter().any(|o| o.name.trim() == s.name.trim()) {
            return Err(Error::DuplicateStage { stage });
        }
        if !s.traffic.is_finite() || s.traffic <= previous || s.traffic > 1.0 {
            return Err(Error::StageTraffic {
                stage,
                traffic: s.traffic,
            });
        }
        previous = s.traffic;
        if s.min_duration_minutes > MAX_DURATION_MINUTES || s.min_samples > MAX_SAMPLES {
            return Err(Error::StageMinimum { stage });
        }
        let c = &s.criteria;
        if crate::clean_name(&c.metric).is_none() {
            return Err(Error::InvalidName { field: "metric" });
        }
        let bad = |v: Option<f64>, ok: fn(f64) -> bool| v.is_some_and(|v| !v.is_finite() || !ok(v));
        if bad(c.min_metric, |_| true)
            || bad(c.max_error_rate, |v| (0.0..=1.0).contains(&v))
            || bad(c.max_latency_p95, |v| v >= 0.0)
        {
            return Err(Error::StageThreshold { stage });
        }
    }
    if previous < 1.0 {
        return Err(Error::LastStageNotFull { traffic: previous });
    }
    Ok(())
}
