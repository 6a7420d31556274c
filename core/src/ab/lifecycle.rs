//! The lifecycle of an experiment in block 21: draft, running, stopped,
//! concluded (with the decision and its reason), archived; which move is
//! allowed from which stage, and which stages take counts.
//!
//! Why a lifecycle: counts recorded after an experiment was stopped or
//! decided would change a report someone already acted on. An experiment
//! made by `RegisterVariant` alone (every experiment before the lifecycle
//! existed, and the demo's) starts, and stays, `Running`: its state carries
//! no stage field (`Running` is the default and is not written), so old
//! snapshots replay to the same state hash and the same decisions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an experiment is in its life.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbStage"))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Being set up (`CreateExperiment`): variants may be added, counts are refused.
    Draft,
    /// Taking traffic: counts and metrics are recorded. The default, so an
    /// experiment without lifecycle commands behaves as before.
    #[default]
    Running,
    /// Paused: counts are refused; it may start again or be concluded.
    Stopped,
    /// Decided (`ConcludeExperiment`): the decision and its reason are kept.
    Concluded,
    /// Put away; nothing changes any more.
    Archived,
}

impl Stage {
    /// Whether the stage is `Running` (the default, which the state does not write).
    pub fn is_running(&self) -> bool {
        *self == Stage::Running
    }

    /// Its name in messages ("running").
    pub fn name(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Running => "running",
            Stage::Stopped => "stopped",
            Stage::Concluded => "concluded",
            Stage::Archived => "archived",
        }
    }

    /// Whether an experiment in this stage may move to `to`:
    /// draft -> running, running <-> stopped, running | stopped -> concluded,
    /// draft | stopped | concluded -> archived.
    pub fn may_move_to(self, to: Stage) -> bool {
        use Stage::*;
        matches!(
            (self, to),
            (Draft, Running)
                | (Stopped, Running)
                | (Running, Stopped)
                | (Running | Stopped, Concluded)
                | (Draft | Stopped | Concluded, Archived)
        )
    }

    /// Whether variants may still be added (not once decided or put away).
    pub fn takes_variants(self) -> bool {
        matches!(self, Stage::Draft | Stage::Running)
    }
}

/// What was decided when an experiment was concluded.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AbConclusion"))]
pub struct Conclusion {
    /// The variant to keep (control to change nothing).
    pub decision: String,
    /// Why, in the words of whoever decided.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_follow_the_lifecycle_and_archived_is_final() {
        use Stage::*;
        let all = [Draft, Running, Stopped, Concluded, Archived];
        let allowed: Vec<(Stage, Stage)> = all
            .iter()
            .flat_map(|&f| all.iter().map(move |&t| (f, t)))
            .filter(|&(f, t)| f.may_move_to(t))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Draft, Running),
                (Draft, Archived),
                (Running, Stopped),
                (Running, Concluded),
                (Stopped, Running),
                (Stopped, Concluded),
                (Stopped, Archived),
                (Concluded, Archived),
            ]
        );
        assert_eq!(Stage::default(), Running);
    }
}
