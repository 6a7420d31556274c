//! Block 21, A/B tracking: variants (kind `script` or `channel`) in
//! experiments, aggregated trial and conversion counts and continuous-metric
//! totals (`metric.rs`), per-variant rates with confidence intervals, the
//! lift over control with its interval, the winner per experiment, and the
//! experiment's lifecycle (`lifecycle.rs`).

mod bucketing;
mod error;
mod lifecycle;
mod metric;
mod policy;
mod report;

pub use bucketing::{assign_spec, assign_unit, Bucketing, DEFAULT_HASH_VERSION};
pub use error::Error;
pub use lifecycle::{Conclusion, Stage};
pub use metric::{mean_reports, Covariate, MeanMethod, MeanReport, MetricTotals};
pub use policy::{Policy, MAX_BANDIT_DRAWS};
use report::with_names;
pub use report::*;

use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};
use crate::stats::{self, Counts};
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
    /// Continuous-metric totals (`RecordMetric`); absent until the first
    /// batch, and then not written, so older states keep their hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub metric: Option<MetricTotals>,
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
    /// Where the experiment is in its life; `Running` (not written) for an
    /// experiment made by `RegisterVariant` alone.
    #[serde(default, skip_serializing_if = "Stage::is_running")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub stage: Stage,
    /// The decision, once concluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub conclusion: Option<Conclusion>,
    /// How its units are bucketed (`CreateExperiment`); absent for an
    /// experiment made by `RegisterVariant` alone, which buckets with
    /// [`Bucketing::default_for`] its name (not written, so older states
    /// keep their hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub bucketing: Option<Bucketing>,
}

/// The state of block 21.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbState"))]
pub struct State {
    /// Experiments by name.
    pub experiments: BTreeMap<String, Experiment>,
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
        #[serde(rename = "experiment_id", alias = "experiment")]
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
        #[serde(rename = "experiment_id", alias = "experiment")]
        experiment: String,
        /// Variant name.
        variant: String,
        /// Trials in this batch (signed so that negatives become a typed error).
        trials: i64,
        /// Conversions in this batch.
        conversions: i64,
    },
    /// Adds a batch of a continuous metric (deal value, score, revenue) as
    /// totals: units, sum and sum of squares of their values.
    RecordMetric {
        /// Experiment name.
        experiment_id: String,
        /// Variant name.
        variant: String,
        /// Units in this batch (signed so that negatives become a typed error).
        n: i64,
        /// Sum of their values.
        sum: f64,
        /// Sum of their squared values (at least `sum^2 / n`).
        sum_squares: f64,
        /// The same units' pre-period values (CUPED's covariate), if known:
        /// give it with every batch of the variant or with none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        covariate: Option<Covariate>,
    },
    /// Creates an experiment in `draft`: variants may be added, counts wait
    /// for `StartExperiment`.
    CreateExperiment {
        /// Experiment name.
        experiment_id: String,
        /// Script or channel.
        kind: VariantKind,
        /// The key hashed with each unit id (default: the experiment's name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hash_key: Option<String>,
        /// The hashing seed (default: the hash key).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seed: Option<String>,
        /// GrowthBook's hash version, 1 or 2 (default 2).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hash_version: Option<u32>,
        /// Share of units included, in [0, 1] (default 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        coverage: Option<f64>,
    },
    /// Starts (or resumes) an experiment: draft or stopped -> running.
    StartExperiment {
        /// Experiment name.
        experiment_id: String,
    },
    /// Stops a running experiment: counts are refused until it starts again.
    StopExperiment {
        /// Experiment name.
        experiment_id: String,
    },
    /// Concludes a running or stopped experiment with a decision and its
    /// reason (recorded in the audit trail).
    ConcludeExperiment {
        /// Experiment name.
        experiment_id: String,
        /// The variant to keep (control to change nothing).
        decision: String,
        /// Why.
        reason: String,
    },
    /// Archives a draft, stopped or concluded experiment.
    ArchiveExperiment {
        /// Experiment name.
        experiment_id: String,
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
    /// A batch of a continuous metric was added.
    MetricRecorded {
        /// Experiment name.
        experiment: String,
        /// Variant name.
        variant: String,
        /// Units added.
        n: u64,
        /// Sum added.
        sum: f64,
        /// Sum of squares added.
        sum_squares: f64,
        /// Covariate totals added, when the batch had them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        covariate: Option<Covariate>,
    },
    /// An experiment was created in draft.
    ExperimentCreated {
        /// Experiment name.
        experiment: String,
        /// Script or channel.
        kind: VariantKind,
        /// How its units are bucketed (absent from events written before
        /// experiments carried it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        bucketing: Option<Bucketing>,
    },
    /// An experiment moved to another stage (not `concluded`).
    StageChanged {
        /// Experiment name.
        experiment: String,
        /// The stage before.
        from: Stage,
        /// The stage now.
        to: Stage,
    },
    /// An experiment was concluded.
    ExperimentConcluded {
        /// Experiment name.
        experiment: String,
        /// The variant kept.
        decision: String,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
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
                if !existing.stage.takes_variants() {
                    return Err(Error::Closed {
                        experiment: experiment.to_string(),
                        stage: existing.stage.name(),
                    });
                }
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
            running(experiment_name, found)?;
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
        Command::RecordMetric {
            experiment_id,
            variant,
            n,
            sum,
            sum_squares,
            covariate,
        } => {
            let units = count(*n).ok_or(Error::NegativeCount {
                field: "n",
                value: *n,
            })?;
            check_metric(units, *sum, *sum_squares)?;
            if let Some(c) = covariate {
                check_metric(units, c.sum, c.sum_squares)?;
                if !c.sum_products.is_finite() {
                    return Err(Error::InvalidMetric("sum_products must be finite".into()));
                }
            }
            let (name, variant_name) = (experiment_id.trim(), variant.trim());
            let found = find(state, experiment_id)?;
            running(name, found)?;
            let current =
                found
                    .variants
                    .get(variant_name)
                    .ok_or_else(|| Error::UnknownVariant {
                        experiment: experiment_id.clone(),
                        variant: variant.clone(),
                    })?;
            let before = current.metric.unwrap_or_default();
            if before.n > 0 && before.covariate.is_some() != covariate.is_some() {
                return Err(Error::InvalidMetric(format!("variant {variant_name}'s batches {} a covariate: give one with every batch or with none", if covariate.is_some() { "have no" } else { "have" })));
            }
            if before.plus(units, *sum, *sum_squares, *covariate).is_none() {
                return Err(Error::CountOverflow(variant.clone()));
            }
            Ok(vec![Event::MetricRecorded {
                experiment: name.to_string(),
                variant: variant_name.to_string(),
                n: units,
                sum: *sum,
                sum_squares: *sum_squares,
                covariate: *covariate,
            }])
        }
        Command::CreateExperiment {
            experiment_id,
            kind,
            hash_key,
            seed,
            hash_version,
            coverage,
        } => {
            let name = clean_name(experiment_id).ok_or(Error::InvalidName("experiment"))?;
            if state.experiments.contains_key(name) {
                return Err(Error::DuplicateExperiment(name.to_string()));
            }
            let bucketing = Bucketing::from_command(
                name,
                hash_key.as_deref(),
                seed.as_deref(),
                *hash_version,
                *coverage,
            )?;
            Ok(vec![Event::ExperimentCreated {
                experiment: name.to_string(),
                kind: *kind,
                bucketing,
            }])
        }
        Command::StartExperiment { experiment_id } => move_to(state, experiment_id, Stage::Running),
        Command::StopExperiment { experiment_id } => move_to(state, experiment_id, Stage::Stopped),
        Command::ArchiveExperiment { experiment_id } => {
            move_to(state, experiment_id, Stage::Archived)
        }
        Command::ConcludeExperiment {
            experiment_id,
            decision,
            reason,
        } => {
            let found = find(state, experiment_id)?;
            let name = experiment_id.trim();
            if !found.stage.may_move_to(Stage::Concluded) {
                return Err(Error::InvalidTransition {
                    experiment: name.to_string(),
                    from: found.stage.name(),
                    to: Stage::Concluded.name(),
                });
            }
            let decision = decision.trim();
            if !found.variants.contains_key(decision) {
                return Err(Error::UnknownVariant {
                    experiment: name.to_string(),
                    variant: decision.to_string(),
                });
            }
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > 2000 {
                return Err(Error::MissingReason);
            }
            Ok(vec![Event::ExperimentConcluded {
                experiment: name.to_string(),
                decision: decision.to_string(),
                reason: reason.to_string(),
                at,
            }])
        }
    }
}

/// The experiment named `id` (trimmed).
fn find<'a>(state: &'a State, id: &str) -> Result<&'a Experiment, Error> {
    state
        .experiments
        .get(id.trim())
        .ok_or_else(|| Error::UnknownExperiment(id.to_string()))
}

/// Refuses counts and metrics outside `running`.
fn running(name: &str, experiment: &Experiment) -> Result<(), Error> {
    if experiment.stage.is_running() {
        Ok(())
    } else {
        Err(Error::NotRunning {
            experiment: name.to_string(),
            stage: experiment.stage.name(),
        })
    }
}

/// A lifecycle move, if the experiment's stage allows it.
fn move_to(state: &State, id: &str, to: Stage) -> Result<Vec<Event>, Error> {
    let from = find(state, id)?.stage;
    if !from.may_move_to(to) {
        return Err(Error::InvalidTransition {
            experiment: id.trim().to_string(),
            from: from.name(),
            to: to.name(),
        });
    }
    Ok(vec![Event::StageChanged {
        experiment: id.trim().to_string(),
        from,
        to,
    }])
}

/// Checks a metric batch: finite totals that real values could have
/// (`sum_squares >= sum^2 / n`, and all zero for an empty batch).
fn check_metric(n: u64, sum: f64, sum_squares: f64) -> Result<(), Error> {
    if !(sum.is_finite() && sum_squares.is_finite()) {
        return Err(Error::InvalidMetric(
            "sum and sum_squares must be finite numbers".to_string(),
        ));
    }
    let floor = if n == 0 { 0.0 } else { sum * sum / n as f64 };
    if (n == 0 && (sum != 0.0 || sum_squares != 0.0)) || sum_squares < floor * (1.0 - 1e-9) {
        return Err(Error::InvalidMetric(format!(
            "sum_squares ({sum_squares}) must be at least sum^2 / n ({floor}), as for any {n} real values"
        )));
    }
    Ok(())
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
                        stage: Stage::Running,
                        conclusion: None,
                        bucketing: None,
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
                        metric: None,
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
            Event::MetricRecorded {
                experiment,
                variant,
                n,
                sum,
                sum_squares,
                covariate,
            } => {
                if let Some(v) = self
                    .experiments
                    .get_mut(experiment)
                    .and_then(|e| e.variants.get_mut(variant))
                {
                    let totals = v.metric.unwrap_or_default();
                    let added = totals.plus(*n, *sum, *sum_squares, *covariate);
                    v.metric = Some(added.unwrap_or(totals));
                }
            }
            Event::ExperimentCreated {
                experiment,
                kind,
                bucketing,
            } => {
                self.experiments.insert(
                    experiment.clone(),
                    Experiment {
                        kind: *kind,
                        variants: BTreeMap::new(),
                        order: Vec::new(),
                        stage: Stage::Draft,
                        conclusion: None,
                        bucketing: bucketing.clone(),
                    },
                );
            }
            Event::StageChanged { experiment, to, .. } => {
                if let Some(e) = self.experiments.get_mut(experiment) {
                    e.stage = *to;
                }
            }
            Event::ExperimentConcluded {
                experiment,
                decision,
                reason,
                at,
            } => {
                if let Some(e) = self.experiments.get_mut(experiment) {
                    e.stage = Stage::Concluded;
                    e.conclusion = Some(Conclusion {
                        decision: decision.clone(),
                        reason: reason.clone(),
                        at: *at,
                    });
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
        let mut variants: Vec<VariantReport> = ordered
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
                    lift_ci_low: cmp.and_then(|c| c.lift_ci_low),
                    lift_ci_high: cmp.and_then(|c| c.lift_ci_high),
                    p_value: cmp.and_then(|c| c.p_value),
                    chance_to_beat: cmp.and_then(|c| c.chance_to_beat),
                    significant: cmp.map(|c| c.significant).unwrap_or(false),
                    metric: None,
                }
            })
            .collect();
        let metrics: Vec<Option<MetricTotals>> = ordered.iter().map(|(_, v)| v.metric).collect();
        if let Some(means) = mean_reports(&metrics, policy.winner.alpha) {
            for (v, m) in variants.iter_mut().zip(means) {
                v.metric = Some(m);
            }
        }
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
        let names: Vec<&str> = ordered.iter().map(|(n, _)| n.as_str()).collect();
        let reason = with_names(&reason, &names);
        Some(ExperimentReport {
            experiment: experiment.to_string(),
            kind: exp.kind,
            winner,
            reason,
            srm_p_value,
            srm_failed,
            variants,
            stage: exp.stage,
            conclusion: exp.conclusion.clone(),
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
            Command::RecordMetric {
                experiment_id,
                variant,
                ..
            } => format!("experiment/{}/{}", experiment_id.trim(), variant.trim()),
            Command::CreateExperiment { experiment_id, .. }
            | Command::StartExperiment { experiment_id }
            | Command::StopExperiment { experiment_id }
            | Command::ConcludeExperiment { experiment_id, .. }
            | Command::ArchiveExperiment { experiment_id } => {
                format!("experiment/{}", experiment_id.trim())
            }
        }
    }
}

impl BlockEvent for Event {
    /// Lifecycle moves say what changed; a conclusion says what was decided and why.
    fn detail(&self) -> Option<String> {
        match self {
            Event::StageChanged { from, to, .. } => {
                Some(format!("{} -> {}", from.name(), to.name()))
            }
            Event::ExperimentConcluded {
                decision, reason, ..
            } => Some(format!("concluded: keep {decision} ({reason})")),
            _ => None,
        }
    }

    /// The conclusion is a decision what-if can compare.
    fn decision(&self) -> Option<Decision> {
        match self {
            Event::ExperimentConcluded {
                experiment,
                decision,
                reason,
                ..
            } => Some(Decision::new(
                Kind::Command,
                format!("experiment/{experiment}"),
                Outcome::Status("concluded"),
                format!("keep {decision}: {reason}"),
            )),
            _ => None,
        }
    }
}

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

    fn lifecycle(cmd: &str, exp: &str) -> Command {
        let experiment_id = exp.to_string();
        match cmd {
            "create" => Command::CreateExperiment {
                experiment_id,
                kind: VariantKind::Script,
                hash_key: None,
                seed: None,
                hash_version: None,
                coverage: None,
            },
            "start" => Command::StartExperiment { experiment_id },
            "stop" => Command::StopExperiment { experiment_id },
            "archive" => Command::ArchiveExperiment { experiment_id },
            _ => Command::ConcludeExperiment {
                experiment_id,
                decision: "B".into(),
                reason: cmd.into(),
            },
        }
    }

    fn metric(exp: &str, var: &str, values: &[f64]) -> Command {
        Command::RecordMetric {
            experiment_id: exp.into(),
            variant: var.into(),
            n: values.len() as i64,
            sum: values.iter().sum(),
            sum_squares: values.iter().map(|x| x * x).sum(),
            covariate: None,
        }
    }

    fn stage(s: &State, exp: &str) -> Option<Stage> {
        s.experiments.get(exp).map(|e| e.stage)
    }

    #[test]
    fn counts_are_taken_only_while_an_experiment_runs() {
        let draft = given(&[
            lifecycle("create", "e"),
            register("e", "A", VariantKind::Script),
            register("e", "B", VariantKind::Script),
        ]);
        assert_eq!(stage(&draft, "e"), Some(Stage::Draft));
        let refused = |s: &State, cmd: Command| {
            decide(s, &Policy::default(), &cmd, at()).map_err(|e| e.code())
        };
        assert_eq!(refused(&draft, record("e", "A", 10, 1)), Err("not_running"));
        assert_eq!(
            refused(&draft, metric("e", "A", &[1.0, 2.0])),
            Err("not_running")
        );
        let running = given(&[
            lifecycle("create", "e"),
            register("e", "A", VariantKind::Script),
            register("e", "B", VariantKind::Script),
            lifecycle("start", "e"),
            record("e", "A", 10, 1),
        ]);
        assert_eq!(running.experiments["e"].variants["A"].trials, 10);
        let stopped = given(&[
            lifecycle("create", "e"),
            register("e", "A", VariantKind::Script),
            register("e", "B", VariantKind::Script),
            lifecycle("start", "e"),
            lifecycle("stop", "e"),
        ]);
        assert_eq!(
            refused(&stopped, record("e", "A", 10, 1)),
            Err("not_running")
        );
        // Stopped may resume or be concluded; a draft may not be concluded.
        assert!(refused(&stopped, lifecycle("start", "e")).is_ok());
        assert_eq!(
            refused(&draft, lifecycle("won", "e")),
            Err("invalid_transition")
        );
        assert_eq!(
            refused(&draft, lifecycle("create", "e")),
            Err("duplicate_experiment")
        );
    }

    #[test]
    fn a_conclusion_keeps_its_decision_and_reason_and_shows_in_the_audit_words() {
        let cmds = [
            register("e", "A", VariantKind::Script),
            register("e", "B", VariantKind::Script),
            lifecycle("B converts 20% better over 4000 leads", "e"),
        ];
        let s = given(&cmds);
        assert_eq!(stage(&s, "e"), Some(Stage::Concluded));
        let report = s.report("e", &Policy::default()).expect("report");
        let conclusion = report.conclusion.expect("conclusion");
        assert_eq!(
            (conclusion.decision.as_str(), conclusion.reason.as_str()),
            ("B", "B converts 20% better over 4000 leads")
        );
        let before = given(&cmds[..2]);
        let events = decide(&before, &Policy::default(), &cmds[2], at()).expect("concluded");
        let words = crate::contract::Words::of(&cmds[2], &events);
        assert_eq!(words.subject, "experiment/e");
        assert_eq!(
            words.detail,
            "concluded: keep B (B converts 20% better over 4000 leads)"
        );
        let refused =
            |cmd: Command| decide(&s, &Policy::default(), &cmd, at()).map_err(|e| e.code());
        assert_eq!(refused(record("e", "A", 1, 0)), Err("not_running"));
        assert_eq!(
            refused(register("e", "C", VariantKind::Script)),
            Err("not_running")
        );
        assert!(refused(lifecycle("archive", "e")).is_ok());
        let no_reason = Command::ConcludeExperiment {
            experiment_id: "e".into(),
            decision: "B".into(),
            reason: " ".into(),
        };
        assert_eq!(
            decide(&before, &Policy::default(), &no_reason, at()).map_err(|e| e.code()),
            Err("missing_reason")
        );
        let unknown = Command::ConcludeExperiment {
            experiment_id: "e".into(),
            decision: "Z".into(),
            reason: "r".into(),
        };
        assert_eq!(
            decide(&before, &Policy::default(), &unknown, at()).map_err(|e| e.code()),
            Err("unknown_variant")
        );
    }

    #[test]
    fn an_experiment_without_lifecycle_commands_runs_and_keeps_its_state_json() {
        let s = given(&[
            register("e", "A", VariantKind::Script),
            record("e", "A", 10, 1),
        ]);
        assert_eq!(stage(&s, "e"), Some(Stage::Running));
        let json = serde_json::to_string(&s).expect("json");
        assert!(
            !json.contains("stage") && !json.contains("metric") && !json.contains("conclusion"),
            "{json}"
        );
    }

    #[test]
    fn metric_batches_add_up_and_the_report_tests_the_means() {
        let s = given(&[
            register("e", "A", VariantKind::Script),
            register("e", "B", VariantKind::Script),
            metric("e", "A", &[90.0, 110.0, 100.0]),
            metric("e", "A", &[95.0, 105.0]),
            metric("e", "B", &[120.0, 125.0, 115.0, 118.0, 122.0]),
        ]);
        let a = s.experiments["e"].variants["A"].metric.expect("metric");
        assert_eq!((a.n, a.sum), (5, 500.0));
        let report = s.report("e", &Policy::default()).expect("report");
        let b = report.variants[1].metric.clone().expect("mean report");
        assert!(
            (b.mean - 120.0).abs() < 1e-12 && (b.lift.unwrap_or(0.0) - 0.2).abs() < 1e-12,
            "{b:?}"
        );
        assert!(
            b.ci_low < b.lift && b.lift < b.ci_high && b.p_value < Some(0.05),
            "{b:?}"
        );
        // Totals no values have are refused with the rule in the message.
        let impossible = Command::RecordMetric {
            experiment_id: "e".into(),
            variant: "A".into(),
            n: 2,
            sum: 10.0,
            sum_squares: 1.0,
            covariate: None,
        };
        let err = decide(&s, &Policy::default(), &impossible, at()).expect_err("refused");
        assert_eq!(err.code(), "invalid_metric");
        assert!(err.to_string().contains("at least sum^2 / n"), "{err}");
        let negative = Command::RecordMetric {
            experiment_id: "e".into(),
            variant: "A".into(),
            n: -1,
            sum: 0.0,
            sum_squares: 0.0,
            covariate: None,
        };
        assert_eq!(
            decide(&s, &Policy::default(), &negative, at()).map_err(|e| e.code()),
            Err("invalid_count")
        );
    }

    #[test]
    fn a_covariate_on_every_batch_makes_the_lift_cuped_and_mixing_is_refused() {
        // Post = pre + effect: the covariate explains most of the variance.
        let batch = |variant: &str, pre: &[f64], effect: f64| {
            let post: Vec<f64> = pre.iter().map(|x| x + effect).collect();
            Command::RecordMetric {
                experiment_id: "e".into(),
                variant: variant.into(),
                n: pre.len() as i64,
                sum: post.iter().sum(),
                sum_squares: post.iter().map(|x| x * x).sum(),
                covariate: Some(Covariate {
                    sum: pre.iter().sum(),
                    sum_squares: pre.iter().map(|x| x * x).sum(),
                    sum_products: pre.iter().zip(&post).map(|(x, y)| x * y).sum(),
                }),
            }
        };
        let pre = [80.0, 95.0, 100.0, 110.0, 120.0, 90.0, 105.0, 99.0];
        let s = given(&[
            register("e", "A", VariantKind::Script),
            register("e", "B", VariantKind::Script),
            batch("A", &pre, 0.5),
            batch("B", &pre, 10.0),
        ]);
        let report = s.report("e", &Policy::default()).expect("report");
        let b = report.variants[1].metric.clone().expect("mean report");
        assert_eq!(b.method, MeanMethod::Cuped);
        assert!(b.p_value < Some(0.001), "{b:?}");
        // The same totals without the covariate: Welch cannot tell the arms apart.
        let plain = MetricTotals {
            covariate: None,
            ..s.experiments["e"].variants["B"].metric.expect("totals")
        };
        let control = MetricTotals {
            covariate: None,
            ..s.experiments["e"].variants["A"].metric.expect("totals")
        };
        let welch = mean_reports(&[Some(control), Some(plain)], 0.05).expect("reports");
        assert!(welch[1].p_value > Some(0.05), "{:?}", welch[1]);
        // A batch without a covariate after batches with one is refused.
        let mut mixed = batch("A", &pre, 0.0);
        if let Command::RecordMetric { covariate, .. } = &mut mixed {
            *covariate = None;
        }
        let err = decide(&s, &Policy::default(), &mixed, at()).expect_err("refused");
        assert!(
            err.to_string().contains("with every batch or with none"),
            "{err}"
        );
    }

    #[test]
    fn the_report_carries_the_lift_interval_the_winner_rule_computed() {
        let s = given(&[
            register("e", "A", VariantKind::Script),
            register("e", "B", VariantKind::Script),
            record("e", "A", 1000, 100),
            record("e", "B", 1000, 180),
        ]);
        let report = s.report("e", &Policy::default()).expect("report");
        let b = &report.variants[1];
        let (low, high) = (b.lift_ci_low.expect("low"), b.lift_ci_high.expect("high"));
        assert!(low < 0.8 && 0.8 < high && low > 0.0, "{b:?}");
        assert_eq!(
            (
                report.variants[0].lift_ci_low,
                report.variants[0].lift_ci_high
            ),
            (None, None)
        );
    }

    #[test]
    fn an_experiment_created_with_bucketing_settings_keeps_them_and_bad_ones_are_refused() {
        let create = |hash_version: Option<u32>, coverage: Option<f64>| Command::CreateExperiment {
            experiment_id: " e ".into(),
            kind: VariantKind::Script,
            hash_key: Some("home-hero".into()),
            seed: Some("s-42".into()),
            hash_version,
            coverage,
        };
        let s = given(&[create(Some(1), Some(0.4))]);
        assert_eq!(
            s.experiments.get("e").and_then(|e| e.bucketing.clone()),
            Some(Bucketing {
                hash_key: "home-hero".into(),
                seed: Some("s-42".into()),
                hash_version: 1,
                coverage: 0.4,
            })
        );
        let empty = State::default();
        check(
            &empty,
            create(Some(7), None),
            Err(Error::InvalidBucketing(
                "hash_version (7) must be 1 or 2".into(),
            )),
        );
        check(
            &empty,
            create(None, Some(-0.1)),
            Err(Error::InvalidBucketing(
                "coverage (-0.1) must be a number from 0 to 1".into(),
            )),
        );
        // Without settings nothing is stored: the state is what it was before they existed.
        let plain = given(&[lifecycle("create", "e")]);
        assert_eq!(
            plain.experiments.get("e").map(|e| e.bucketing.is_none()),
            Some(true)
        );
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
