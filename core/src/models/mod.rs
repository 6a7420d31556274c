//! Block 26, safe model updates: versioned models with lineage, a champion and a challenger,
//! accuracy-guarded updates and promotions, and rollback to the previous champion.
//!
//! The life of a version:
//! - [`Command::ProposeUpdate`] records a new version (a semantic version, its parent, the
//!   strategy that produced it and its measured accuracy). If an incremental or full-retrain
//!   version loses more accuracy than the policy's `max_accuracy_drop` against the current
//!   champion, it is refused: the refusal is an event ([`Event::UpdateRefused`]), recorded in
//!   the lineage and the history, not an error, so the audit trail shows every attempt.
//! - An accepted incremental or full-retrain version becomes the challenger (it serves a share
//!   of traffic beside the champion; a newer challenger retires the older one). A shadow
//!   version is always accepted: it only runs on copies of traffic and never serves until
//!   promoted, so it is the safe way to measure a doubtful version
//!   ([`Command::RecordAccuracy`] updates its accuracy as evidence comes in).
//! - The first accepted non-shadow version of a model has nobody to challenge, so it is
//!   promoted to champion at once.
//! - [`Command::PromoteVersion`] makes a challenger or shadow the champion, checking accuracy
//!   again against the champion of that moment (it may have changed since the proposal), and,
//!   under the policy's evidence rule, the evidence: [`Command::RecordArmEvidence`] adds the
//!   outcomes of the challenger's arm and the champion's arm over the same window, and the
//!   promotion needs enough samples per arm, a significant two-proportion z-test and a large
//!   enough relative improvement, with no open critical alert on the challenger (see
//!   `evidence`). A refusal lists every failing reason. [`Command::OverridePromotion`]
//!   promotes anyway, with a reason, and is audited as an override with what it bypassed.
//! - Each version carries named metrics and metadata ([`Command::RecordVersionMetrics`]);
//!   [`State::compare_versions`] compares two versions metric by metric and recommends.
//! - [`Command::PromoteToEnvironment`] deploys a version to one of the policy's environments
//!   (at most one version each), recording actor and reason: `environments` keeps which
//!   version was where, when.
//! - [`Command::RollBack`] restores the champion that came before the current one. Previous
//!   champions form a stack, so repeated rollbacks walk back through every promotion.

mod compare;
mod environments;
mod error;
mod evidence;
mod metric_evidence;
mod propose;
use propose::propose_update;
mod policy;
mod queries;
mod registry;
mod report;
mod semver_range;
mod words;

mod checks;
use checks::*;
use words::{failed_rollout_reason, loss_reason};

pub use compare::*;
pub use environments::*;
pub use error::*;
pub use evidence::*;
pub use metric_evidence::*;

pub use policy::*;
pub use queries::*;
pub use registry::*;
pub use report::*;
pub use semver_range::*;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A semantic version, re-exported so callers need not depend on `semver`.
pub type SemVer = semver::Version;

/// Slack when comparing an accuracy drop with the tolerance, so a drop of exactly the
/// tolerance (0.90 -> 0.88 against 0.02, which is 0.020000000000000018 in f64) is allowed.
const DROP_EPSILON: f64 = 1e-12;

tagged_enum! {
/// Commands of the models block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelsCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Registers a model with no versions yet.
    RegisterModel {
        /// The model's id (non-empty, unique).
        model_id: String,
        /// Human-readable name (non-empty).
        name: String,
    },
    /// Proposes a new version; accepted as challenger or shadow, or refused for accuracy loss.
    ProposeUpdate {
        /// The model.
        model_id: String,
        /// The new version (unique within the model, greater than its parent); give it or
        /// `bump`, not both.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<SemVer>,
        /// The new version as the next patch, minor or major version of the parent; give it
        /// or `version`, not both.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bump: Option<Bump>,
        /// The version it derives from; when omitted, the current champion (none if the model
        /// has no champion).
        #[serde(default)]
        parent: Option<SemVer>,
        /// How it was produced.
        strategy: Strategy,
        /// Its measured accuracy, in [0, 1].
        accuracy: f64,
        /// Who made it (a person or a training pipeline); kept on the version. Left out of
        /// the JSON when absent, so earlier logs hash as before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        created_by: Option<String>,
    },
    /// Records a new accuracy measurement of a version (not a refused one), e.g. a shadow's
    /// accuracy on live traffic before its promotion.
    RecordAccuracy {
        /// The model.
        model_id: String,
        /// The version measured.
        version: SemVer,
        /// Its measured accuracy, in [0, 1].
        accuracy: f64,
    },
    /// Makes a challenger or shadow the champion, if it does not lose too much accuracy and,
    /// under the evidence rule, its evidence against the champion passes.
    PromoteVersion {
        /// The model.
        model_id: String,
        /// The version to promote.
        version: SemVer,
    },
    /// Adds one window of outcomes of a challenger or shadow and of the champion over the
    /// same traffic: the evidence `PromoteVersion` tests.
    RecordArmEvidence {
        /// The model.
        model_id: String,
        /// The challenger or shadow measured.
        version: SemVer,
        /// The champion arm's outcomes in the window.
        champion: ArmCounts,
        /// The challenger arm's outcomes in the same window.
        challenger: ArmCounts,
    },
    /// Adds one window of a continuous metric (deal value, latency) of a challenger or shadow
    /// and of the champion over the same traffic: the evidence `PromoteVersion` then tests,
    /// with Welch's t-test on the means.
    RecordMetricEvidence {
        /// The model.
        model_id: String,
        /// The challenger or shadow measured.
        version: SemVer,
        /// The metric (one per champion: a new champion starts the evidence over).
        metric: String,
        /// Whether a higher or a lower mean is better.
        direction: crate::outcomes::Direction,
        /// The champion arm's totals in the window.
        champion: MeanArm,
        /// The challenger arm's totals in the same window.
        challenger: MeanArm,
    },
    /// Makes a challenger or shadow the champion although the evidence or accuracy rule
    /// does not hold: a manual override, with a reason, audited with what it bypassed.
    OverridePromotion {
        /// The model.
        model_id: String,
        /// The version to promote.
        version: SemVer,
        /// Why (non-empty; kept in the history and the audit).
        reason: String,
    },
    /// Records named metrics and metadata of a version (each replaces the value of the same
    /// name).
    RecordVersionMetrics {
        /// The model.
        model_id: String,
        /// The version.
        version: SemVer,
        /// Metric values by name (finite numbers), e.g. `f1`, `latency_p95`.
        #[serde(default)]
        metrics: BTreeMap<String, f64>,
        /// Facts by key, e.g. `training_data`, `commit`.
        #[serde(default)]
        metadata: BTreeMap<String, String>,
    },
    /// Deploys a version to an environment (one of the policy's), replacing the one there.
    PromoteToEnvironment {
        /// The model.
        model_id: String,
        /// The version to deploy (not a refused one).
        version: SemVer,
        /// The environment.
        environment: String,
        /// Why (non-empty).
        reason: String,
    },
    /// Restores the previous champion.
    RollBack {
        /// The model.
        model_id: String,
        /// Why (non-empty; kept in the history and the audit).
        reason: String,
    },
}
}

tagged_enum! {
/// Events of the models block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelsEvent"))]
pub enum Event {
    /// A model was registered.
    ModelRegistered {
        /// The model.
        model_id: String,
        /// Its name.
        name: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A version was accepted as `Challenger` (retiring any older challenger) or `Shadow`.
    UpdateAccepted {
        /// The model.
        model_id: String,
        /// The new version.
        version: SemVer,
        /// Its parent.
        parent: Option<SemVer>,
        /// How it was produced.
        strategy: Strategy,
        /// Its accuracy.
        accuracy: f64,
        /// `Challenger` or `Shadow`.
        status: Status,
        /// Who made it, when the proposal said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        created_by: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A version was refused for losing accuracy; it is kept in the lineage as `Refused`.
    UpdateRefused {
        /// The model.
        model_id: String,
        /// The refused version.
        version: SemVer,
        /// Its parent.
        parent: Option<SemVer>,
        /// How it was produced.
        strategy: Strategy,
        /// Its accuracy.
        accuracy: f64,
        /// The champion it was compared with.
        champion: SemVer,
        /// The champion's accuracy.
        champion_accuracy: f64,
        /// The tolerance applied.
        max_accuracy_drop: f64,
        /// A human-readable reason.
        reason: String,
        /// Who made it, when the proposal said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        created_by: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A version's accuracy was measured again.
    AccuracyRecorded {
        /// The model.
        model_id: String,
        /// The version.
        version: SemVer,
        /// The new accuracy.
        accuracy: f64,
        /// The accuracy it replaces.
        previous: f64,
        /// When.
        at: DateTime<Utc>,
    },
    /// A version became champion; the previous champion (if any) goes on the rollback stack.
    VersionPromoted {
        /// The model.
        model_id: String,
        /// The new champion.
        version: SemVer,
        /// The champion it replaced.
        previous_champion: Option<SemVer>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A promotion was refused for losing accuracy or, under the evidence rule, for its
    /// evidence; the version keeps its status.
    PromotionRefused {
        /// The model.
        model_id: String,
        /// The version not promoted.
        version: SemVer,
        /// Its accuracy.
        accuracy: f64,
        /// The champion it was compared with.
        champion: SemVer,
        /// The champion's accuracy.
        champion_accuracy: f64,
        /// The tolerance applied.
        max_accuracy_drop: f64,
        /// A human-readable reason (every reason, joined by "; ").
        reason: String,
        /// Every failing reason, under the evidence rule.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reasons: Vec<String>,
        /// The evidence as tested, under the evidence rule (boxed: most events are small).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assessment: Option<Box<Assessment>>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The champion was rolled back to the previous champion.
    RolledBack {
        /// The model.
        model_id: String,
        /// The champion rolled back.
        from: SemVer,
        /// The champion restored.
        to: SemVer,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A window of outcomes was added to a challenger's evidence against the champion.
    ArmEvidenceRecorded {
        /// The model.
        model_id: String,
        /// The challenger or shadow.
        version: SemVer,
        /// The champion it was measured against.
        champion: SemVer,
        /// The champion arm's outcomes in the window.
        champion_arm: ArmCounts,
        /// The challenger arm's outcomes in the window.
        challenger_arm: ArmCounts,
        /// When.
        at: DateTime<Utc>,
    },
    /// A window of a continuous metric was added to a challenger's evidence.
    MetricEvidenceRecorded {
        /// The model.
        model_id: String,
        /// The challenger or shadow.
        version: SemVer,
        /// The champion it was measured against.
        champion: SemVer,
        /// The metric.
        metric: String,
        /// Whether a higher or a lower mean is better.
        direction: crate::outcomes::Direction,
        /// The champion arm's totals in the window.
        champion_arm: MeanArm,
        /// The challenger arm's totals in the window.
        challenger_arm: MeanArm,
        /// When.
        at: DateTime<Utc>,
    },
    /// A version became champion by a manual override; the previous champion goes on the
    /// rollback stack, as for a promotion.
    PromotionOverridden {
        /// The model.
        model_id: String,
        /// The new champion.
        version: SemVer,
        /// The champion it replaced.
        previous_champion: Option<SemVer>,
        /// Why the rule was overridden.
        reason: String,
        /// The reasons the promotion would have been refused (empty if none).
        bypassed: Vec<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Metrics and metadata of a version were recorded.
    VersionMetricsRecorded {
        /// The model.
        model_id: String,
        /// The version.
        version: SemVer,
        /// Metric values by name.
        metrics: BTreeMap<String, f64>,
        /// Facts by key.
        metadata: BTreeMap<String, String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A version was deployed to an environment.
    EnvironmentPromoted {
        /// The model.
        model_id: String,
        /// The environment.
        environment: String,
        /// The version now there.
        version: SemVer,
        /// The version it replaced there.
        previous: Option<SemVer>,
        /// Who did it.
        actor: Option<String>,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
}
}

impl State {
    /// Makes `entry.version` the model's champion and records it in the history: a
    /// promotion on evidence and an override differ only in the entry's kind and reason.
    fn record_promotion(&mut self, model_id: &str, entry: HistoryEntry) {
        if let Some(model) = self.models.get_mut(model_id) {
            model.promote(&entry.version, entry.previous_champion.as_ref());
            model.history.push(entry);
        }
    }

    /// Folds an event into the state.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::ModelRegistered { model_id, name, at } => {
                self.models.insert(
                    model_id.clone(),
                    Model {
                        name: name.clone(),
                        versions: Vec::new(),
                        champion: None,
                        challenger: None,
                        previous_champions: Vec::new(),
                        history: Vec::new(),
                        registered_at: *at,
                        environments: BTreeMap::new(),
                        environment_history: Vec::new(),
                    },
                );
            }
            Event::UpdateAccepted {
                model_id,
                version,
                parent,
                strategy,
                accuracy,
                status,
                created_by,
                at,
            } => {
                let Some(model) = self.models.get_mut(model_id) else {
                    return;
                };
                if *status == Status::Challenger {
                    if let Some(old) = model.challenger.take() {
                        model.set_status(&old, Status::Retired);
                    }
                    model.challenger = Some(version.clone());
                }
                model.versions.push(Version {
                    version: version.clone(),
                    parent: parent.clone(),
                    strategy: *strategy,
                    accuracy: *accuracy,
                    status: *status,
                    proposed_at: *at,
                    metrics: BTreeMap::new(),
                    metadata: BTreeMap::new(),
                    evidence: None,
                    metric_evidence: None,
                    created_by: created_by.clone(),
                });
                model.history.push(HistoryEntry {
                    kind: HistoryKind::Accepted,
                    version: version.clone(),
                    previous_champion: model.champion.clone(),
                    reason: String::new(),
                    at: *at,
                });
            }
            Event::UpdateRefused {
                model_id,
                version,
                parent,
                strategy,
                accuracy,
                champion,
                reason,
                created_by,
                at,
                ..
            } => {
                let Some(model) = self.models.get_mut(model_id) else {
                    return;
                };
                model.versions.push(Version {
                    version: version.clone(),
                    parent: parent.clone(),
                    strategy: *strategy,
                    accuracy: *accuracy,
                    status: Status::Refused,
                    proposed_at: *at,
                    metrics: BTreeMap::new(),
                    metadata: BTreeMap::new(),
                    evidence: None,
                    metric_evidence: None,
                    created_by: created_by.clone(),
                });
                model.history.push(HistoryEntry {
                    kind: HistoryKind::UpdateRefused,
                    version: version.clone(),
                    previous_champion: Some(champion.clone()),
                    reason: reason.clone(),
                    at: *at,
                });
            }
            Event::AccuracyRecorded {
                model_id,
                version,
                accuracy,
                ..
            } => {
                if let Some(v) = self
                    .models
                    .get_mut(model_id)
                    .and_then(|m| m.version_mut(version))
                {
                    v.accuracy = *accuracy;
                }
            }
            Event::VersionPromoted {
                model_id,
                version,
                previous_champion,
                at,
            } => {
                self.record_promotion(
                    model_id,
                    HistoryEntry {
                        kind: HistoryKind::Promoted,
                        version: version.clone(),
                        previous_champion: previous_champion.clone(),
                        reason: String::new(),
                        at: *at,
                    },
                );
            }
            Event::PromotionOverridden {
                model_id,
                version,
                previous_champion,
                reason,
                at,
                ..
            } => {
                self.record_promotion(
                    model_id,
                    HistoryEntry {
                        kind: HistoryKind::PromotedByOverride,
                        version: version.clone(),
                        previous_champion: previous_champion.clone(),
                        reason: reason.clone(),
                        at: *at,
                    },
                );
            }
            Event::ArmEvidenceRecorded {
                model_id, version, ..
            }
            | Event::MetricEvidenceRecorded {
                model_id, version, ..
            }
            | Event::VersionMetricsRecorded {
                model_id, version, ..
            } => {
                if let Some(v) = self
                    .models
                    .get_mut(model_id)
                    .and_then(|m| m.version_mut(version))
                {
                    v.apply_measurement(event);
                }
            }
            Event::EnvironmentPromoted { model_id, .. } => {
                if let Some(model) = self.models.get_mut(model_id) {
                    model.apply_environment_change(event);
                }
            }
            Event::PromotionRefused {
                model_id,
                version,
                champion,
                reason,
                at,
                ..
            } => {
                let Some(model) = self.models.get_mut(model_id) else {
                    return;
                };
                model.history.push(HistoryEntry {
                    kind: HistoryKind::PromotionRefused,
                    version: version.clone(),
                    previous_champion: Some(champion.clone()),
                    reason: reason.clone(),
                    at: *at,
                });
            }
            Event::RolledBack {
                model_id,
                from,
                to,
                reason,
                at,
            } => {
                let Some(model) = self.models.get_mut(model_id) else {
                    return;
                };
                if model.previous_champions.last() == Some(to) {
                    model.previous_champions.pop();
                }
                model.set_status(from, Status::RolledBack);
                model.set_status(to, Status::Champion);
                model.champion = Some(to.clone());
                model.history.push(HistoryEntry {
                    kind: HistoryKind::RolledBack,
                    version: to.clone(),
                    previous_champion: Some(from.clone()),
                    reason: reason.clone(),
                    at: *at,
                });
            }
        }
    }
}

/// The champion a candidate is compared with, when the candidate loses too much accuracy
/// against it; `None` when there is no champion or the loss is within tolerance.
fn accuracy_loss<'a>(model: &'a Model, accuracy: f64, policy: &Policy) -> Option<&'a Version> {
    model
        .champion()
        .filter(|c| c.accuracy - accuracy > policy.max_accuracy_drop + DROP_EPSILON)
}

/// Holds the block's rules: validates the command and says what happened.
pub fn decide(
    state: &State,
    policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
    ctx: &Context,
) -> Result<Vec<Event>, Error> {
    policy.validate()?;
    match cmd {
        Command::RegisterModel { model_id, name } => {
            require_name("model_id", model_id)?;
            require_name("name", name)?;
            if state.models.contains_key(model_id) {
                return Err(Error::DuplicateModel {
                    model_id: model_id.clone(),
                });
            }
            Ok(vec![Event::ModelRegistered {
                model_id: model_id.clone(),
                name: name.clone(),
                at,
            }])
        }
        Command::ProposeUpdate { .. } => propose_update(state, policy, cmd, at),
        Command::RecordAccuracy {
            model_id,
            version,
            accuracy,
        } => {
            let model = model(state, model_id)?;
            check_accuracy(*accuracy)?;
            let Some(measured) = model.version(version) else {
                return Err(Error::UnknownVersion {
                    model_id: model_id.clone(),
                    version: version.clone(),
                });
            };
            if measured.status == Status::Refused {
                return Err(Error::RefusedVersion {
                    version: version.clone(),
                });
            }
            Ok(vec![Event::AccuracyRecorded {
                model_id: model_id.clone(),
                version: version.clone(),
                accuracy: *accuracy,
                previous: measured.accuracy,
                at,
            }])
        }
        Command::PromoteVersion { model_id, version } => {
            let model = model(state, model_id)?;
            let candidate = promotable(model, model_id, version)?;
            let failed = ctx.failed_rollout.as_ref();
            let Some(champion) = model.champion() else {
                if let Some(rollout_id) = failed {
                    return Err(Error::FailedRollout {
                        version: version.clone(),
                        rollout_id: rollout_id.clone(),
                    });
                }
                return Ok(vec![Event::VersionPromoted {
                    model_id: model_id.clone(),
                    version: version.clone(),
                    previous_champion: None,
                    at,
                }]);
            };
            let assessment = policy
                .evidence
                .as_ref()
                .map(|rule| assess(candidate, champion, rule, &ctx.critical_alerts));
            let mut reasons = promotion_reasons(model, candidate, policy, assessment.as_ref());
            if let Some(rollout_id) = failed {
                reasons.insert(0, failed_rollout_reason(version, rollout_id));
            }
            if reasons.is_empty() {
                return Ok(vec![Event::VersionPromoted {
                    model_id: model_id.clone(),
                    version: version.clone(),
                    previous_champion: Some(champion.version.clone()),
                    at,
                }]);
            }
            Ok(vec![Event::PromotionRefused {
                model_id: model_id.clone(),
                version: version.clone(),
                accuracy: candidate.accuracy,
                champion: champion.version.clone(),
                champion_accuracy: champion.accuracy,
                max_accuracy_drop: policy.max_accuracy_drop,
                reason: reasons.join("; "),
                // Without the evidence rule (and a failed rollout) the one reason is
                // `reason`, as before the rule existed.
                reasons: if assessment.is_some() || failed.is_some() {
                    reasons
                } else {
                    Vec::new()
                },
                assessment: assessment.map(Box::new),
                at,
            }])
        }
        Command::RecordArmEvidence {
            model_id,
            version,
            champion,
            challenger,
        } => record_evidence(
            model(state, model_id)?,
            model_id,
            version,
            champion,
            challenger,
            at,
        ),
        Command::RecordMetricEvidence {
            model_id,
            version,
            metric,
            direction,
            champion,
            challenger,
        } => {
            let m = model(state, model_id)?;
            record_metric_evidence(
                m, model_id, version, metric, *direction, champion, challenger, at,
            )
        }
        Command::OverridePromotion {
            model_id,
            version,
            reason,
        } => {
            let m = model(state, model_id)?;
            override_promotion(m, policy, ctx, model_id, version, reason, at)
        }
        Command::RecordVersionMetrics {
            model_id,
            version,
            metrics,
            metadata,
        } => record_metrics(
            model(state, model_id)?,
            model_id,
            version,
            metrics,
            metadata,
            at,
        ),
        Command::PromoteToEnvironment {
            model_id,
            version,
            environment,
            reason,
        } => {
            let m = model(state, model_id)?;
            let change = promote_to_environment(
                m,
                policy,
                model_id,
                version,
                environment,
                reason,
                ctx.actor.as_deref(),
                at,
            )?;
            Ok(vec![Event::EnvironmentPromoted {
                model_id: model_id.clone(),
                environment: change.environment,
                version: change.version,
                previous: change.previous,
                actor: change.actor,
                reason: change.reason,
                at,
            }])
        }
        Command::RollBack { model_id, reason } => {
            let model = model(state, model_id)?;
            require("reason", reason)?;
            let Some(from) = model.champion.clone() else {
                return Err(Error::NoChampion {
                    model_id: model_id.clone(),
                });
            };
            let Some(to) = model.previous_champions.last().cloned() else {
                return Err(Error::NoRollbackTarget {
                    model_id: model_id.clone(),
                });
            };
            Ok(vec![Event::RolledBack {
                model_id: model_id.clone(),
                from,
                to,
                reason: reason.clone(),
                at,
            }])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // The block's `Strategy` (how a version was made), not proptest's trait of that name.
    use super::Strategy;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use proptest::strategy::Strategy as _;

    pub(super) fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0)
            .single()
            .expect("valid test time")
    }

    pub(super) fn v(s: &str) -> SemVer {
        SemVer::parse(s).expect("valid test version")
    }

    pub(super) fn register(model_id: &str) -> Command {
        Command::RegisterModel {
            model_id: model_id.into(),
            name: "Objection handler".into(),
        }
    }

    pub(super) fn propose(version: &str, strategy: Strategy, accuracy: f64) -> Command {
        Command::ProposeUpdate {
            model_id: "m1".into(),
            version: Some(v(version)),
            bump: None,
            parent: None,
            strategy,
            accuracy,
            created_by: None,
        }
    }

    pub(super) fn promote(version: &str) -> Command {
        Command::PromoteVersion {
            model_id: "m1".into(),
            version: v(version),
        }
    }

    /// One window of outcomes of `version` against the champion.
    pub(super) fn evidence(version: &str, champion: (u64, u64), challenger: (u64, u64)) -> Command {
        Command::RecordArmEvidence {
            model_id: "m1".into(),
            version: v(version),
            champion: ArmCounts {
                correct: champion.0,
                total: champion.1,
            },
            challenger: ArmCounts {
                correct: challenger.0,
                total: challenger.1,
            },
        }
    }

    /// Evidence that passes the default rule: 80% against 85% on 1,000 samples per arm
    /// (lift 6.25%, z-test p = 0.0034).
    pub(super) fn passing(version: &str) -> Command {
        evidence(version, (800, 1_000), (850, 1_000))
    }

    pub(super) fn rollback() -> Command {
        Command::RollBack {
            model_id: "m1".into(),
            reason: "conversion fell".into(),
        }
    }

    /// Runs commands in order, folding the events of each; fails the test on an error.
    pub(super) fn given(commands: &[Command]) -> State {
        let mut state = State::default();
        for cmd in commands {
            let events = decide(&state, &Policy::default(), cmd, t(), &Context::default())
                .expect("given commands succeed");
            for e in &events {
                state.apply(e);
            }
        }
        state
    }

    /// when(command) on a state; checks decide did not mutate it.
    pub(super) fn when(state: &State, cmd: &Command) -> Result<Vec<Event>, Error> {
        let before = state.clone();
        let result = decide(state, &Policy::default(), cmd, t(), &Context::default());
        assert_eq!(state, &before, "decide must not mutate");
        result
    }

    pub(super) fn fold(mut state: State, events: &[Event]) -> State {
        for e in events {
            state.apply(e);
        }
        state
    }

    #[test]
    fn who_made_a_version_is_kept_on_it_and_absent_when_not_given() {
        // Given a model, when 1.0.0 is proposed by the training pipeline,
        let state = given(&[register("m1")]);
        let cmd = Command::ProposeUpdate {
            model_id: "m1".into(),
            version: Some(v("1.0.0")),
            bump: None,
            parent: None,
            strategy: Strategy::FullRetrain,
            accuracy: 0.8,
            created_by: Some("train-pipeline".into()),
        };
        let after = fold(state.clone(), &when(&state, &cmd).expect("valid"));
        // then the version says so;
        let version = after.model("m1").and_then(|m| m.version(&v("1.0.0")));
        assert_eq!(
            version.and_then(|x| x.created_by.as_deref()),
            Some("train-pipeline")
        );
        // without it, the command's and the version's JSON carry no `created_by` (earlier
        // logs and states hash as before);
        let plain = propose("1.0.0", Strategy::FullRetrain, 0.8);
        let json = serde_json::to_string(&plain).unwrap_or_default();
        assert!(!json.contains("created_by"), "{json}");
        let state = fold(state.clone(), &when(&state, &plain).expect("valid"));
        let json = serde_json::to_string(&state).unwrap_or_default();
        assert!(!json.contains("created_by"), "{json}");
        // and an empty name is an error.
        let empty = Command::ProposeUpdate {
            model_id: "m1".into(),
            version: Some(v("1.1.0")),
            bump: None,
            parent: None,
            strategy: Strategy::Incremental,
            accuracy: 0.8,
            created_by: Some(" ".into()),
        };
        assert_eq!(
            when(&state, &empty),
            Err(Error::Empty {
                field: "created_by"
            })
        );
    }

    #[test]
    fn first_version_becomes_champion() {
        let state = given(&[register("m1")]);
        let events = when(&state, &propose("1.0.0", Strategy::FullRetrain, 0.80)).expect("valid");
        assert_eq!(
            events,
            vec![
                Event::UpdateAccepted {
                    model_id: "m1".into(),
                    version: v("1.0.0"),
                    parent: None,
                    strategy: Strategy::FullRetrain,
                    accuracy: 0.80,
                    status: Status::Challenger,
                    created_by: None,
                    at: t(),
                },
                Event::VersionPromoted {
                    model_id: "m1".into(),
                    version: v("1.0.0"),
                    previous_champion: None,
                    at: t(),
                },
            ]
        );
        let state = fold(state, &events);
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("1.0.0")));
        assert!(state.challenger("m1").is_none());
        assert!(state.rollback_target("m1").is_none());
    }

    #[test]
    fn update_within_tolerance_becomes_challenger_with_champion_as_parent() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.90),
        ]);
        // exactly the tolerance (0.02) is allowed
        let events = when(&state, &propose("1.1.0", Strategy::Incremental, 0.88)).expect("valid");
        assert_eq!(events.len(), 1);
        assert!(matches!(
            &events[0],
            Event::UpdateAccepted { parent: Some(p), status: Status::Challenger, .. } if *p == v("1.0.0")
        ));
        let state = fold(state, &events);
        assert_eq!(
            state.challenger("m1").map(|c| &c.version),
            Some(&v("1.1.0"))
        );
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("1.0.0")));
    }

    #[test]
    fn update_losing_accuracy_is_refused_as_an_event_and_recorded() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.90),
        ]);
        let events = when(&state, &propose("1.1.0", Strategy::Incremental, 0.85))
            .expect("refusal is not an error");
        assert_eq!(events.len(), 1);
        let Event::UpdateRefused {
            champion,
            champion_accuracy,
            max_accuracy_drop,
            reason,
            ..
        } = &events[0]
        else {
            panic!("expected a refusal, got {events:?}");
        };
        assert_eq!(champion, &v("1.0.0"));
        assert_eq!(*champion_accuracy, 0.90);
        assert_eq!(*max_accuracy_drop, 0.02);
        assert_eq!(
            reason,
            "accuracy 0.85 of 1.1.0 is 0.0500 below champion 1.0.0 (0.9), more than the allowed 0.02"
        );
        let state = fold(state, &events);
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("1.0.0")));
        assert_eq!(state.version_accuracy("m1", &v("1.1.0")), Some(0.85));
        let model = state.model("m1").expect("registered");
        assert_eq!(
            model.version(&v("1.1.0")).map(|x| x.status),
            Some(Status::Refused)
        );
        assert_eq!(
            state.history("m1").last().map(|h| h.kind),
            Some(HistoryKind::UpdateRefused)
        );
        // A refused version can be neither promoted nor built upon.
        assert_eq!(
            when(&state, &promote("1.1.0")),
            Err(Error::NotPromotable {
                version: v("1.1.0"),
                status: Status::Refused
            })
        );
        let from_refused = Command::ProposeUpdate {
            model_id: "m1".into(),
            version: Some(v("1.2.0")),
            bump: None,
            parent: Some(v("1.1.0")),
            strategy: Strategy::Incremental,
            accuracy: 0.95,
            created_by: None,
        };
        assert_eq!(
            when(&state, &from_refused),
            Err(Error::RefusedParent { parent: v("1.1.0") })
        );
    }

    #[test]
    fn shadow_never_serves_until_promoted() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.80),
            propose("2.0.0", Strategy::Shadow, 0.85),
        ]);
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("1.0.0")));
        assert!(state.challenger("m1").is_none());
        let model = state.model("m1").expect("registered");
        assert_eq!(
            model.version(&v("2.0.0")).map(|x| x.status),
            Some(Status::Shadow)
        );
        let state = fold(
            state.clone(),
            &when(&state, &passing("2.0.0")).expect("valid"),
        );
        let state = fold(
            state.clone(),
            &when(&state, &promote("2.0.0")).expect("valid"),
        );
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("2.0.0")));
        assert_eq!(
            state.rollback_target("m1").map(|c| &c.version),
            Some(&v("1.0.0"))
        );

        // A shadow as the first version does not become champion by itself.
        let state = given(&[register("m1"), propose("0.1.0", Strategy::Shadow, 0.7)]);
        assert!(state.champion("m1").is_none());
    }

    #[test]
    fn doubtful_shadow_is_accepted_measured_and_promoted_only_when_good_enough() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.90),
            propose("2.0.0", Strategy::Shadow, 0.70),
        ]);
        assert_eq!(
            state
                .model("m1")
                .and_then(|m| m.version(&v("2.0.0")))
                .map(|x| x.status),
            Some(Status::Shadow)
        );
        let refused = when(&state, &promote("2.0.0")).expect("refusal is not an error");
        assert!(matches!(&refused[..], [Event::PromotionRefused { .. }]));
        let measure = Command::RecordAccuracy {
            model_id: "m1".into(),
            version: v("2.0.0"),
            accuracy: 0.91,
        };
        let events = when(&state, &measure).expect("valid");
        assert_eq!(
            events,
            vec![Event::AccuracyRecorded {
                model_id: "m1".into(),
                version: v("2.0.0"),
                accuracy: 0.91,
                previous: 0.70,
                at: t(),
            }]
        );
        let state = fold(state, &events);
        assert_eq!(state.version_accuracy("m1", &v("2.0.0")), Some(0.91));
        let state = fold(
            state.clone(),
            &when(&state, &passing("2.0.0")).expect("valid"),
        );
        let state = fold(
            state.clone(),
            &when(&state, &promote("2.0.0")).expect("valid"),
        );
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("2.0.0")));
        // a refused version cannot be measured again
        let state = fold(
            state.clone(),
            &when(&state, &propose("2.1.0", Strategy::Incremental, 0.5)).expect("valid"),
        );
        let remeasure = Command::RecordAccuracy {
            model_id: "m1".into(),
            version: v("2.1.0"),
            accuracy: 0.95,
        };
        assert_eq!(
            when(&state, &remeasure).map_err(|e| e.to_string()),
            Err("version 2.1.0 was refused; propose a new version instead".to_string())
        );
        let bad = Command::RecordAccuracy {
            model_id: "m1".into(),
            version: v("2.0.0"),
            accuracy: f64::INFINITY,
        };
        assert_eq!(when(&state, &bad), Err(Error::AccuracyNotFinite));
    }

    #[test]
    fn promotion_is_rechecked_against_the_current_champion() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.80),
            propose("1.1.0", Strategy::Shadow, 0.80),
            propose("1.2.0", Strategy::Incremental, 0.90),
            passing("1.2.0"),
            promote("1.2.0"),
        ]);
        let events = when(&state, &promote("1.1.0")).expect("refusal is not an error");
        assert!(matches!(
            &events[..],
            [Event::PromotionRefused { champion, .. }] if *champion == v("1.2.0")
        ));
        let after = fold(state.clone(), &events);
        assert_eq!(after.champion("m1").map(|c| &c.version), Some(&v("1.2.0")));
        assert_eq!(
            after
                .model("m1")
                .and_then(|m| m.version(&v("1.1.0")))
                .map(|x| x.status),
            Some(Status::Shadow)
        );
        assert_eq!(
            after.history("m1").last().map(|h| h.kind),
            Some(HistoryKind::PromotionRefused)
        );
    }

    #[test]
    fn newer_challenger_retires_the_older_one() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.80),
            propose("1.1.0", Strategy::Incremental, 0.81),
            propose("1.2.0", Strategy::Incremental, 0.82),
        ]);
        assert_eq!(
            state.challenger("m1").map(|c| &c.version),
            Some(&v("1.2.0"))
        );
        assert_eq!(
            when(&state, &promote("1.1.0")).map_err(|e| e.to_string()),
            Err(
                "version 1.1.0 is retired; only a challenger or a shadow can be promoted"
                    .to_string()
            )
        );
    }

    #[test]
    fn rollback_restores_previous_champion_and_is_in_history() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.80),
            propose("1.1.0", Strategy::Incremental, 0.82),
            passing("1.1.0"),
            promote("1.1.0"),
        ]);
        assert_eq!(
            state.rollback_target("m1").map(|c| &c.version),
            Some(&v("1.0.0"))
        );
        let events = when(&state, &rollback()).expect("valid");
        assert_eq!(
            events,
            vec![Event::RolledBack {
                model_id: "m1".into(),
                from: v("1.1.0"),
                to: v("1.0.0"),
                reason: "conversion fell".into(),
                at: t(),
            }]
        );
        let state = fold(state, &events);
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("1.0.0")));
        assert_eq!(
            state
                .model("m1")
                .and_then(|m| m.version(&v("1.1.0")))
                .map(|x| x.status),
            Some(Status::RolledBack)
        );
        let kinds: Vec<HistoryKind> = state.history("m1").iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            vec![
                HistoryKind::Accepted,
                HistoryKind::Promoted,
                HistoryKind::Accepted,
                HistoryKind::Promoted,
                HistoryKind::RolledBack
            ]
        );
        // Nothing left to roll back to.
        assert_eq!(
            when(&state, &rollback()),
            Err(Error::NoRollbackTarget {
                model_id: "m1".into()
            })
        );
    }

    #[test]
    fn rollback_errors() {
        let state = given(&[register("m1")]);
        assert_eq!(
            when(&state, &rollback()),
            Err(Error::NoChampion {
                model_id: "m1".into()
            })
        );
        let state = given(&[register("m1"), propose("1.0.0", Strategy::FullRetrain, 0.8)]);
        assert_eq!(
            when(&state, &rollback()).map_err(|e| e.to_string()),
            Err("model m1 has no previous champion to roll back to".to_string())
        );
        let no_reason = Command::RollBack {
            model_id: "m1".into(),
            reason: " ".into(),
        };
        assert_eq!(
            when(&state, &no_reason),
            Err(Error::Empty { field: "reason" })
        );
    }

    #[test]
    fn ids_and_names_follow_the_shared_naming_rule() {
        let state = State::default();
        for bad in ["m\u{0}1".to_string(), "x".repeat(201)] {
            let err = when(&state, &register(&bad)).expect_err("refused");
            assert_eq!(err, Error::InvalidName { field: "model_id" });
            assert_eq!(err.code(), "invalid_name");
        }
        let named = Command::RegisterModel {
            model_id: "m1".into(),
            name: "Lead scorer\u{1b}[2J".into(),
        };
        assert_eq!(
            when(&state, &named).map_err(|e| e.to_string()),
            Err("name must be at most 200 characters and free of control characters".into())
        );
        assert!(when(&state, &register(&"x".repeat(200))).is_ok());
    }

    #[test]
    fn invalid_commands_are_typed_errors() {
        let state = given(&[register("m1"), propose("1.0.0", Strategy::FullRetrain, 0.8)]);
        assert_eq!(
            when(&state, &register("m1")),
            Err(Error::DuplicateModel {
                model_id: "m1".into()
            })
        );
        assert_eq!(
            when(&state, &register("")),
            Err(Error::Empty { field: "model_id" })
        );
        assert_eq!(
            when(
                &state,
                &Command::RegisterModel {
                    model_id: "m2".into(),
                    name: String::new()
                }
            )
            .map_err(|e| e.code()),
            Err("empty")
        );
        assert_eq!(
            when(&state, &propose("1.0.0", Strategy::Incremental, 0.8)),
            Err(Error::DuplicateVersion {
                model_id: "m1".into(),
                version: v("1.0.0")
            })
        );
        assert_eq!(
            when(&state, &propose("0.9.0", Strategy::Incremental, 0.8)),
            Err(Error::VersionNotNewer {
                version: v("0.9.0"),
                parent: v("1.0.0")
            })
        );
        assert_eq!(
            when(&state, &propose("1.1.0", Strategy::Incremental, 1.2)).map_err(|e| e.to_string()),
            Err("accuracy 1.2 is outside [0, 1]".to_string())
        );
        assert_eq!(
            when(&state, &propose("1.1.0", Strategy::Incremental, f64::NAN)),
            Err(Error::AccuracyNotFinite)
        );
        assert_eq!(
            when(&state, &propose("1.1.0", Strategy::Incremental, -0.1)),
            Err(Error::AccuracyOutOfRange { value: -0.1 })
        );
        let unknown_parent = Command::ProposeUpdate {
            model_id: "m1".into(),
            version: Some(v("3.0.0")),
            bump: None,
            parent: Some(v("2.0.0")),
            strategy: Strategy::Incremental,
            accuracy: 0.8,
            created_by: None,
        };
        assert_eq!(
            when(&state, &unknown_parent).map_err(|e| e.code()),
            Err("unknown_version")
        );
        let unknown_model = Command::PromoteVersion {
            model_id: "nope".into(),
            version: v("1.0.0"),
        };
        assert_eq!(
            when(&state, &unknown_model),
            Err(Error::UnknownModel {
                model_id: "nope".into()
            })
        );
        assert_eq!(
            when(&state, &promote("1.0.0")),
            Err(Error::NotPromotable {
                version: v("1.0.0"),
                status: Status::Champion
            })
        );
        assert_eq!(
            when(&state, &promote("9.9.9")).map_err(|e| e.code()),
            Err("unknown_version")
        );
        let bad_policy = Policy {
            max_accuracy_drop: f64::NAN,
            ..Policy::default()
        };
        assert_eq!(
            decide(
                &state,
                &bad_policy,
                &promote("1.0.0"),
                t(),
                &Context::default()
            )
            .map_err(|e| e.code()),
            Err("max_accuracy_drop_out_of_range")
        );
        assert_eq!(Policy::default().validate(), Ok(()));
    }

    #[test]
    fn explicit_parent_builds_a_branch_in_the_lineage() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.80),
            propose("1.1.0", Strategy::Incremental, 0.81),
            passing("1.1.0"),
            promote("1.1.0"),
            Command::ProposeUpdate {
                model_id: "m1".into(),
                version: Some(v("1.0.1")),
                bump: None,
                parent: Some(v("1.0.0")),
                strategy: Strategy::Incremental,
                accuracy: 0.805,
                created_by: None,
            },
        ]);
        let report = state.models();
        assert_eq!(report.len(), 1);
        let lineage: Vec<(String, Option<String>)> = report[0]
            .versions
            .iter()
            .map(|x| {
                (
                    x.version.to_string(),
                    x.parent.as_ref().map(ToString::to_string),
                )
            })
            .collect();
        assert_eq!(
            lineage,
            vec![
                ("1.0.0".to_string(), None),
                ("1.1.0".to_string(), Some("1.0.0".to_string())),
                ("1.0.1".to_string(), Some("1.0.0".to_string())),
            ]
        );
        assert_eq!(report[0].champion, Some(v("1.1.0")));
        assert_eq!(report[0].challenger, Some(v("1.0.1")));
        assert_eq!(report[0].rollback_target, Some(v("1.0.0")));
    }

    #[test]
    fn json_shapes() {
        let cmd: Command = serde_json::from_value(serde_json::json!({
            "type": "ProposeUpdate",
            "model_id": "m1",
            "version": "1.1.0",
            "strategy": "full_retrain",
            "accuracy": 0.9
        }))
        .expect("deserializes");
        assert_eq!(
            cmd,
            Command::ProposeUpdate {
                model_id: "m1".into(),
                version: Some(v("1.1.0")),
                bump: None,
                parent: None,
                strategy: Strategy::FullRetrain,
                accuracy: 0.9,
                created_by: None,
            }
        );
        let state = given(&[register("m1"), propose("1.0.0", Strategy::FullRetrain, 0.9)]);
        let report = serde_json::to_value(state.models()).expect("serializes");
        assert_eq!(report[0]["modelId"], "m1");
        assert_eq!(report[0]["champion"], "1.0.0");
        assert_eq!(report[0]["versions"][0]["status"], "champion");
        assert_eq!(report[0]["versions"][0]["accuracy"], 0.9);
        let events = when(&state, &propose("1.1.0", Strategy::Incremental, 0.5)).expect("valid");
        let json = serde_json::to_value(&events[0]).expect("serializes");
        assert_eq!(json["type"], "UpdateRefused");
        assert_eq!(json["champion"], "1.0.0");
        assert_eq!(json["strategy"], "incremental");
    }

    #[derive(Debug, Clone)]
    enum Op {
        Propose(Strategy, f64),
        PromoteLatest,
        MeasureLatest(f64),
        /// Outcomes of the latest version and the champion: (correct, total) per arm.
        EvidenceLatest((u64, u64), (u64, u64)),
        RollBack,
    }

    fn arm() -> impl proptest::strategy::Strategy<Value = (u64, u64)> {
        (1u64..3_000).prop_flat_map(|total| (0..=total, Just(total)))
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        prop_oneof![
            (
                prop_oneof![
                    Just(Strategy::Incremental),
                    Just(Strategy::FullRetrain),
                    Just(Strategy::Shadow)
                ],
                0.0f64..=1.0
            )
                .prop_map(|(s, a)| Op::Propose(s, a)),
            Just(Op::PromoteLatest),
            (0.0f64..=1.0).prop_map(Op::MeasureLatest),
            (arm(), arm()).prop_map(|(a, b)| Op::EvidenceLatest(a, b)),
            Just(Op::RollBack),
        ]
    }

    proptest! {
        /// For any sequence of updates, measurements, evidence, promotions and rollbacks: a
        /// rollback always restores the champion before the current one, fails with a clear
        /// error exactly when there is none, a champion never loses more than the tolerance
        /// against the one it replaced by promotion, and a promotion over a champion always
        /// had evidence that passes the policy's rule (enough samples, p, improvement).
        #[test]
        fn rollback_always_restores_the_previous_champion(ops in proptest::collection::vec(op(), 0..40)) {
            let policy = Policy::default();
            let mut state = given(&[register("m1")]);
            // The champions as the test sees them: a stack, like the model's.
            let mut champions: Vec<SemVer> = Vec::new();
            let mut next_minor = 0u64;
            for op in ops {
                let cmd = match op {
                    Op::Propose(strategy, accuracy) => {
                        next_minor += 1;
                        Command::ProposeUpdate {
                            model_id: "m1".into(),
                            version: Some(SemVer::new(1, next_minor, 0)),
                            bump: None,
                            parent: None,
                            strategy,
                            accuracy,
                            created_by: None,
                        }
                    }
                    Op::PromoteLatest => match state.model("m1").and_then(|m| m.versions.last()) {
                        Some(latest) => promote(&latest.version.to_string()),
                        None => continue,
                    },
                    Op::MeasureLatest(accuracy) => match state.model("m1").and_then(|m| m.versions.last()) {
                        Some(latest) => Command::RecordAccuracy {
                            model_id: "m1".into(),
                            version: latest.version.clone(),
                            accuracy,
                        },
                        None => continue,
                    },
                    Op::EvidenceLatest(champion, challenger) => match state.model("m1").and_then(|m| m.versions.last()) {
                        Some(latest) => evidence(&latest.version.to_string(), champion, challenger),
                        None => continue,
                    },
                    Op::RollBack => rollback(),
                };
                let before = state.clone();
                let result = decide(&state, &policy, &cmd, t(), &Context::default());
                prop_assert_eq!(&state, &before);
                match (&cmd, result) {
                    (Command::RollBack { .. }, Ok(events)) => {
                        prop_assert!(champions.len() >= 2);
                        let current = champions.pop();
                        let expected = champions.last().cloned();
                        prop_assert_eq!(state.rollback_target("m1").map(|x| x.version.clone()), expected.clone());
                        state = fold(state, &events);
                        prop_assert_eq!(state.champion("m1").map(|x| x.version.clone()), expected);
                        prop_assert_ne!(state.champion("m1").map(|x| x.version.clone()), current);
                    }
                    (Command::RollBack { .. }, Err(e)) => {
                        prop_assert!(champions.len() < 2);
                        let expected = if champions.is_empty() { "no_champion" } else { "no_rollback_target" };
                        prop_assert_eq!(e.code(), expected);
                    }
                    (_, Ok(events)) => {
                        for e in &events {
                            if let Event::VersionPromoted { version, previous_champion, .. } = e {
                                prop_assert_eq!(previous_champion.as_ref(), champions.last());
                                if let Some(prev) = previous_champion {
                                    let prev_acc = state.version_accuracy("m1", prev).unwrap_or(0.0);
                                    let new_acc = state.version_accuracy("m1", version).unwrap_or(0.0);
                                    prop_assert!(prev_acc - new_acc <= policy.max_accuracy_drop + 1e-9);
                                    let rule = policy.evidence.clone().unwrap_or_default();
                                    let ev = state.model("m1").and_then(|m| m.version(version)).and_then(|x| x.evidence.clone());
                                    let Some(ev) = ev else {
                                        return Err(TestCaseError::fail("promoted without evidence"));
                                    };
                                    prop_assert_eq!(&ev.champion, prev);
                                    prop_assert!(ev.champion_arm.total >= rule.min_samples_per_arm);
                                    prop_assert!(ev.challenger_arm.total >= rule.min_samples_per_arm);
                                    prop_assert!(ev.challenger_arm.rate() >= ev.champion_arm.rate() * (1.0 + rule.min_relative_improvement) - 1e-9);
                                }
                                champions.push(version.clone());
                            }
                        }
                        state = fold(state, &events);
                    }
                    (_, Err(e)) => {
                        let expected = matches!(e.code(), "not_promotable" | "refused_version" | "not_measurable" | "no_champion_to_compare");
                        prop_assert!(expected, "unexpected error {:?}", e);
                    }
                }
                prop_assert_eq!(state.champion("m1").map(|x| x.version.clone()), champions.last().cloned());
            }
        }
    }
}
