//! What-if: replays a command log under another policy and lists every
//! decision that differs (promotions, demotions, gate decisions, accepted or
//! blocked ingestion, accepted or refused model updates), with both outcomes.

use crate::brain::{Brain, BrainState, Command, Envelope, Event};
use crate::error::BrainError;
use crate::policy::{self, Policy};
use crate::{gates, ingest, models, promotion};
use serde::{Deserialize, Serialize};

/// What kind of decision differs.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "WhatIfKind"))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A script promoted in one run and not (or differently) in the other.
    Promotion,
    /// A script demoted in one run and not in the other.
    Demotion,
    /// Gate decision.
    Gate,
    /// Ingestion accepted or blocked.
    Ingestion,
    /// Model update or promotion accepted or refused.
    ModelUpdate,
    /// Any other command accepted or rejected as bad input.
    Command,
}

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

fn kind_of(cmd: &Command) -> Kind {
    match cmd {
        Command::Promotion(promotion::Command::EvaluateScript { .. }) => Kind::Promotion,
        Command::Gates(_) => Kind::Gate,
        Command::Ingest(ingest::Command::IngestData { .. }) => Kind::Ingestion,
        Command::Models(models::Command::ProposeUpdate { .. })
        | Command::Models(models::Command::PromoteVersion { .. }) => Kind::ModelUpdate,
        _ => Kind::Command,
    }
}

/// The decision a command's result carries.
fn outcome(result: &Result<Vec<Event>, BrainError>) -> Outcome {
    let events = match result {
        Err(e) => {
            return Outcome {
                outcome: "rejected".into(),
                reason: e.to_string(),
            }
        }
        Ok(events) => events,
    };
    for e in events {
        match e {
            Event::Promotion(promotion::Event::ScriptStatusChanged { change, .. }) => {
                return Outcome {
                    outcome: format!("{:?}", change.to),
                    reason: change.reason.clone(),
                };
            }
            Event::Promotion(promotion::Event::ScriptEvaluated {
                streak, evidence, ..
            }) => {
                let next = events.iter().any(|x| {
                    matches!(
                        x,
                        Event::Promotion(promotion::Event::ScriptStatusChanged { .. })
                    )
                });
                if !next {
                    let reason = match streak {
                        Some((to, n)) => format!("{n} qualifying evaluation(s) toward {to:?}"),
                        None => format!(
                            "no qualifying evidence ({} trials, rate {:.4})",
                            evidence.trials, evidence.estimate
                        ),
                    };
                    return Outcome {
                        outcome: "unchanged".into(),
                        reason,
                    };
                }
            }
            Event::Gates(gates::Event::GatesDecided { decision }) => {
                let outcome = match decision.verdict {
                    gates::Verdict::Promote => "PROMOTE",
                    gates::Verdict::Block => "BLOCK",
                };
                return Outcome {
                    outcome: outcome.into(),
                    reason: decision.failures().join("; "),
                };
            }
            Event::Ingest(ingest::Event::IngestAccepted { .. }) => {
                return Outcome {
                    outcome: "accepted".into(),
                    reason: String::new(),
                }
            }
            Event::Ingest(ingest::Event::IngestBlocked { reason, .. }) => {
                return Outcome {
                    outcome: "blocked".into(),
                    reason: reason.clone(),
                }
            }
            Event::Models(models::Event::UpdateAccepted { status, .. }) => {
                return Outcome {
                    outcome: format!("accepted as {status:?}"),
                    reason: String::new(),
                }
            }
            Event::Models(models::Event::UpdateRefused { reason, .. })
            | Event::Models(models::Event::PromotionRefused { reason, .. }) => {
                return Outcome {
                    outcome: "refused".into(),
                    reason: reason.clone(),
                }
            }
            Event::Models(models::Event::VersionPromoted { version, .. }) => {
                return Outcome {
                    outcome: format!("promoted {version}"),
                    reason: String::new(),
                }
            }
            _ => {}
        }
    }
    Outcome {
        outcome: "accepted".into(),
        reason: String::new(),
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
    log: Vec<Envelope>,
    original: Brain,
    other: Brain,
    next: usize,
    skipped: usize,
    differences: Vec<Difference>,
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
        // Validates the alternative.
        let blank = Brain::with_policy(alternative.clone())?;
        let (original, other) = match origin {
            None => (Brain::new(), blank),
            Some(origin) => {
                let alt = BrainState {
                    policy: alternative.clone(),
                    ..origin.clone()
                };
                (
                    Brain::replay_from(Some(origin), &[]),
                    Brain::replay_from(Some(&alt), &[]),
                )
            }
        };
        Ok(Self {
            log,
            original,
            other,
            next: 0,
            skipped: 0,
            differences: Vec::new(),
        })
    }

    /// Replays up to `budget` more commands; true when the log is done.
    pub fn step(&mut self, budget: usize) -> bool {
        let end = self.log.len().min(self.next.saturating_add(budget));
        while self.next < end {
            let position = self.next;
            self.next += 1;
            let Some(env) = self.log.get(position) else {
                break;
            };
            let a = self.original.execute(env.clone());
            if matches!(
                env.command,
                Command::Policy(policy::Command::SetPolicy { .. })
            ) {
                // A policy change in the history would replace the
                // alternative; the alternative stays in force.
                self.skipped += 1;
                continue;
            }
            let b = self.other.execute(env.clone());
            let (oa, ob) = (outcome(&a), outcome(&b));
            if oa.outcome != ob.outcome {
                let kind = match kind_of(&env.command) {
                    Kind::Promotion if oa.outcome == "Demoted" || ob.outcome == "Demoted" => {
                        Kind::Demotion
                    }
                    k => k,
                };
                self.differences.push(Difference {
                    position,
                    action: crate::brain::action_of(&env.command).to_string(),
                    kind,
                    original: oa,
                    alternative: ob,
                });
            }
        }
        self.done()
    }

    /// Whether every command has been replayed.
    pub fn done(&self) -> bool {
        self.next >= self.log.len()
    }

    /// Commands replayed so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.log.len())
    }

    /// The differences found so far (all of them once [`Self::done`]).
    pub fn report(&self) -> Report {
        Report {
            commands: self.log.len(),
            skipped_policy_changes: self.skipped,
            differences: self.differences.clone(),
        }
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
