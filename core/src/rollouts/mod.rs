//! The rollouts block: staged rollout of a model version with automatic rollback.
//!
//! A rollout takes a challenger (or shadow) version of a model through stages (by default
//! Pilot 5%, Limited 25%, Production 100%). In each stage the version serves the stage's share
//! of units ([`route`]: GrowthBook's hash of the unit, so an app routes exactly as the console
//! shows) and the champion of the start (the *baseline*) serves the rest. Measurements come in
//! with [`Command::RecordRolloutMetrics`]; [`Command::EvaluateRollout`] (time comes with the
//! command) then advances, holds, or rolls back ([`assess`]): any breached criterion rolls back,
//! and the event names the criterion and by how much. Entering a stage with traffic 1 makes the
//! version the champion (the reducer adds the models block's `VersionPromoted`); a rollback or an
//! abort after that returns the model to its previous champion (the models block's
//! `RolledBack`). Each stage left leaves a checkpoint of what it measured.
//!
//! The block reads the model (its champion, the version's status, open regression and drift
//! alerts) as [`Inputs`] gathered by the reducer, never the other blocks' state.

mod assess;
mod checks;
mod error;
mod policy;
mod report;
mod route;
mod state;

pub use assess::*;
pub use checks::*;
pub use error::*;
pub use policy::*;
pub use report::*;
pub use route::*;
pub use state::*;

use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};
use chrono::{DateTime, Utc};
use semver::Version;
use serde::Serialize;
use std::collections::BTreeMap;

tagged_enum! {
/// Commands of the rollouts block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutsCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Starts rolling a challenger or shadow version out, against the model's champion.
    StartRollout {
        /// The rollout's id; derived from the log position and time when omitted.
        #[serde(default)]
        rollout_id: Option<String>,
        /// The model.
        model_id: String,
        /// The version to roll out (a challenger or a shadow).
        version: Version,
        /// The stages; the policy's when omitted.
        #[serde(default)]
        stages: Option<Vec<Stage>>,
    },
    /// Records what the new version measured in the current stage.
    RecordRolloutMetrics {
        /// The rollout.
        rollout_id: String,
        /// Requests it served.
        samples: i64,
        /// Of which failed (at most `samples`).
        errors: i64,
        /// Named measurements (`accuracy`, `latency_p95` in ms, ...), finite numbers.
        #[serde(default)]
        metrics: BTreeMap<String, f64>,
    },
    /// Advances, holds, or rolls back the rollout, by its current stage's criteria.
    EvaluateRollout {
        /// The rollout.
        rollout_id: String,
    },
    /// Holds the rollout at its stage's share; evaluations wait.
    PauseRollout {
        /// The rollout.
        rollout_id: String,
    },
    /// Resumes a paused rollout.
    ResumeRollout {
        /// The rollout.
        rollout_id: String,
    },
    /// Stops the rollout by hand; the previous champion serves again.
    AbortRollout {
        /// The rollout.
        rollout_id: String,
        /// Why (non-empty; kept in the rollout and the audit).
        reason: String,
    },
}
}

tagged_enum! {
/// Events of the rollouts block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutsEvent"))]
pub enum Event {
    /// A rollout started in its first stage.
    RolloutStarted {
        /// The rollout.
        rollout_id: String,
        /// The model.
        model_id: String,
        /// The version rolled out.
        version: Version,
        /// The champion it is measured against and returns to.
        baseline: Version,
        /// Its stages.
        stages: Vec<Stage>,
        /// Whether the first stage already serves everyone (the version becomes champion).
        promotes: bool,
        /// When.
        at: DateTime<Utc>,
    },
    /// Measurements of the current stage were recorded.
    RolloutMetricsRecorded {
        /// The rollout.
        rollout_id: String,
        /// The stage they belong to.
        stage: String,
        /// Requests served.
        samples: u64,
        /// Of which failed.
        errors: u64,
        /// Named measurements.
        metrics: BTreeMap<String, f64>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An evaluation found nothing breached but minimums not met yet.
    RolloutHeld {
        /// The rollout.
        rollout_id: String,
        /// The stage.
        stage: String,
        /// What is missing.
        reasons: Vec<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An evaluation passed the stage: the next one begins (checkpoint recorded).
    StageAdvanced {
        /// The rollout.
        rollout_id: String,
        /// The model.
        model_id: String,
        /// The version rolled out.
        version: Version,
        /// The stage left.
        from: String,
        /// The index of the stage entered.
        to: usize,
        /// Its name.
        stage: String,
        /// Its traffic share.
        traffic: f64,
        /// Whether the version becomes champion (the stage serves everyone).
        promotes: bool,
        /// When.
        at: DateTime<Utc>,
    },
    /// The last stage passed: the version stays champion.
    RolloutCompleted {
        /// The rollout.
        rollout_id: String,
        /// The model.
        model_id: String,
        /// The version rolled out.
        version: Version,
        /// The stage passed.
        stage: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A criterion was breached: the rollout is rolled back.
    RolloutRolledBack {
        /// The rollout.
        rollout_id: String,
        /// The model.
        model_id: String,
        /// The version rolled back.
        version: Version,
        /// The champion that serves again.
        baseline: Version,
        /// The stage it failed in.
        stage: String,
        /// Each breached criterion, and by how much.
        breaches: Vec<Breach>,
        /// The breaches in words.
        reason: String,
        /// Whether the version had become champion (the model returns to its previous one).
        restores: bool,
        /// When.
        at: DateTime<Utc>,
    },
    /// The rollout was paused.
    RolloutPaused {
        /// The rollout.
        rollout_id: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The rollout was resumed.
    RolloutResumed {
        /// The rollout.
        rollout_id: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The rollout was stopped by hand.
    RolloutAborted {
        /// The rollout.
        rollout_id: String,
        /// The model.
        model_id: String,
        /// The version.
        version: Version,
        /// The champion that serves again.
        baseline: Version,
        /// Why.
        reason: String,
        /// Whether the version had become champion (the model returns to its previous one).
        restores: bool,
        /// When.
        at: DateTime<Utc>,
    },
}
}

/// What the block needs to know of the model a command is about (gathered by the reducer).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inputs {
    /// The model, if registered.
    pub model: Option<ModelFacts>,
}

/// The facts of one model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelFacts {
    /// Its champion.
    pub champion: Option<Version>,
    /// The status name of the version a `StartRollout` names (none: no such version).
    pub version_status: Option<String>,
    /// Open regression and drift alerts on the model ("alert-3 on accuracy/lead-scorer").
    pub open_alerts: Vec<String>,
}

fn require_name(field: &'static str, value: &str) -> Result<(), Error> {
    crate::clean_name(value)
        .map(|_| ())
        .ok_or(Error::InvalidName { field })
}

fn rollout<'a>(state: &'a State, rollout_id: &str) -> Result<&'a Rollout, Error> {
    state.get(rollout_id).ok_or_else(|| Error::UnknownRollout {
        rollout_id: rollout_id.into(),
    })
}

fn needs(
    r: &Rollout,
    ok: &[Status],
    action: &'static str,
    needed: &'static str,
) -> Result<(), Error> {
    if ok.contains(&r.status) {
        Ok(())
    } else {
        Err(Error::WrongStatus {
            rollout_id: r.rollout_id.clone(),
            status: r.status.name(),
            action,
            needed,
        })
    }
}

fn count(field: &'static str, v: i64) -> Result<u64, Error> {
    crate::count(v).ok_or(Error::NegativeCount { field })
}

/// Holds the block's rules: validates the command and says what happened. `new_id` is the id
/// a `StartRollout` without one gets.
pub fn decide(
    state: &State,
    policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
    inputs: &Inputs,
    new_id: &str,
) -> Result<Vec<Event>, Error> {
    policy.validate()?;
    match cmd {
        Command::StartRollout {
            rollout_id,
            model_id,
            version,
            stages,
        } => {
            let rollout_id = rollout_id.as_deref().unwrap_or(new_id).trim().to_string();
            require_name("rollout_id", &rollout_id)?;
            require_name("model_id", model_id)?;
            if state.get(&rollout_id).is_some() {
                return Err(Error::DuplicateRollout { rollout_id });
            }
            let Some(model) = &inputs.model else {
                return Err(Error::UnknownModel {
                    model_id: model_id.clone(),
                });
            };
            let Some(status) = &model.version_status else {
                return Err(Error::UnknownVersion {
                    model_id: model_id.clone(),
                    version: version.clone(),
                });
            };
            if status != "challenger" && status != "shadow" {
                return Err(Error::NotRollable {
                    version: version.clone(),
                    status: status.clone(),
                });
            }
            let Some(baseline) = model.champion.clone() else {
                return Err(Error::NoChampion {
                    model_id: model_id.clone(),
                });
            };
            if let Some(active) = state.active_for(model_id) {
                return Err(Error::AlreadyRollingOut {
                    model_id: model_id.clone(),
                    rollout_id: active.rollout_id.clone(),
                });
            }
            let stages = stages.clone().unwrap_or_else(|| policy.stages.clone());
            validate_stages(&stages)?;
            let promotes = stages.first().is_some_and(|s| s.traffic >= 1.0);
            Ok(vec![Event::RolloutStarted {
                rollout_id,
                model_id: model_id.clone(),
                version: version.clone(),
                baseline,
                stages,
                promotes,
                at,
            }])
        }
        Command::RecordRolloutMetrics {
            rollout_id,
            samples,
            errors,
            metrics,
        } => {
            let r = rollout(state, rollout_id)?;
            let samples = count("samples", *samples)?;
            let errors = count("errors", *errors)?;
            if errors > samples {
                return Err(Error::ErrorsExceedSamples { errors, samples });
            }
            for (name, value) in metrics {
                require_name("metric", name)?;
                if !value.is_finite() {
                    return Err(Error::MetricNotFinite {
                        metric: name.clone(),
                    });
                }
            }
            needs(
                r,
                &[Status::Running, Status::Paused],
                "RecordRolloutMetrics",
                "running or paused",
            )?;
            Ok(vec![Event::RolloutMetricsRecorded {
                rollout_id: r.rollout_id.clone(),
                stage: r
                    .current_stage()
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                samples,
                errors,
                metrics: metrics.clone(),
                at,
            }])
        }
        Command::EvaluateRollout { rollout_id } => {
            let r = rollout(state, rollout_id)?;
            needs(r, &[Status::Running], "EvaluateRollout", "running")?;
            let alerts = inputs
                .model
                .as_ref()
                .map(|m| m.open_alerts.clone())
                .unwrap_or_default();
            let stage = r
                .current_stage()
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let (_, verdict) = assess(r, &alerts, at);
            Ok(vec![match verdict {
                Verdict::Hold(reasons) => Event::RolloutHeld {
                    rollout_id: r.rollout_id.clone(),
                    stage,
                    reasons,
                    at,
                },
                Verdict::Advance => {
                    let to = r.stage + 1;
                    let next = &r.stages[to];
                    Event::StageAdvanced {
                        rollout_id: r.rollout_id.clone(),
                        model_id: r.model_id.clone(),
                        version: r.version.clone(),
                        from: stage,
                        to,
                        stage: next.name.clone(),
                        traffic: next.traffic,
                        promotes: next.traffic >= 1.0 && !r.promoted,
                        at,
                    }
                }
                Verdict::Complete => Event::RolloutCompleted {
                    rollout_id: r.rollout_id.clone(),
                    model_id: r.model_id.clone(),
                    version: r.version.clone(),
                    stage,
                    at,
                },
                Verdict::RollBack(breaches) => Event::RolloutRolledBack {
                    rollout_id: r.rollout_id.clone(),
                    model_id: r.model_id.clone(),
                    version: r.version.clone(),
                    baseline: r.baseline.clone(),
                    reason: format!("rolled back at {stage}: {}", join(&breaches)),
                    stage,
                    breaches,
                    restores: r.promoted,
                    at,
                },
            }])
        }
        Command::PauseRollout { rollout_id } => {
            let r = rollout(state, rollout_id)?;
            needs(r, &[Status::Running], "PauseRollout", "running")?;
            Ok(vec![Event::RolloutPaused {
                rollout_id: r.rollout_id.clone(),
                at,
            }])
        }
        Command::ResumeRollout { rollout_id } => {
            let r = rollout(state, rollout_id)?;
            needs(r, &[Status::Paused], "ResumeRollout", "paused")?;
            Ok(vec![Event::RolloutResumed {
                rollout_id: r.rollout_id.clone(),
                at,
            }])
        }
        Command::AbortRollout { rollout_id, reason } => {
            let r = rollout(state, rollout_id)?;
            if reason.trim().is_empty() {
                return Err(Error::InvalidName { field: "reason" });
            }
            needs(
                r,
                &[Status::Running, Status::Paused],
                "AbortRollout",
                "running or paused",
            )?;
            Ok(vec![Event::RolloutAborted {
                rollout_id: r.rollout_id.clone(),
                model_id: r.model_id.clone(),
                version: r.version.clone(),
                baseline: r.baseline.clone(),
                reason: reason.trim().to_string(),
                restores: r.promoted,
                at,
            }])
        }
    }
}

/// A rollout decision that differs under another policy, in words, for what-if: "under
/// the alternative policy rollout/r would have rolled back at Pilot (error rate <= 0.01
/// breached: 0.02 (by 0.01)) instead of advancing to Limited". `original` and `alternative`
/// are the decisions' outcomes ("advanced to Limited", "held at Pilot", "completed",
/// "rolled back at Pilot"), `reason` the alternative's reason.
pub fn what_if_words(subject: &str, original: &str, alternative: &str, reason: &str) -> String {
    // "advanced to X" -> "advancing to X", as the thing that did happen.
    let happened = |o: &str| match o.split_once(' ') {
        Some(("advanced", rest)) => format!("advancing {rest}"),
        Some(("rolled", rest)) => format!("rolling {rest}"),
        Some(("held", rest)) => format!("holding {rest}"),
        _ if o == "completed" => "completing".to_string(),
        _ => o.to_string(),
    };
    // A rollback's reason repeats its outcome ("rolled back at Pilot: ..."): said once.
    let reason = reason
        .strip_prefix(alternative)
        .map_or(reason, |r| r.trim_start_matches(':').trim_start());
    let why = if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    };
    let criterion = if alternative.starts_with("rolled back") {
        "a stricter criterion"
    } else if original.starts_with("rolled back") {
        "a looser criterion"
    } else {
        "the alternative policy"
    };
    format!(
        "under {criterion} {subject} would have {alternative}{why} instead of {}",
        happened(original)
    )
}

impl Event {
    /// The rollout the event is about.
    pub fn rollout_id(&self) -> &str {
        match self {
            Event::RolloutStarted { rollout_id, .. }
            | Event::RolloutMetricsRecorded { rollout_id, .. }
            | Event::RolloutHeld { rollout_id, .. }
            | Event::StageAdvanced { rollout_id, .. }
            | Event::RolloutCompleted { rollout_id, .. }
            | Event::RolloutRolledBack { rollout_id, .. }
            | Event::RolloutPaused { rollout_id, .. }
            | Event::RolloutResumed { rollout_id, .. }
            | Event::RolloutAborted { rollout_id, .. } => rollout_id,
        }
    }
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, events: &[Event]) -> String {
        let id = match self {
            Command::StartRollout { rollout_id, .. } => events
                .first()
                .map(|e| e.rollout_id().to_string())
                .or_else(|| rollout_id.clone())
                .unwrap_or_default(),
            Command::RecordRolloutMetrics { rollout_id, .. }
            | Command::EvaluateRollout { rollout_id }
            | Command::PauseRollout { rollout_id }
            | Command::ResumeRollout { rollout_id }
            | Command::AbortRollout { rollout_id, .. } => rollout_id.clone(),
        };
        format!("rollout/{id}")
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::EvaluateRollout { .. } => Kind::Rollout,
            _ => Kind::Command,
        }
    }
}

impl BlockEvent for Event {
    fn detail(&self) -> Option<String> {
        match self {
            Event::RolloutStarted {
                model_id,
                version,
                baseline,
                stages,
                ..
            } => Some(format!(
                "{model_id} {version} against {baseline} in {} stages",
                stages.len()
            )),
            Event::RolloutHeld { stage, reasons, .. } => {
                Some(format!("held at {stage}: {}", reasons.join("; ")))
            }
            Event::StageAdvanced {
                from,
                stage,
                traffic,
                ..
            } => Some(format!(
                "advanced from {from} to {stage} ({}%)",
                round(traffic * 100.0)
            )),
            Event::RolloutCompleted { version, .. } => {
                Some(format!("completed: {version} is champion"))
            }
            Event::RolloutRolledBack {
                reason, baseline, ..
            } => Some(format!("{reason}; {baseline} serves")),
            Event::RolloutAborted {
                reason, baseline, ..
            } => Some(format!("aborted: {reason}; {baseline} serves")),
            Event::RolloutPaused { .. } => Some("paused".into()),
            Event::RolloutResumed { .. } => Some("resumed".into()),
            Event::RolloutMetricsRecorded { .. } => None,
        }
    }

    fn decision(&self) -> Option<Decision> {
        let subject = format!("rollout/{}", self.rollout_id());
        let (outcome, reason) = match self {
            Event::RolloutHeld { stage, reasons, .. } => (
                Outcome::Stage(format!("held at {stage}")),
                reasons.join("; "),
            ),
            Event::StageAdvanced { stage, .. } => (
                Outcome::Stage(format!("advanced to {stage}")),
                String::new(),
            ),
            Event::RolloutCompleted { .. } => (Outcome::Stage("completed".into()), String::new()),
            Event::RolloutRolledBack { stage, reason, .. } => (
                Outcome::Stage(format!("rolled back at {stage}")),
                reason.clone(),
            ),
            _ => return None,
        };
        Some(Decision::new(Kind::Rollout, subject, outcome, reason))
    }
}

#[cfg(test)]
mod tests;
