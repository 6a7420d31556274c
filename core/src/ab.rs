//! Block 21, A/B tracking: variants (kind `script` or `channel`) in
//! experiments, aggregated trial and conversion counts, per-variant rates
//! with confidence intervals, and the winner per experiment.

use crate::contract::{BlockCommand, BlockEvent};
use crate::stats::{self, Counts, WinnerRule};
use crate::{clean_name, count};
use chrono::{DateTime, Utc};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a variant tests: a sales script or a contact channel.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum VariantKind {
    /// A sales script (its name is the script id of block 22).
    Script,
    /// A contact channel (email, phone, ...).
    Channel,
}

/// One variant's running totals.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Variant {
    /// Script or channel.
    pub kind: VariantKind,
    /// Planned share of traffic (relative), used by the sample-ratio check.
    pub weight: f64,
    /// Trials so far.
    pub trials: u64,
    /// Conversions so far (never above `trials`).
    pub conversions: u64,
    /// When the variant was registered.
    pub registered_at: DateTime<Utc>,
}

/// An experiment: its variants by name.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
// `Experiment` is the package's bucketing class.
#[cfg_attr(feature = "ts", ts(rename = "AbExperiment"))]
pub struct Experiment {
    /// The kind shared by all its variants.
    pub kind: VariantKind,
    /// Variants by name.
    pub variants: BTreeMap<String, Variant>,
    /// Variant names in registration order; the first is the control.
    pub order: Vec<String>,
}

/// The state of block 21.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbState"))]
pub struct State {
    /// Experiments by name.
    pub experiments: BTreeMap<String, Experiment>,
}

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

tagged_enum! {
/// Commands of block 21.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Adds a variant to an experiment (creating the experiment).
    RegisterVariant {
        /// Experiment name.
        experiment: String,
        /// Variant name (for scripts, the script id).
        variant: String,
        /// Script or channel.
        kind: VariantKind,
        /// Planned traffic weight (default 1).
        #[serde(default = "one")]
        #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
        weight: f64,
    },
    /// Adds aggregated counts (one command per batch, not per user).
    RecordCounts {
        /// Experiment name.
        experiment: String,
        /// Variant name.
        variant: String,
        /// Trials in this batch (signed so that negatives become a typed error).
        trials: i64,
        /// Conversions in this batch.
        conversions: i64,
    },
}
}

fn one() -> f64 {
    1.0
}

tagged_enum! {
/// Events of block 21.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbEvent"))]
pub enum Event {
    /// A variant was added.
    VariantRegistered {
        /// Experiment name.
        experiment: String,
        /// Variant name.
        variant: String,
        /// Script or channel.
        kind: VariantKind,
        /// Planned traffic weight.
        weight: f64,
        /// When.
        at: DateTime<Utc>,
    },
    /// Counts were added.
    CountsRecorded {
        /// Experiment name (inline up to 24 bytes: this is the hot path).
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        experiment: CompactString,
        /// Variant name.
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        variant: CompactString,
        /// Trials added.
        trials: u64,
        /// Conversions added.
        conversions: u64,
    },
}
}

/// Bad input for block 21.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// Empty or over-long name.
    #[error("{0} name must be non-empty, at most 200 characters and free of control characters")]
    InvalidName(&'static str),
    /// Negative count.
    #[error("{field} ({value}) must not be negative")]
    NegativeCount {
        /// Which count.
        field: &'static str,
        /// The value given.
        value: i64,
    },
    /// More conversions than trials.
    #[error("conversions ({conversions}) exceed trials ({trials})")]
    ConversionsExceedTrials {
        /// Conversions given.
        conversions: u64,
        /// Trials given.
        trials: u64,
    },
    /// Totals would overflow.
    #[error("counts overflow the totals of variant {0}")]
    CountOverflow(String),
    /// Weight not finite and positive.
    #[error("weight ({0}) must be a finite number above 0")]
    InvalidWeight(f64),
    /// No such experiment.
    #[error("unknown experiment {0}; register a variant first")]
    UnknownExperiment(String),
    /// No such variant.
    #[error("unknown variant {variant} in experiment {experiment}")]
    UnknownVariant {
        /// Experiment name.
        experiment: String,
        /// Variant name.
        variant: String,
    },
    /// Variant already there.
    #[error("variant {variant} already exists in experiment {experiment}")]
    DuplicateVariant {
        /// Experiment name.
        experiment: String,
        /// Variant name.
        variant: String,
    },
    /// Kind differs from the experiment's.
    #[error("experiment {experiment} holds {expected:?} variants, not {given:?}")]
    KindMismatch {
        /// Experiment name.
        experiment: String,
        /// The experiment's kind.
        expected: VariantKind,
        /// The kind given.
        given: VariantKind,
    },
    /// Unusable policy.
    #[error("invalid a/b policy: {0}")]
    InvalidPolicy(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidName(_) => "invalid_name",
            Error::NegativeCount { .. } => "invalid_count",
            Error::ConversionsExceedTrials { .. } => "invalid_count",
            Error::CountOverflow(_) => "invalid_count",
            Error::InvalidWeight(_) => "invalid_number",
            Error::UnknownExperiment(_) => "unknown_experiment",
            Error::UnknownVariant { .. } => "unknown_variant",
            Error::DuplicateVariant { .. } => "duplicate_variant",
            Error::KindMismatch { .. } => "kind_mismatch",
            Error::InvalidPolicy(_) => "invalid_policy",
        }
    }
}

/// Holds every rule of block 21.
pub fn decide(
    state: &State,
    _policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    match cmd {
        Command::RegisterVariant {
            experiment,
            variant,
            kind,
            weight,
        } => {
            let experiment = clean_name(experiment).ok_or(Error::InvalidName("experiment"))?;
            let variant = clean_name(variant).ok_or(Error::InvalidName("variant"))?;
            if !(weight.is_finite() && *weight > 0.0) {
                return Err(Error::InvalidWeight(*weight));
            }
            if let Some(existing) = state.experiments.get(experiment) {
                if existing.kind != *kind {
                    return Err(Error::KindMismatch {
                        experiment: experiment.to_string(),
                        expected: existing.kind,
                        given: *kind,
                    });
                }
                if existing.variants.contains_key(variant) {
                    return Err(Error::DuplicateVariant {
                        experiment: experiment.to_string(),
                        variant: variant.to_string(),
                    });
                }
            }
            Ok(vec![Event::VariantRegistered {
                experiment: experiment.to_string(),
                variant: variant.to_string(),
                kind: *kind,
                weight: *weight,
                at,
            }])
        }
        Command::RecordCounts {
            experiment,
            variant,
            trials,
            conversions,
        } => {
            let (trials, conversions) = validate_counts(*trials, *conversions)?;
            let (experiment_name, variant_name) = (experiment.trim(), variant.trim());
            let found = state
                .experiments
                .get(experiment_name)
                .ok_or_else(|| Error::UnknownExperiment(experiment.clone()))?;
            let current =
                found
                    .variants
                    .get(variant_name)
                    .ok_or_else(|| Error::UnknownVariant {
                        experiment: experiment.clone(),
                        variant: variant.clone(),
                    })?;
            if current.trials.checked_add(trials).is_none() {
                return Err(Error::CountOverflow(variant.clone()));
            }
            Ok(vec![Event::CountsRecorded {
                experiment: experiment_name.into(),
                variant: variant_name.into(),
                trials,
                conversions,
            }])
        }
    }
}

/// Checks a pair of signed counts: non-negative, conversions within trials.
pub fn validate_counts(trials: i64, conversions: i64) -> Result<(u64, u64), Error> {
    let t = count(trials).ok_or(Error::NegativeCount {
        field: "trials",
        value: trials,
    })?;
    let c = count(conversions).ok_or(Error::NegativeCount {
        field: "conversions",
        value: conversions,
    })?;
    if c > t {
        return Err(Error::ConversionsExceedTrials {
            conversions: c,
            trials: t,
        });
    }
    Ok((t, c))
}

impl State {
    /// Folds one event; never fails (decide has checked everything).
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::VariantRegistered {
                experiment,
                variant,
                kind,
                weight,
                at,
            } => {
                let exp = self
                    .experiments
                    .entry(experiment.clone())
                    .or_insert_with(|| Experiment {
                        kind: *kind,
                        variants: BTreeMap::new(),
                        order: Vec::new(),
                    });
                exp.order.push(variant.clone());
                exp.variants.insert(
                    variant.clone(),
                    Variant {
                        kind: *kind,
                        weight: *weight,
                        trials: 0,
                        conversions: 0,
                        registered_at: *at,
                    },
                );
            }
            Event::CountsRecorded {
                experiment,
                variant,
                trials,
                conversions,
            } => {
                if let Some(v) = self
                    .experiments
                    .get_mut(experiment.as_str())
                    .and_then(|e| e.variants.get_mut(variant.as_str()))
                {
                    v.trials = v.trials.saturating_add(*trials);
                    v.conversions = v.conversions.saturating_add(*conversions);
                }
            }
        }
    }

    /// The winners of every experiment of `kind` (e.g. the winning channels).
    pub fn winners(&self, kind: VariantKind, policy: &Policy) -> Vec<String> {
        self.experiments
            .iter()
            .filter(|(_, e)| e.kind == kind)
            .filter_map(|(name, _)| self.report(name, policy).and_then(|r| r.winner))
            .collect()
    }

    /// Sum of trials and conversions of variant `name` across experiments of `kind`.
    pub fn totals_for(&self, kind: VariantKind, name: &str) -> Option<(u64, u64)> {
        let mut found = None;
        for exp in self.experiments.values().filter(|e| e.kind == kind) {
            if let Some(v) = exp.variants.get(name) {
                let (t, c) = found.unwrap_or((0u64, 0u64));
                found = Some((t.saturating_add(v.trials), c.saturating_add(v.conversions)));
            }
        }
        found
    }

    /// The report of one experiment: rates, intervals, lifts, p-values,
    /// chance to beat control, the sample-ratio check and the winner, as
    /// decided by the statistics engine under the policy's `WinnerRule`.
    pub fn report(&self, experiment: &str, policy: &Policy) -> Option<ExperimentReport> {
        let exp = self.experiments.get(experiment)?;
        let ordered: Vec<(&String, &Variant)> = exp
            .order
            .iter()
            .filter_map(|name| exp.variants.get(name).map(|v| (name, v)))
            .collect();
        let counts: Vec<Counts> = ordered
            .iter()
            .map(|(_, v)| Counts {
                n: v.trials,
                conversions: v.conversions,
            })
            .collect();
        let weights: Vec<f64> = ordered.iter().map(|(_, v)| v.weight).collect();
        let total: f64 = weights.iter().sum();
        let weights: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let decision = if ordered.len() < 2 {
            Err("fewer than two variants: no winner yet".to_string())
        } else {
            stats::decide_winner(&counts, Some(&weights), &policy.winner).map_err(|e| e.to_string())
        };
        let variants: Vec<VariantReport> = ordered
            .iter()
            .enumerate()
            .map(|(i, (name, v))| {
                let (rate, low, high) = rate_interval(v.trials, v.conversions, policy.winner.alpha);
                let cmp = decision.as_ref().ok().and_then(|d| d.per_variant.get(i));
                VariantReport {
                    name: (*name).clone(),
                    trials: v.trials,
                    conversions: v.conversions,
                    weight: v.weight,
                    rate,
                    low,
                    high,
                    lift: cmp.and_then(|c| c.lift),
                    p_value: cmp.and_then(|c| c.p_value),
                    chance_to_beat: cmp.and_then(|c| c.chance_to_beat),
                    significant: cmp.map(|c| c.significant).unwrap_or(false),
                }
            })
            .collect();
        let (winner, reason, srm_p_value, srm_failed) = match decision {
            Ok(d) => (
                d.winner
                    .and_then(|i| variants.get(i))
                    .map(|v| v.name.clone()),
                d.reason,
                d.srm_p_value,
                d.srm_failed,
            ),
            Err(reason) => (None, reason, None, false),
        };
        Some(ExperimentReport {
            experiment: experiment.to_string(),
            kind: exp.kind,
            winner,
            reason,
            srm_p_value,
            srm_failed,
            variants,
        })
    }

    /// A Thompson-sampling traffic split for the experiment's variants
    /// (registration order), from a seed the caller derives from state.
    pub fn allocation(
        &self,
        experiment: &str,
        policy: &Policy,
        seed: u64,
    ) -> Option<Vec<(String, f64)>> {
        let exp = self.experiments.get(experiment)?;
        let arms: Vec<Counts> = exp
            .order
            .iter()
            .filter_map(|n| exp.variants.get(n))
            .map(|v| Counts {
                n: v.trials,
                conversions: v.conversions,
            })
            .collect();
        let floor = policy.bandit_floor.min(1.0 / arms.len().max(1) as f64);
        let alloc = stats::thompson_allocation(&arms, floor, policy.bandit_draws, seed).ok()?;
        Some(
            exp.order
                .iter()
                .cloned()
                .zip(alloc.weights.iter().copied())
                .collect(),
        )
    }

    /// Reports of every experiment.
    pub fn reports(&self, policy: &Policy) -> Vec<ExperimentReport> {
        self.experiments
            .keys()
            .filter_map(|name| self.report(name, policy))
            .collect()
    }
}

/// One variant in a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariantReport {
    /// Variant name.
    pub name: String,
    /// Trials.
    pub trials: u64,
    /// Conversions.
    pub conversions: u64,
    /// Planned weight.
    pub weight: f64,
    /// Conversion rate (0 without trials).
    pub rate: f64,
    /// Lower bound of the rate interval.
    pub low: f64,
    /// Upper bound of the rate interval.
    pub high: f64,
    /// Relative lift against control (None for control or when undefined).
    pub lift: Option<f64>,
    /// p-value against control (adjusted for multiple variants).
    pub p_value: Option<f64>,
    /// Chance to beat control.
    pub chance_to_beat: Option<f64>,
    /// Significantly different from control.
    pub significant: bool,
}

/// One experiment in a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExperimentReport {
    /// Experiment name.
    pub experiment: String,
    /// Script or channel.
    pub kind: VariantKind,
    /// Variants with rates and intervals.
    pub variants: Vec<VariantReport>,
    /// The winning variant, if the evidence decides one.
    pub winner: Option<String>,
    /// Why there is (or is not) a winner.
    pub reason: String,
    /// p-value of the sample-ratio check, when computed.
    pub srm_p_value: Option<f64>,
    /// True when traffic does not match the planned weights.
    pub srm_failed: bool,
}

/// Rate and Wilson interval at level `alpha`; (0, 0, 1) without trials.
/// The statistics engine's `rate_interval` when it accepts the input.
pub fn rate_interval(trials: u64, conversions: u64, alpha: f64) -> (f64, f64, f64) {
    if trials == 0 {
        return (0.0, 0.0, 1.0);
    }
    if let Ok(r) = stats::rate_interval(
        Counts {
            n: trials,
            conversions,
        },
        alpha,
    ) {
        return r;
    }
    let n = trials as f64;
    let p = conversions as f64 / n;
    let z = z_for(alpha);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0)).sqrt() / denom;
    (
        p,
        (centre - half).clamp(0.0, 1.0),
        (centre + half).clamp(0.0, 1.0),
    )
}

/// Two-sided normal quantile for `alpha` (1.96 for 0.05).
pub fn z_for(alpha: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    let a = if alpha.is_finite() {
        alpha.clamp(1e-12, 0.999_999)
    } else {
        0.05
    };
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(1.0 - a / 2.0),
        Err(_) => 1.96,
    }
}

/// One point of an experiment's cumulative lift: after one batch of counts,
/// the lift of each non-control variant over control, so far.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiftPoint {
    /// When the batch was recorded (the time of its command).
    pub at: DateTime<Utc>,
    /// The lift (`rate / control rate - 1`) of each non-control variant, in
    /// registration order; `None` while it is undefined (the variant has no
    /// trials yet, or control's rate is not above 0).
    pub lifts: Vec<Option<f64>>,
}

/// How an experiment's lift over control moved, batch by batch: what a
/// chart of "is the winner still winning?" needs and the state does not
/// keep (it holds only the totals).
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiftSeries {
    /// The non-control variants, in registration order (the first
    /// registered variant is control).
    pub variants: Vec<String>,
    /// One point per recorded batch, in time order.
    pub points: Vec<LiftPoint>,
}

/// The cumulative lift of each variant of `experiment` over control after
/// every recorded batch, from this block's events with the time of the
/// command that produced each.
pub fn cumulative_lift<'a>(
    events: impl IntoIterator<Item = (DateTime<Utc>, &'a Event)>,
    experiment: &str,
) -> LiftSeries {
    let mut order: Vec<&str> = Vec::new();
    let mut totals: Vec<(u64, u64)> = Vec::new();
    let mut points = Vec::new();
    let rate = |(n, c): (u64, u64)| (n > 0).then(|| c as f64 / n as f64);
    for (at, e) in events {
        match e {
            Event::VariantRegistered {
                experiment: x,
                variant,
                ..
            } if x == experiment => {
                order.push(variant);
                totals.push((0, 0));
            }
            Event::CountsRecorded {
                experiment: x,
                variant,
                trials,
                conversions,
            } if x == experiment => {
                if let Some(t) = order
                    .iter()
                    .position(|v| *v == variant.as_str())
                    .and_then(|i| totals.get_mut(i))
                {
                    t.0 = t.0.saturating_add(*trials);
                    t.1 = t.1.saturating_add(*conversions);
                }
                let control = totals.first().copied().and_then(rate);
                let lifts = totals
                    .iter()
                    .skip(1)
                    .map(|t| match (rate(*t), control) {
                        (Some(r), Some(c)) if c > 0.0 => Some(r / c - 1.0),
                        _ => None,
                    })
                    .collect();
                points.push(LiftPoint { at, lifts });
            }
            _ => {}
        }
    }
    LiftSeries {
        variants: order.into_iter().skip(1).map(String::from).collect(),
        points,
    }
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::RegisterVariant {
                experiment,
                variant,
                ..
            }
            | Command::RecordCounts {
                experiment,
                variant,
                ..
            } => format!("experiment/{}/{}", experiment.trim(), variant.trim()),
        }
    }
}

impl BlockEvent for Event {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn given(cmds: &[Command]) -> State {
        let mut state = State::default();
        for cmd in cmds {
            if let Ok(events) = decide(&state, &Policy::default(), cmd, at()) {
                events.iter().for_each(|e| state.apply(e));
            }
        }
        state
    }

    fn register(exp: &str, var: &str, kind: VariantKind) -> Command {
        Command::RegisterVariant {
            experiment: exp.into(),
            variant: var.into(),
            kind,
            weight: 1.0,
        }
    }

    fn record(exp: &str, var: &str, trials: i64, conversions: i64) -> Command {
        Command::RecordCounts {
            experiment: exp.into(),
            variant: var.into(),
            trials,
            conversions,
        }
    }

    fn check(state: &State, cmd: Command, expected: Result<usize, Error>) {
        let got = decide(state, &Policy::default(), &cmd, at()).map(|e| e.len());
        assert_eq!(got, expected);
    }

    #[test]
    fn cumulative_lift_follows_each_batch_and_is_undefined_until_control_converts() {
        let registered = |variant: &str| Event::VariantRegistered {
            experiment: "e".into(),
            variant: variant.into(),
            kind: VariantKind::Script,
            weight: 1.0,
            at: at(),
        };
        let counts = |experiment: &str, variant: &str, trials: u64, conversions: u64| {
            Event::CountsRecorded {
                experiment: experiment.into(),
                variant: variant.into(),
                trials,
                conversions,
            }
        };
        let events = [
            registered("control"),
            registered("bold"),
            counts("e", "control", 100, 0),
            counts("e", "bold", 100, 25),
            counts("other", "bold", 100, 90),
            counts("e", "control", 100, 50),
            counts("e", "bold", 100, 50),
        ];
        let series = cumulative_lift(events.iter().map(|e| (at(), e)), "e");
        assert_eq!(series.variants, vec!["bold".to_string()]);
        let lifts: Vec<Vec<Option<f64>>> = series.points.iter().map(|p| p.lifts.clone()).collect();
        // Control at 0/100: undefined; then 50/200 vs 25/100 (no lift), then vs 75/200 (+50%).
        // Another experiment's batch is not a point.
        assert_eq!(
            lifts,
            vec![vec![None], vec![None], vec![Some(0.0)], vec![Some(0.5)]]
        );
        assert_eq!(
            cumulative_lift(events.iter().map(|e| (at(), e)), "none"),
            LiftSeries::default()
        );
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        let s = given(&[register("e", "a", VariantKind::Script)]);
        check(
            &s,
            record("e", "a", -1, 0),
            Err(Error::NegativeCount {
                field: "trials",
                value: -1,
            }),
        );
        check(
            &s,
            record("e", "a", 5, -2),
            Err(Error::NegativeCount {
                field: "conversions",
                value: -2,
            }),
        );
        check(
            &s,
            record("e", "a", 10, 12),
            Err(Error::ConversionsExceedTrials {
                conversions: 12,
                trials: 10,
            }),
        );
        check(
            &s,
            record("x", "a", 1, 0),
            Err(Error::UnknownExperiment("x".into())),
        );
        check(
            &s,
            record("e", "zz", 1, 0),
            Err(Error::UnknownVariant {
                experiment: "e".into(),
                variant: "zz".into(),
            }),
        );
        check(
            &s,
            register("e", "a", VariantKind::Script),
            Err(Error::DuplicateVariant {
                experiment: "e".into(),
                variant: "a".into(),
            }),
        );
        check(
            &s,
            register("e", "b", VariantKind::Channel),
            Err(Error::KindMismatch {
                experiment: "e".into(),
                expected: VariantKind::Script,
                given: VariantKind::Channel,
            }),
        );
        check(
            &s,
            register(" ", "b", VariantKind::Script),
            Err(Error::InvalidName("experiment")),
        );
        check(
            &s,
            register("e", "", VariantKind::Script),
            Err(Error::InvalidName("variant")),
        );
        let nan = Command::RegisterVariant {
            experiment: "e".into(),
            variant: "n".into(),
            kind: VariantKind::Script,
            weight: f64::NAN,
        };
        assert_eq!(
            decide(&s, &Policy::default(), &nan, at()).map_err(|e| e.code()),
            Err("invalid_number")
        );
        let s2 = given(&[
            register("e", "a", VariantKind::Script),
            record("e", "a", i64::MAX, 0),
        ]);
        check(&s2, record("e", "a", i64::MAX, 0), Ok(1));
    }

    #[test]
    fn counts_accumulate_and_the_statistics_engine_decides_the_winner() {
        // Given B below the minimum sample, when reported, then no winner.
        let s = given(&[
            register("subject", "A", VariantKind::Script),
            register("subject", "B", VariantKind::Script),
            record("subject", "A", 100, 10),
            record("subject", "B", 50, 9),
        ]);
        let report = s.report("subject", &Policy::default());
        assert_eq!(report.as_ref().and_then(|r| r.winner.clone()), None);
        // Given a clear difference over enough trials, then B wins.
        let s = given(&[
            register("subject", "A", VariantKind::Script),
            register("subject", "B", VariantKind::Script),
            record("subject", "A", 1000, 100),
            record("subject", "B", 500, 90),
            record("subject", "B", 500, 90),
        ]);
        let report = s.report("subject", &Policy::default());
        assert_eq!(
            report.as_ref().and_then(|r| r.winner.clone()),
            Some("B".to_string())
        );
        let b = report.as_ref().and_then(|r| r.variants.get(1).cloned());
        assert_eq!(
            b.as_ref().map(|v| (v.trials, v.conversions)),
            Some((1000, 180))
        );
        assert!(b
            .as_ref()
            .map(|v| v.low < 0.18 && v.high > 0.18 && v.significant)
            .unwrap_or(false));
        assert!(report.map(|r| !r.srm_failed).unwrap_or(false));
    }

    #[test]
    fn a_broken_traffic_split_decides_nothing() {
        let s = given(&[
            register("e", "A", VariantKind::Channel),
            register("e", "B", VariantKind::Channel),
            record("e", "A", 2000, 100),
            record("e", "B", 1000, 300),
        ]);
        let report = s.report("e", &Policy::default());
        assert_eq!(
            report.as_ref().map(|r| (r.winner.clone(), r.srm_failed)),
            Some((None, true))
        );
    }

    #[test]
    fn thompson_allocation_is_seeded_and_favours_the_better_arm() {
        let s = given(&[
            register("e", "A", VariantKind::Channel),
            register("e", "B", VariantKind::Channel),
            record("e", "A", 500, 25),
            record("e", "B", 500, 75),
        ]);
        let a = s.allocation("e", &Policy::default(), 7);
        assert_eq!(a, s.allocation("e", &Policy::default(), 7));
        let b_share = a.and_then(|a| a.get(1).map(|x| x.1)).unwrap_or(0.0);
        assert!(b_share > 0.9, "{b_share}");
    }

    #[test]
    fn wilson_interval_brackets_the_rate() {
        let (p, lo, hi) = rate_interval(100, 10, 0.05);
        assert!((p - 0.1).abs() < 1e-12);
        assert!((lo - 0.0552).abs() < 1e-3, "{lo}");
        assert!((hi - 0.1744).abs() < 1e-3, "{hi}");
        assert_eq!(rate_interval(0, 0, 0.05), (0.0, 0.0, 1.0));
    }
}
