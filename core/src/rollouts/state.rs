//! The rollouts block's state: every rollout with its stages, where it stands, what the
//! current stage has measured, and a checkpoint per stage left; `apply` folds events.

use super::{Event, Stage, Version};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a rollout stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutStatus"))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Serving its stage's share and measuring.
    Running,
    /// Holding its stage's share; evaluations wait for a resume.
    Paused,
    /// Passed its last stage: the version is the champion.
    Completed,
    /// A criterion was breached: the previous champion serves again.
    RolledBack,
    /// Stopped by hand: the previous champion serves again.
    Aborted,
}

impl Status {
    /// The status as it appears in messages and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Completed => "completed",
            Status::RolledBack => "rolled_back",
            Status::Aborted => "aborted",
        }
    }

    /// Running or paused: the rollout still routes traffic.
    pub fn is_active(self) -> bool {
        matches!(self, Status::Running | Status::Paused)
    }
}

/// What the current stage has measured (counts summed, metrics averaged weighted by samples).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutMeasures"))]
pub struct Measures {
    /// Requests served by the new version in this stage.
    pub samples: u64,
    /// Of which failed.
    pub errors: u64,
    /// Each metric's sample-weighted mean over the stage's recordings.
    pub metrics: BTreeMap<String, f64>,
}

impl Measures {
    /// errors / samples (none without samples).
    pub fn error_rate(&self) -> Option<f64> {
        (self.samples > 0).then(|| self.errors as f64 / self.samples as f64)
    }

    /// Adds one recording: counts summed, metrics weighted by their samples (a recording
    /// without samples counts as one, so a metric is never lost).
    pub(super) fn add(&mut self, samples: u64, errors: u64, metrics: &BTreeMap<String, f64>) {
        let before = self.samples as f64;
        let weight = samples.max(1) as f64;
        for (name, value) in metrics {
            let mean = match self.metrics.get(name) {
                Some(old) if before > 0.0 => (old * before + value * weight) / (before + weight),
                _ => *value,
            };
            self.metrics.insert(name.clone(), mean);
        }
        self.samples = self.samples.saturating_add(samples);
        self.errors = self.errors.saturating_add(errors);
    }
}

/// A criterion that failed, and by how much.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutBreach"))]
#[serde(rename_all = "camelCase")]
pub struct Breach {
    /// Which criterion ("accuracy >= 0.85", "error rate <= 0.05", "open alerts").
    pub criterion: String,
    /// The measured value (for alerts: how many are open).
    pub value: f64,
    /// The threshold.
    pub threshold: f64,
    /// How far past the threshold (always positive).
    pub by: f64,
}

impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} breached: {} (by {})",
            self.criterion,
            round(self.value),
            round(self.by)
        )
    }
}

/// A number shown to 4 decimals, without trailing zeros.
pub(super) fn round(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// What a stage showed when it was left (advanced, completed, rolled back or aborted).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutCheckpoint"))]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    /// The stage's name.
    pub stage: String,
    /// Its traffic share.
    pub traffic: f64,
    /// What it measured.
    pub measures: Measures,
    /// `advanced`, `completed`, `rolled_back` or `aborted`.
    pub decision: String,
    /// The breaches that rolled it back (empty otherwise).
    pub breaches: Vec<Breach>,
    /// When the stage began.
    pub started_at: DateTime<Utc>,
    /// When it was left.
    pub at: DateTime<Utc>,
}

/// One rollout.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    /// Its id.
    pub rollout_id: String,
    /// The model.
    pub model_id: String,
    /// The version rolled out.
    pub version: Version,
    /// The champion when it started: serves the rest of the traffic, and is returned to.
    pub baseline: Version,
    /// Its stages.
    pub stages: Vec<Stage>,
    /// The index of the current (or last) stage.
    pub stage: usize,
    /// Where it stands.
    pub status: Status,
    /// Whether the version became champion (on entering a stage with traffic 1).
    pub promoted: bool,
    /// What the current stage has measured.
    pub current: Measures,
    /// When the current stage began.
    pub stage_started_at: DateTime<Utc>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// One per stage left.
    pub checkpoints: Vec<Checkpoint>,
    /// Why it ended (rollback breaches or abort reason); empty while active or completed.
    pub reason: String,
}

impl Rollout {
    /// The current stage.
    pub fn current_stage(&self) -> Option<&Stage> {
        self.stages.get(self.stage)
    }

    /// The share of units the new version serves now: the stage's while active, 1 when
    /// completed, 0 when rolled back or aborted.
    pub fn traffic(&self) -> f64 {
        match self.status {
            Status::Running | Status::Paused => self.current_stage().map_or(0.0, |s| s.traffic),
            Status::Completed => 1.0,
            Status::RolledBack | Status::Aborted => 0.0,
        }
    }

    fn leave(&mut self, decision: &str, breaches: Vec<Breach>, at: DateTime<Utc>) {
        let (stage, traffic) = self
            .current_stage()
            .map_or((String::new(), 0.0), |s| (s.name.clone(), s.traffic));
        self.checkpoints.push(Checkpoint {
            stage,
            traffic,
            measures: std::mem::take(&mut self.current),
            decision: decision.into(),
            breaches,
            started_at: self.stage_started_at,
            at,
        });
    }
}

/// Every rollout by id.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RolloutsState"))]
pub struct State {
    /// Rollouts by id.
    pub rollouts: BTreeMap<String, Rollout>,
}

impl State {
    /// No rollout yet (then the state is left out of the brain's JSON and hash, so states
    /// written before this block existed keep their hashes).
    pub fn is_empty(&self) -> bool {
        self.rollouts.is_empty()
    }

    /// A rollout by id.
    pub fn get(&self, rollout_id: &str) -> Option<&Rollout> {
        self.rollouts.get(rollout_id)
    }

    /// The model's running or paused rollout.
    pub fn active_for(&self, model_id: &str) -> Option<&Rollout> {
        self.rollouts
            .values()
            .find(|r| r.model_id == model_id && r.status.is_active())
    }

    /// A rollout of this version of the model that failed (rolled back or aborted): such a
    /// version never becomes champion (verification's `champions_passed_their_rollouts`).
    pub fn failed(&self, model_id: &str, version: &Version) -> Option<&Rollout> {
        self.rollouts.values().find(|r| {
            r.model_id == model_id
                && &r.version == version
                && matches!(r.status, Status::RolledBack | Status::Aborted)
        })
    }

    /// The model's latest rollout (by start time, then id).
    pub fn latest_for(&self, model_id: &str) -> Option<&Rollout> {
        self.rollouts
            .values()
            .filter(|r| r.model_id == model_id)
            .max_by(|a, b| (a.started_at, &a.rollout_id).cmp(&(b.started_at, &b.rollout_id)))
    }

    /// Folds an event into the state.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::RolloutStarted {
                rollout_id,
                model_id,
                version,
                baseline,
                stages,
                promotes,
                at,
            } => {
                self.rollouts.insert(
                    rollout_id.clone(),
                    Rollout {
                        rollout_id: rollout_id.clone(),
                        model_id: model_id.clone(),
                        version: version.clone(),
                        baseline: baseline.clone(),
                        stages: stages.clone(),
                        stage: 0,
                        status: Status::Running,
                        promoted: *promotes,
                        current: Measures::default(),
                        stage_started_at: *at,
                        started_at: *at,
                        checkpoints: Vec::new(),
                        reason: String::new(),
                    },
                );
            }
            Event::RolloutMetricsRecorded {
                rollout_id,
                samples,
                errors,
                metrics,
                ..
            } => {
                if let Some(r) = self.rollouts.get_mut(rollout_id) {
                    r.current.add(*samples, *errors, metrics);
                }
            }
            Event::RolloutHeld { .. } => {}
            Event::StageAdvanced {
                rollout_id,
                to,
                promotes,
                at,
                ..
            } => {
                if let Some(r) = self.rollouts.get_mut(rollout_id) {
                    r.leave("advanced", Vec::new(), *at);
                    r.stage = *to;
                    r.stage_started_at = *at;
                    r.promoted |= *promotes;
                }
            }
            Event::RolloutCompleted { rollout_id, at, .. } => {
                if let Some(r) = self.rollouts.get_mut(rollout_id) {
                    r.leave("completed", Vec::new(), *at);
                    r.status = Status::Completed;
                    r.promoted = true;
                }
            }
            Event::RolloutRolledBack {
                rollout_id,
                breaches,
                reason,
                at,
                ..
            } => {
                if let Some(r) = self.rollouts.get_mut(rollout_id) {
                    r.leave("rolled_back", breaches.clone(), *at);
                    r.status = Status::RolledBack;
                    r.reason = reason.clone();
                }
            }
            Event::RolloutPaused { rollout_id, .. } => {
                if let Some(r) = self.rollouts.get_mut(rollout_id) {
                    r.status = Status::Paused;
                }
            }
            Event::RolloutResumed { rollout_id, .. } => {
                if let Some(r) = self.rollouts.get_mut(rollout_id) {
                    r.status = Status::Running;
                }
            }
            Event::RolloutAborted {
                rollout_id,
                reason,
                at,
                ..
            } => {
                if let Some(r) = self.rollouts.get_mut(rollout_id) {
                    r.leave("aborted", Vec::new(), *at);
                    r.status = Status::Aborted;
                    r.reason = reason.clone();
                }
            }
        }
    }
}
