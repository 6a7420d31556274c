//! Block 28, gate enforcement: a clone is PROMOTEd only if it passes every
//! gate (readiness, performance, safety, and sample-ratio when its evidence
//! came from an experiment); otherwise BLOCKed with every failing gate's
//! reason. Every decision is recorded.

use crate::clean_name;
use crate::contract::{self, BlockCommand, BlockEvent, Kind, Outcome};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The verdict.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Every gate passed.
    Promote,
    /// At least one gate failed.
    Block,
}

/// The gates.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Readiness score at or above the ready threshold (block 27).
    Readiness,
    /// Model accuracy at or above the minimum (block 26).
    Performance,
    /// No accuracy drop beyond tolerance against the champion, no open
    /// regression alert (blocks 25, 26).
    Safety,
    /// Traffic matched the planned weights (block 21), when evidence came from an experiment.
    SampleRatio,
    /// The model's latest rollout reached its stage serving everyone and was not rolled back
    /// or aborted, when the model has a rollout.
    Rollout,
}

/// One gate's result.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GateResult {
    /// Which gate.
    pub gate: Gate,
    /// Passed or not.
    pub passed: bool,
    /// Why, in words (always filled).
    pub reason: String,
}

/// A recorded decision.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "GateDecision"))]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Derived id.
    pub id: Uuid,
    /// The clone.
    pub clone: String,
    /// PROMOTE or BLOCK.
    pub verdict: Verdict,
    /// Every gate evaluated.
    pub gates: Vec<GateResult>,
    /// When.
    pub at: DateTime<Utc>,
}

impl Decision {
    /// Reasons of the failing gates.
    pub fn failures(&self) -> Vec<String> {
        self.gates
            .iter()
            .filter(|g| !g.passed)
            .map(|g| g.reason.clone())
            .collect()
    }
}

/// The state of block 28.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "GatesState"))]
pub struct State {
    /// Every decision, oldest first.
    pub decisions: Vec<Decision>,
    /// Clones promoted so far.
    pub promoted: BTreeSet<String>,
}

/// Thresholds of block 28 (defaults: the original system's).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "GatesPolicy"))]
#[serde(default)]
pub struct Policy {
    /// Minimum accuracy for the performance gate, in [0, 1].
    pub min_accuracy: f64,
    /// The safety gate's tolerance: largest accuracy drop of the clone's candidate model
    /// against its champion, in [0, 1]. Not the models block's `max_accuracy_drop`, which
    /// decides whether a model update is accepted; this one decides whether a clone ships.
    pub safety_max_accuracy_drop: f64,
    /// Sample-ratio p-values below this fail the SRM gate, in [0, 1].
    pub srm_alpha: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_accuracy: 0.85,
            safety_max_accuracy_drop: 0.02,
            srm_alpha: 0.001,
        }
    }
}

impl Policy {
    /// Checks the thresholds.
    pub fn validate(&self) -> Result<(), Error> {
        for (name, v) in [
            ("min_accuracy", self.min_accuracy),
            ("safety_max_accuracy_drop", self.safety_max_accuracy_drop),
            ("srm_alpha", self.srm_alpha),
        ] {
            if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
                return Err(Error::InvalidPolicy(format!(
                    "{name} ({v}) must be within [0, 1]"
                )));
            }
        }
        Ok(())
    }
}

tagged_enum! {
/// Commands of block 28.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "GatesCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Evaluates every gate for a clone.
    EvaluateGates {
        /// The clone (its readiness factors are recorded in block 27).
        clone_id: String,
        /// The model whose candidate version the clone runs (block 26).
        #[serde(default)]
        model_id: Option<String>,
        /// The experiment its evidence came from (block 21), if any.
        #[serde(default)]
        experiment_id: Option<String>,
    },
}
}

tagged_enum! {
/// Events of block 28.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "GatesEvent"))]
pub enum Event {
    /// A decision was made (PROMOTE or BLOCK; BLOCK is a refused guarded action).
    GatesDecided {
        /// The decision.
        decision: Decision,
    },
}
}

/// Bad input for block 28.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// Empty clone id.
    #[error("clone id must be non-empty, at most 200 characters and free of control characters")]
    InvalidName,
    /// Unknown experiment.
    #[error("unknown experiment {0}")]
    UnknownExperiment(String),
    /// Unknown model.
    #[error("unknown model {0}")]
    UnknownModel(String),
    /// Unusable policy.
    #[error("invalid gate policy: {0}")]
    InvalidPolicy(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidName => "invalid_name",
            Error::UnknownExperiment(_) => "unknown_experiment",
            Error::UnknownModel(_) => "unknown_model",
            Error::InvalidPolicy(_) => "invalid_policy",
        }
    }
}

/// What block 27 says about the clone's readiness.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Readiness {
    /// No factors were recorded for the clone.
    #[default]
    NotAssessed,
    /// Its latest factors scored under the policy in force.
    Scored(crate::readiness::Verdict),
    /// Its latest factors could not be scored (the error, in words).
    Unscorable(String),
}

/// The evidence the reducer gathers from the other blocks.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Inputs {
    /// The model the clone runs (named in the command, or in its latest assessment).
    pub model: Option<String>,
    /// The experiment its evidence came from (named in the command, or in its latest assessment).
    pub experiment: Option<String>,
    /// The clone's readiness (block 27).
    pub readiness: Readiness,
    /// Candidate accuracy (block 26), if a model was named.
    pub accuracy: Option<f64>,
    /// The current champion's accuracy, if there is a champion.
    pub champion_accuracy: Option<f64>,
    /// Open regression alerts (block 25) on the model.
    pub open_regressions: Vec<String>,
    /// Open drift and below-baseline alerts on the model that the monitoring policy counts.
    pub open_other_alerts: Vec<String>,
    /// Sample-ratio p-value of the experiment, when one was named.
    pub srm_p_value: Option<Option<f64>>,
    /// The model's latest rollout, when it has one.
    pub rollout: Option<RolloutStanding>,
}

/// Where the model's latest rollout stands, for the rollout gate.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RolloutStanding {
    /// The rollout.
    pub rollout_id: String,
    /// Its status name (`running`, `paused`, `completed`, `rolled_back`, `aborted`).
    pub status: String,
    /// Its current (or last) stage.
    pub stage: String,
    /// Whether the version serves everyone now (its Production stage, or completed).
    pub serves_everyone: bool,
}

/// Holds every rule of block 28.
pub fn decide(
    policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
    inputs: &Inputs,
    id: Uuid,
) -> Result<Vec<Event>, Error> {
    let Command::EvaluateGates {
        clone_id: clone,
        model_id: model,
        experiment_id: experiment,
    } = cmd;
    let clone = clean_name(clone).ok_or(Error::InvalidName)?;
    let mut gates = Vec::with_capacity(4);
    gates.push(match &inputs.readiness {
        Readiness::NotAssessed => GateResult {
            gate: Gate::Readiness,
            passed: false,
            reason: format!("no readiness factors recorded for clone {clone}"),
        },
        Readiness::Unscorable(e) => GateResult {
            gate: Gate::Readiness,
            passed: false,
            reason: format!("readiness of clone {clone} cannot be scored: {e}"),
        },
        Readiness::Scored(v) => GateResult {
            gate: Gate::Readiness,
            passed: v.ready,
            reason: format!(
                "readiness {:.3} {} ready threshold {:.2}",
                v.score,
                if v.ready { ">=" } else { "<" },
                v.threshold
            ),
        },
    });
    let model = inputs.model.as_ref().or(model.as_ref());
    gates.push(match (model, inputs.accuracy) {
        (None, _) => GateResult {
            gate: Gate::Performance,
            passed: false,
            reason: "no model named: accuracy unknown".into(),
        },
        (Some(m), None) => GateResult {
            gate: Gate::Performance,
            passed: false,
            reason: format!("model {m} has no candidate accuracy"),
        },
        (Some(_), Some(acc)) => GateResult {
            gate: Gate::Performance,
            passed: acc >= policy.min_accuracy,
            reason: format!(
                "accuracy {acc:.3} {} minimum {:.3}",
                if acc >= policy.min_accuracy {
                    ">="
                } else {
                    "<"
                },
                policy.min_accuracy
            ),
        },
    });
    let mut safety = Vec::new();
    if let (Some(acc), Some(champ)) = (inputs.accuracy, inputs.champion_accuracy) {
        let drop = champ - acc;
        if drop > policy.safety_max_accuracy_drop {
            safety.push(format!(
                "accuracy drops {drop:.3} below the champion ({champ:.3}), tolerance {:.3}",
                policy.safety_max_accuracy_drop
            ));
        }
    }
    if !inputs.open_regressions.is_empty() {
        safety.push(format!(
            "open regression alerts: {}",
            inputs.open_regressions.join(", ")
        ));
    }
    if !inputs.open_other_alerts.is_empty() {
        safety.push(format!(
            "open drift or below-baseline alerts: {}",
            inputs.open_other_alerts.join(", ")
        ));
    }
    gates.push(GateResult {
        gate: Gate::Safety,
        passed: safety.is_empty(),
        reason: if safety.is_empty() {
            "no accuracy drop beyond tolerance, no open regression alert".into()
        } else {
            safety.join("; ")
        },
    });
    if let Some(name) = inputs.experiment.as_ref().or(experiment.as_ref()) {
        let srm = inputs.srm_p_value.flatten();
        gates.push(match srm {
            Some(p) if p < policy.srm_alpha => GateResult {
                gate: Gate::SampleRatio,
                passed: false,
                reason: format!(
                    "sample ratio mismatch in experiment {name}: p = {p:.2e} < {}",
                    policy.srm_alpha
                ),
            },
            Some(p) => GateResult {
                gate: Gate::SampleRatio,
                passed: true,
                reason: format!("traffic of experiment {name} matches its weights (p = {p:.3})"),
            },
            None => GateResult {
                gate: Gate::SampleRatio,
                passed: true,
                reason: format!("experiment {name} has no traffic to check yet"),
            },
        });
    }
    if let Some(r) = &inputs.rollout {
        let failed = matches!(r.status.as_str(), "rolled_back" | "aborted");
        gates.push(GateResult {
            gate: Gate::Rollout,
            passed: !failed && r.serves_everyone,
            reason: if failed {
                format!(
                    "rollout {} was {} at {}",
                    r.rollout_id,
                    r.status.replace('_', " "),
                    r.stage
                )
            } else if r.serves_everyone {
                format!("rollout {} serves everyone ({})", r.rollout_id, r.stage)
            } else {
                format!(
                    "rollout {} is {} at {}, not in production yet",
                    r.rollout_id, r.status, r.stage
                )
            },
        });
    }
    let verdict = if gates.iter().all(|g| g.passed) {
        Verdict::Promote
    } else {
        Verdict::Block
    };
    Ok(vec![Event::GatesDecided {
        decision: Decision {
            id,
            clone: clone.to_string(),
            verdict,
            gates,
            at,
        },
    }])
}

impl State {
    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        let Event::GatesDecided { decision } = event;
        if decision.verdict == Verdict::Promote {
            self.promoted.insert(decision.clone.clone());
        }
        self.decisions.push(decision.clone());
    }
}

/// The decision among one command's events, if it made one (what the
/// console shows after "check gates").
pub fn decision_of<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<&'a Decision> {
    // The block has one event kind today; a `match` keeps this right when
    // it gets another.
    events
        .into_iter()
        .map(|e| match e {
            Event::GatesDecided { decision } => decision,
        })
        .next()
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::EvaluateGates { clone_id, .. } => format!("clone/{}", clone_id.trim()),
        }
    }

    fn decision_kind(&self) -> Kind {
        Kind::Gate
    }
}

impl BlockEvent for Event {
    fn refusal(&self) -> Option<String> {
        match self {
            Event::GatesDecided { decision } if decision.verdict == Verdict::Block => {
                Some(decision.failures().join("; "))
            }
            _ => None,
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            Event::GatesDecided { decision } if decision.verdict == Verdict::Promote => {
                Some("PROMOTE: every gate passed".into())
            }
            Event::GatesDecided { decision } => {
                Some(format!("BLOCK: {}", decision.failures().join("; ")))
            }
        }
    }

    fn decision(&self) -> Option<contract::Decision> {
        match self {
            Event::GatesDecided { decision } => Some(contract::Decision::new(
                Kind::Gate,
                format!("clone/{}", decision.clone),
                match decision.verdict {
                    Verdict::Promote => Outcome::Promote,
                    Verdict::Block => Outcome::Block,
                },
                decision.failures().join("; "),
            )),
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

    fn cmd(experiment: Option<&str>) -> Command {
        Command::EvaluateGates {
            clone_id: "clone-1".into(),
            model_id: Some("m".into()),
            experiment_id: experiment.map(String::from),
        }
    }

    fn verdict(inputs: &Inputs, experiment: Option<&str>) -> (Verdict, Vec<String>) {
        match decide(
            &Policy::default(),
            &cmd(experiment),
            at(),
            inputs,
            Uuid::nil(),
        )
        .as_deref()
        {
            Ok([Event::GatesDecided { decision }]) => (decision.verdict, decision.failures()),
            other => panic!("unexpected {other:?}"),
        }
    }

    fn good() -> Inputs {
        Inputs {
            model: None,
            experiment: None,
            readiness: Readiness::Scored(crate::readiness::Verdict {
                ready: true,
                score: 0.9,
                threshold: 0.8,
            }),
            accuracy: Some(0.91),
            champion_accuracy: Some(0.92),
            open_regressions: vec![],
            open_other_alerts: vec![],
            srm_p_value: None,
            rollout: None,
        }
    }

    #[test]
    fn a_clone_is_not_promoted_while_its_models_rollout_is_short_of_production_or_was_rolled_back()
    {
        let standing = |status: &str, stage: &str, serves_everyone| Inputs {
            rollout: Some(RolloutStanding {
                rollout_id: "r".into(),
                status: status.into(),
                stage: stage.into(),
                serves_everyone,
            }),
            ..good()
        };
        let cases = [
            (
                standing("running", "Limited", false),
                Verdict::Block,
                "rollout r is running at Limited, not in production yet",
            ),
            (
                standing("rolled_back", "Pilot", false),
                Verdict::Block,
                "rollout r was rolled back at Pilot",
            ),
            (
                standing("aborted", "Production", false),
                Verdict::Block,
                "rollout r was aborted at Production",
            ),
            (
                standing("running", "Production", true),
                Verdict::Promote,
                "",
            ),
            (
                standing("completed", "Production", true),
                Verdict::Promote,
                "",
            ),
        ];
        for (inputs, expected, reason) in cases {
            let (v, reasons) = verdict(&inputs, None);
            assert_eq!(v, expected, "{reasons:?}");
            if !reason.is_empty() {
                assert_eq!(reasons, vec![reason.to_string()]);
            }
        }
    }

    #[test]
    fn the_decision_of_a_command_is_found_among_its_events() {
        let events = decide(
            &Policy::default(),
            &cmd(None),
            at(),
            &Inputs::default(),
            Uuid::nil(),
        )
        .unwrap_or_default();
        let decision = decision_of(&events);
        assert_eq!(decision.map(|d| d.clone.as_str()), Some("clone-1"));
        assert_eq!(decision_of(&[]), None);
    }

    #[test]
    fn promotes_when_every_gate_passes() {
        assert_eq!(verdict(&good(), None), (Verdict::Promote, vec![]));
        assert_eq!(
            verdict(
                &Inputs {
                    srm_p_value: Some(Some(0.4)),
                    ..good()
                },
                Some("e")
            ),
            (Verdict::Promote, vec![])
        );
    }

    #[test]
    fn blocks_with_every_failing_reason() {
        let bad = Inputs {
            model: None,
            experiment: None,
            readiness: Readiness::Scored(crate::readiness::Verdict {
                ready: false,
                score: 0.7,
                threshold: 0.8,
            }),
            accuracy: Some(0.80),
            champion_accuracy: Some(0.92),
            open_regressions: vec!["conversion".into()],
            open_other_alerts: vec![],
            srm_p_value: Some(Some(1e-6)),
            rollout: None,
        };
        let (v, reasons) = verdict(&bad, Some("e"));
        assert_eq!(v, Verdict::Block);
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons
            .iter()
            .any(|r| r.contains("readiness 0.700 < ready threshold 0.80")));
        assert!(reasons
            .iter()
            .any(|r| r.contains("open regression alerts: conversion")));
        let (v, reasons) = verdict(
            &Inputs {
                readiness: Readiness::NotAssessed,
                ..good()
            },
            None,
        );
        assert_eq!(
            (v, reasons),
            (
                Verdict::Block,
                vec!["no readiness factors recorded for clone clone-1".to_string()]
            )
        );
    }

    #[test]
    fn empty_clone_id_is_bad_input() {
        let c = Command::EvaluateGates {
            clone_id: " ".into(),
            model_id: None,
            experiment_id: None,
        };
        assert_eq!(
            decide(&Policy::default(), &c, at(), &good(), Uuid::nil()),
            Err(Error::InvalidName)
        );
    }
}
