//! The rollout read-model the console and JS apps show: stage, progress, criteria with
//! current values and the next decision, from the same [`assess`] the evaluation uses.

use super::{
    assess, progress, Checkpoint, CriterionCheck, Measures, Rollout, Stage, Status, Version,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One rollout as `brain.rollout(id)` shows it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RolloutReport {
    /// Its id.
    pub rollout_id: String,
    /// The model.
    pub model_id: String,
    /// The version rolled out.
    pub version: Version,
    /// The champion it started against.
    pub baseline: Version,
    /// Where it stands.
    pub status: Status,
    /// The current (or last) stage's name.
    pub stage: String,
    /// Its index.
    pub stage_index: usize,
    /// Every stage.
    pub stages: Vec<Stage>,
    /// The share the version serves now.
    pub traffic: f64,
    /// How far it has come, in [0, 1].
    pub progress: f64,
    /// The current stage's criteria with their current values (empty once ended).
    pub criteria: Vec<CriterionCheck>,
    /// What an evaluation now would do ("advance", "hold: ...", "roll back: ...", or why
    /// none happens).
    pub next_decision: String,
    /// What the current stage has measured.
    pub measures: Measures,
    /// One per stage left.
    pub checkpoints: Vec<Checkpoint>,
    /// Why it ended (empty while active or completed).
    pub reason: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
}

/// The report of `rollout` at `at` with the model's open alerts.
pub fn report(rollout: &Rollout, open_alerts: &[String], at: DateTime<Utc>) -> RolloutReport {
    let (criteria, next_decision) = match rollout.status {
        Status::Running => {
            let (checks, verdict) = assess(rollout, open_alerts, at);
            (checks, verdict.describe())
        }
        Status::Paused => (
            assess(rollout, open_alerts, at).0,
            "none: paused (resume to evaluate)".into(),
        ),
        other => (Vec::new(), format!("none: {}", other.name())),
    };
    RolloutReport {
        rollout_id: rollout.rollout_id.clone(),
        model_id: rollout.model_id.clone(),
        version: rollout.version.clone(),
        baseline: rollout.baseline.clone(),
        status: rollout.status,
        stage: rollout
            .current_stage()
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        stage_index: rollout.stage,
        stages: rollout.stages.clone(),
        traffic: rollout.traffic(),
        progress: progress(rollout, at),
        criteria,
        next_decision,
        measures: rollout.current.clone(),
        checkpoints: rollout.checkpoints.clone(),
        reason: rollout.reason.clone(),
        started_at: rollout.started_at,
    }
}
