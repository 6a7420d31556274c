//! What-if: replays a command log under another policy and lists every
//! decision that differs (promotions, demotions, gate decisions, accepted or
//! blocked ingestion, accepted or refused model updates), with both outcomes.

use crate::brain::{Brain, Command, Envelope, Event};
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

/// Replays `log` as it was (from the default policy, applying its own
/// `SetPolicy` commands) and under `alternative` (which stays in force:
/// `SetPolicy` commands are skipped), and returns every decision that differs.
pub fn what_if(log: &[Envelope], alternative: &Policy) -> Result<Report, BrainError> {
    let mut original = Brain::new();
    let mut other = Brain::with_policy(alternative.clone())?;
    let mut differences = Vec::new();
    let mut skipped = 0;
    for (position, env) in log.iter().enumerate() {
        let a = original.execute(env.clone());
        if matches!(
            env.command,
            Command::Policy(policy::Command::SetPolicy { .. })
        ) {
            skipped += 1;
            continue;
        }
        let b = other.execute(env.clone());
        let (oa, ob) = (outcome(&a), outcome(&b));
        if oa.outcome != ob.outcome {
            let kind = match kind_of(&env.command) {
                Kind::Promotion if oa.outcome == "Demoted" || ob.outcome == "Demoted" => {
                    Kind::Demotion
                }
                k => k,
            };
            differences.push(Difference {
                position,
                action: crate::brain::action_of(&env.command).to_string(),
                kind,
                original: oa,
                alternative: ob,
            });
        }
    }
    Ok(Report {
        commands: log.len(),
        skipped_policy_changes: skipped,
        differences,
    })
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
                policy: Box::new(p),
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
}
