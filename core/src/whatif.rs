//! What-if: replays a command log under another policy and lists every
//! decision that differs, with both outcomes: each command's decision as its
//! block states it through the contract (promotions, demotions, gate
//! decisions, accepted or blocked ingestion, model updates, packet
//! recommendations, outcome alerts, readiness verdicts, and whatever a new
//! block declares), then each experiment's A/B winner as read at the end.

use crate::brain::{self, Brain, BrainState, Command, Envelope, Stepper};
use crate::contract::{self, Decision};
use crate::error::BrainError;
use crate::policy::{self, Policy};
use serde::{Deserialize, Serialize};

pub use crate::contract::Kind;

/// One outcome.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "WhatIfOutcome"))]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// Short outcome, e.g. "Primary", "BLOCK", "blocked", "refused".
    pub outcome: String,
    /// Why.
    pub reason: String,
}

/// A decision that differs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// Index of the command in the log.
    pub position: usize,
    /// The command's action.
    pub action: String,
    /// What kind of decision.
    pub kind: Kind,
    /// Under the log's own policy.
    pub original: Outcome,
    /// Under the alternative policy.
    pub alternative: Outcome,
    /// The difference in words, where its block says it (a rollout: "under a stricter
    /// criterion rollout/r would have rolled back at Pilot (...) instead of advancing to
    /// Limited"); empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional))]
    pub summary: String,
}

/// The what-if report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "WhatIfReport"))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Commands replayed.
    pub commands: usize,
    /// `SetPolicy` commands skipped in the alternative run (it keeps the alternative policy).
    pub skipped_policy_changes: usize,
    /// Every differing decision, in log order.
    pub differences: Vec<Difference>,
}

/// The outcome a command's result records, as the report shows it.
fn outcome(decision: Option<&Decision>) -> Outcome {
    match decision {
        Some(d) => Outcome {
            outcome: d.outcome.to_string(),
            reason: d.reason.clone(),
        },
        None => Outcome {
            outcome: contract::Outcome::Accepted.to_string(),
            reason: String::new(),
        },
    }
}

/// Replays `log` (from the empty state) under `alternative` and reports every
/// decision that differs. See [`Run`] for the same work in steps.
pub fn what_if(log: &[Envelope], alternative: &Policy) -> Result<Report, BrainError> {
    let mut run = Run::new(None, log.to_vec(), alternative)?;
    run.step(usize::MAX);
    Ok(run.report())
}

/// A what-if replay that runs in steps, so that a caller can show progress
/// and keep a page responsive on a long history (the console runs a few
/// milliseconds' worth of commands per frame). Two brains replay the same
/// log from the same origin, one under the policy in force and one under
/// the alternative.
#[derive(Clone, Debug)]
pub struct Run {
    original: Stepper,
    other: Brain,
    skipped: usize,
    differences: Vec<Difference>,
    winners_compared: bool,
}

impl Run {
    /// Starts a replay of `log` from `origin` (the state the log starts
    /// from, e.g. after a compaction; `None`: the empty state). A policy
    /// that does not validate is an error before anything runs.
    pub fn new(
        origin: Option<&BrainState>,
        log: Vec<Envelope>,
        alternative: &Policy,
    ) -> Result<Self, BrainError> {
        alternative.validate()?;
        let alt = BrainState {
            policy: alternative.clone(),
            ..origin.cloned().unwrap_or_default()
        };
        // Both sides replay for their decisions only: what-if reads nothing
        // else, and the audit sealing is most of a command's cost.
        Ok(Self {
            original: Stepper::decisions_only(origin, log),
            other: Brain::decisions_only(Some(&alt)),
            skipped: 0,
            differences: Vec::new(),
            winners_compared: false,
        })
    }

    /// Replays up to `budget` more commands; true when the log is done.
    pub fn step(&mut self, budget: usize) -> bool {
        for _ in 0..budget {
            let Some(step) = self.original.next_step() else {
                break;
            };
            if matches!(
                step.envelope.command,
                Command::Policy(policy::Command::SetPolicy { .. })
            ) {
                // A policy change in the history would replace the
                // alternative; the alternative stays in force.
                self.skipped += 1;
                continue;
            }
            let command = &step.envelope.command;
            let b = self.other.execute_for_decisions(step.envelope);
            let (da, db) = (
                brain::decision_of(command, &step.result),
                brain::decision_of(command, &b),
            );
            let (oa, ob) = (outcome(da.as_ref()), outcome(db.as_ref()));
            if oa.outcome != ob.outcome {
                let summary = match (&da, &db) {
                    (Some(a), Some(b)) if a.kind == Kind::Rollout => {
                        crate::rollouts::what_if_words(
                            &a.subject,
                            &oa.outcome,
                            &ob.outcome,
                            &ob.reason,
                        )
                    }
                    _ => String::new(),
                };
                // A demotion or an automatic response is its own kind, whatever
                // the command that led to it.
                let special = [&da, &db]
                    .into_iter()
                    .flatten()
                    .map(|d| d.kind)
                    .find(|k| matches!(k, Kind::Demotion | Kind::Response));
                self.differences.push(Difference {
                    position: step.position,
                    action: command.action().to_string(),
                    kind: special.unwrap_or_else(|| command.decision_kind()),
                    original: oa,
                    alternative: ob,
                    summary,
                });
            }
        }
        if self.done() && !self.winners_compared {
            self.winners_compared = true;
            self.compare_winners();
        }
        self.done()
    }

    /// Each experiment's A/B winner at the end of the history under both
    /// policies (a winner is read from the counts, not decided by a
    /// command): one difference per experiment whose winner differs, placed
    /// after the last command.
    fn compare_winners(&mut self) {
        let position = self.original.progress().1;
        let theirs = self.other.experiments();
        for mine in self.original.brain().experiments() {
            let Some(other) = theirs.iter().find(|e| e.experiment == mine.experiment) else {
                continue;
            };
            if mine.winner == other.winner {
                continue;
            }
            let said = |e: &crate::ab::ExperimentReport| Outcome {
                outcome: match &e.winner {
                    Some(w) => format!("{}: winner {w}", e.experiment),
                    None => format!("{}: no winner", e.experiment),
                },
                reason: e.reason.clone(),
            };
            self.differences.push(Difference {
                position,
                action: "winner at the end of the history".into(),
                kind: Kind::AbWinner,
                original: said(&mine),
                alternative: said(other),
                summary: String::new(),
            });
        }
    }

    /// Whether every command has been replayed.
    pub fn done(&self) -> bool {
        self.original.done()
    }

    /// Commands replayed so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        self.original.progress()
    }

    /// The differences found so far (all of them once [`Self::done`]).
    pub fn report(&self) -> Report {
        Report {
            commands: self.original.progress().1,
            skipped_policy_changes: self.skipped,
            differences: self.differences.clone(),
        }
    }
}

impl Brain {
    /// Replays this brain's command log (from its origin) under another
    /// policy.
    pub fn what_if(&self, alternative: &Policy) -> Result<Report, BrainError> {
        let mut run = self.what_if_run(alternative)?;
        run.step(usize::MAX);
        Ok(run.report())
    }

    /// [`Self::what_if`] in steps, for a caller that shows progress.
    pub fn what_if_run(&self, alternative: &Policy) -> Result<Run, BrainError> {
        Run::new(self.origin(), self.log().to_vec(), alternative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest;
    use chrono::{Duration, TimeZone, Utc};

    fn log() -> Vec<Envelope> {
        let t0 = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let mut p = Policy::default();
        p.ingest.max_payload_bytes = 1;
        let cmds = [
            Command::Ingest(ingest::Command::IngestData {
                source: "zillow".into(),
                payload: "abc".into(),
            }),
            Command::Policy(policy::Command::SetPolicy {
                policy: policy::PolicyPatch::full(&p),
                reason: None,
            }),
            Command::Ingest(ingest::Command::IngestData {
                source: "zillow".into(),
                payload: "abc".into(),
            }),
            Command::Ingest(ingest::Command::IngestData {
                source: "craigslist".into(),
                payload: "abc".into(),
            }),
        ];
        cmds.into_iter()
            .enumerate()
            .map(|(i, c)| Envelope::new(t0 + Duration::minutes(i as i64), c))
            .collect()
    }

    #[test]
    fn the_alternative_policy_stays_in_force_and_each_difference_has_both_outcomes() {
        let mut alt = Policy::default();
        alt.ingest.allowed_sources.push("Craigslist".into());
        let report = what_if(&log(), &alt);
        let report = match report {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(report.skipped_policy_changes, 1);
        let d: Vec<(usize, &str, &str)> = report
            .differences
            .iter()
            .map(|d| {
                (
                    d.position,
                    d.original.outcome.as_str(),
                    d.alternative.outcome.as_str(),
                )
            })
            .collect();
        assert_eq!(
            d,
            vec![(2, "blocked", "accepted"), (3, "blocked", "accepted")]
        );
        assert!(report
            .differences
            .iter()
            .all(|d| d.kind == Kind::Ingestion && !d.original.reason.is_empty()));
    }

    #[test]
    fn an_invalid_alternative_policy_is_a_typed_error() {
        let mut alt = Policy::default();
        alt.promotion.consecutive = 0;
        assert_eq!(
            what_if(&log(), &alt).map_err(|e| e.code()).err(),
            Some("invalid_policy")
        );
    }

    #[test]
    fn a_run_in_small_steps_reports_what_one_pass_reports() {
        let brain = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let mut alt = brain.policy().clone();
        alt.readiness.ready_threshold = 0.95;
        alt.ingest.allowed_sources.clear();
        let whole = brain.what_if(&alt).expect("report");
        assert!(
            !whole.differences.is_empty(),
            "the demo has decisions to change"
        );
        let mut run = brain.what_if_run(&alt).expect("run");
        let total = brain.log().len();
        let mut seen = Vec::new();
        while !run.step(3) {
            seen.push(run.progress());
        }
        assert_eq!(run.progress(), (total, total));
        assert!(seen.windows(2).all(|w| w[0].0 + 3 == w[1].0), "{seen:?}");
        assert_eq!(run.report(), whole);
    }

    #[test]
    fn every_kind_of_decision_the_demo_makes_can_change_with_both_outcomes() {
        let brain = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let mut alt = brain.policy().clone();
        alt.ab.winner.min_sample_per_variant = 1_000_000;
        alt.packets.max_scripts = 1;
        alt.packets.max_channels = 1;
        alt.outcomes.regression_tolerance = 1.0;
        alt.outcomes.baseline_tolerance = 1.0;
        alt.outcomes.psi_significant = 1e6;
        alt.outcomes.ks_alpha = 1e-12;
        alt.readiness.ready_threshold = 0.99;
        let report = brain.what_if(&alt).expect("report");
        for kind in [Kind::AbWinner, Kind::Packet, Kind::Alert, Kind::Readiness] {
            let found: Vec<&Difference> = report
                .differences
                .iter()
                .filter(|d| d.kind == kind)
                .collect();
            assert!(!found.is_empty(), "{kind:?} in {:#?}", report.differences);
            assert!(
                found
                    .iter()
                    .all(|d| d.original.outcome != d.alternative.outcome),
                "{found:?}"
            );
        }
        let winner = report
            .differences
            .iter()
            .find(|d| d.kind == Kind::AbWinner)
            .expect("a winner difference");
        assert!(
            winner.alternative.outcome.ends_with("no winner"),
            "{winner:?}"
        );
        assert_eq!(winner.position, brain.log().len());
        let alert = report
            .differences
            .iter()
            .find(|d| d.kind == Kind::Alert)
            .expect("an alert difference");
        assert!(alert.original.outcome.starts_with("alert: "), "{alert:?}");
        assert_eq!(alert.alternative.outcome, "unchanged");
    }

    #[test]
    fn an_automatic_rollback_that_the_alternative_does_not_take_is_a_response_difference() {
        let brain = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let mut alt = brain.policy().clone();
        alt.monitoring.rollback_on_critical_degradation = false;
        alt.monitoring.rollback_on_major_drift = false;
        let report = brain.what_if(&alt).expect("report");
        let responses: Vec<&Difference> = report
            .differences
            .iter()
            .filter(|d| d.kind == Kind::Response)
            .collect();
        assert!(!responses.is_empty(), "{:#?}", report.differences);
        // The demo's response on a major drift (a rollback, or why it was not possible)
        // is not taken at all under the alternative.
        assert!(
            responses.iter().all(
                |d| d.original.outcome.contains("roll") && d.alternative.outcome == "unchanged"
            ),
            "{responses:?}"
        );
        assert!(responses.iter().all(|d| !d.original.reason.is_empty()));
    }

    #[test]
    fn a_compacted_history_is_replayed_from_its_origin() {
        // The state after three commands (with the history's own policy
        // change in force) becomes the origin; the fourth is the whole log.
        let full = log();
        let mut before = Brain::new();
        for env in full.iter().take(3) {
            before.execute(env.clone()).expect("accepted");
        }
        let origin = before.state().clone();
        assert_eq!(origin.policy.ingest.max_payload_bytes, 1);
        let mut alt = Policy::default();
        alt.ingest.allowed_sources.push("Craigslist".into());
        let mut run = Run::new(Some(&origin), full[3..].to_vec(), &alt).expect("run");
        assert!(run.step(usize::MAX));
        let report = run.report();
        assert_eq!(report.commands, 1);
        let d: Vec<(usize, &str, &str)> = report
            .differences
            .iter()
            .map(|d| {
                (
                    d.position,
                    d.original.outcome.as_str(),
                    d.alternative.outcome.as_str(),
                )
            })
            .collect();
        assert_eq!(d, vec![(0, "blocked", "accepted")]);
    }
}
