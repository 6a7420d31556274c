//! Scoring a replay: the decisions a run made that the objectives read
//! (status changes, gate blocks, readiness verdicts, alerts), kept as marks
//! while the run executes, then scored over one part of the history.
//! Ground truth that a single run cannot know (which status a script
//! should settle on, which clone is good) comes from the run under the
//! current policy, never from later commands than the part scored.

use super::spec::Objective;
use crate::brain::{Envelope, Event};
use crate::contract::{Kind, Outcome};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A candidate's score on one part of the history, for every objective.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningScores"))]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    /// Promotions later reversed in the same part.
    pub reversed_promotions: f64,
    /// Mean hours to the settled status (0 when nothing settled).
    pub time_to_correct_decision: f64,
    /// Blocks of clones called ready.
    pub good_clones_blocked: f64,
    /// Outcome alerts per week.
    pub alerts_per_week: f64,
}

impl Scores {
    /// The score of one objective.
    pub fn get(&self, objective: Objective) -> f64 {
        match objective {
            Objective::ReversedPromotions => self.reversed_promotions,
            Objective::TimeToCorrectDecision => self.time_to_correct_decision,
            Objective::GoodClonesBlocked => self.good_clones_blocked,
            Objective::AlertsPerWeek => self.alerts_per_week,
        }
    }
}

/// What a decision said, as far as the objectives care.
#[derive(Clone, Debug, PartialEq)]
enum Said {
    /// A script's or model's status now (a promotion, a demotion, a rollback).
    Status(String),
    /// Evaluated (the subject's first decision starts its clock).
    Evaluated,
    /// A gate blocked the clone.
    GateBlocked,
    /// A readiness verdict.
    Ready(bool),
    /// An outcome alert.
    Alert,
}

/// One decision of a run.
#[derive(Clone, Debug, PartialEq)]
struct Mark {
    position: usize,
    subject: String,
    said: Said,
}

/// The decisions of one run, in log order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Marks(Vec<Mark>);

const PRIMARY: &str = "Primary";

impl Marks {
    /// Records what the events of the command at `position` decided.
    pub fn record(&mut self, position: usize, events: &[Event]) {
        for event in events {
            let Some(d) = event.decision() else { continue };
            let said = match (d.kind, &d.outcome) {
                (Kind::Promotion | Kind::Demotion, Outcome::Status(s)) => {
                    Said::Status((*s).to_string())
                }
                (Kind::Promotion, Outcome::Unchanged) => Said::Evaluated,
                (Kind::ModelUpdate, Outcome::Promoted(_)) => Said::Status(PRIMARY.into()),
                (Kind::Response, Outcome::Status("rolled back")) => {
                    Said::Status("rolled back".into())
                }
                (Kind::ModelUpdate, Outcome::AcceptedAs(_) | Outcome::Refused) => Said::Evaluated,
                (Kind::Gate, Outcome::Block) => Said::GateBlocked,
                (Kind::Readiness, Outcome::Status(s)) => Said::Ready(*s == "ready"),
                (Kind::Alert, Outcome::Said(s)) if s.starts_with("alert:") => Said::Alert,
                _ => continue,
            };
            self.0.push(Mark {
                position,
                subject: d.subject,
                said,
            });
        }
    }

    fn within(&self, part: &std::ops::Range<usize>) -> impl Iterator<Item = &Mark> {
        let part = part.clone();
        self.0.iter().filter(move |m| part.contains(&m.position))
    }

    /// Scores this run over `part` of `log`, with `truth` the run under the
    /// current policy.
    pub fn score(&self, truth: &Marks, log: &[Envelope], part: std::ops::Range<usize>) -> Scores {
        let at = |p: usize| log.get(p).map(|e| e.at);
        let (Some(start), Some(end)) = (at(part.start), part.end.checked_sub(1).and_then(at))
        else {
            return Scores::default();
        };
        Scores {
            reversed_promotions: self.reversed_promotions(&part) as f64,
            time_to_correct_decision: self.time_to_correct(truth, &part, log, end),
            good_clones_blocked: self.good_clones_blocked(truth, &part) as f64,
            alerts_per_week: {
                let alerts = self.within(&part).filter(|m| m.said == Said::Alert).count();
                // A part shorter than a day counts as a day.
                let days = ((end - start).num_seconds() as f64 / 86_400.0).max(1.0);
                alerts as f64 * 7.0 / days
            },
        }
    }

    fn reversed_promotions(&self, part: &std::ops::Range<usize>) -> usize {
        // Per subject: whether its last promotion is still standing.
        let mut standing: BTreeMap<&str, bool> = BTreeMap::new();
        let mut reversed = 0;
        for m in self.within(part) {
            let Said::Status(s) = &m.said else { continue };
            if s == PRIMARY {
                standing.insert(&m.subject, true);
            } else if (s == "Demoted" || s == "rolled back")
                && standing.insert(&m.subject, false) == Some(true)
            {
                reversed += 1;
            }
        }
        reversed
    }

    fn time_to_correct(
        &self,
        truth: &Marks,
        part: &std::ops::Range<usize>,
        log: &[Envelope],
        end: DateTime<Utc>,
    ) -> f64 {
        // The status each subject settled on under the current policy.
        let mut settled: BTreeMap<&str, &str> = BTreeMap::new();
        for m in truth.within(part) {
            if let Said::Status(s) = &m.said {
                settled.insert(&m.subject, s);
            }
        }
        if settled.is_empty() {
            return 0.0;
        }
        let mut first: BTreeMap<&str, DateTime<Utc>> = BTreeMap::new();
        let mut reached: BTreeMap<&str, DateTime<Utc>> = BTreeMap::new();
        for m in self.within(part) {
            let Some(at) = log.get(m.position).map(|e| e.at) else {
                continue;
            };
            if matches!(m.said, Said::Status(_) | Said::Evaluated) {
                first.entry(&m.subject).or_insert(at);
            }
            if let Said::Status(s) = &m.said {
                if settled.get(m.subject.as_str()) == Some(&s.as_str()) {
                    reached.entry(&m.subject).or_insert(at);
                }
            }
        }
        let hours: f64 = settled
            .keys()
            .map(|subject| {
                let Some(from) = first.get(subject) else {
                    return 0.0;
                };
                let to = reached.get(subject).copied().unwrap_or(end);
                (to - *from).num_seconds() as f64 / 3600.0
            })
            .sum();
        hours / settled.len() as f64
    }

    fn good_clones_blocked(&self, truth: &Marks, part: &std::ops::Range<usize>) -> usize {
        self.within(part)
            .filter(|m| m.said == Said::GateBlocked)
            .filter(|m| {
                // The current policy's latest verdict on the clone, up to the block.
                truth
                    .0
                    .iter()
                    .take_while(|t| t.position <= m.position)
                    .filter(|t| t.subject == m.subject)
                    .filter_map(|t| match t.said {
                        Said::Ready(r) => Some(r),
                        _ => None,
                    })
                    .last()
                    .unwrap_or(false)
            })
            .count()
    }
}
