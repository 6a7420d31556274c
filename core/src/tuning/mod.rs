//! Policy tuning: a search over policies that replays the recorded command
//! log under each candidate (as what-if does: the candidate stays in force,
//! the history's own `SetPolicy` commands are skipped), scores each run with
//! an objective from the domain, and ranks the candidates.
//!
//! The earlier part of the history chooses (the ranking's order and the
//! constraints read it); the later part, held out, validates the choice:
//! both scores are reported, so an operator can see a policy that only fits
//! the past. The work runs in slices ([`Tuner::step`]) so a page can show
//! progress and cancel; the same spec (and seed) gives the same ranking.

mod score;
mod spec;

pub use score::Scores;
pub use spec::{
    Constraint, Objective, Parameter, Range, Search, Setting, Spec, MAX_CANDIDATES, MAX_VALUES,
};

use crate::brain::{Brain, BrainState, Command, Envelope};
use crate::policy::{self, Policy};
use score::Marks;
use serde::{Deserialize, Serialize};
use spec::Prepared;

/// A spec that cannot run.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// No parameter to search.
    #[error("a tuning search needs at least one policy field to vary")]
    NoParameters,
    /// A path that is not a policy field.
    #[error("the policy has no field `{0}` to tune")]
    UnknownField(String),
    /// The same field twice.
    #[error("policy field `{0}` is searched twice")]
    DuplicateParameter(String),
    /// Neither or both of a range and choices.
    #[error("policy field `{0}` needs either a range or choices, not both or neither")]
    RangeOrChoices(String),
    /// A range that is empty, not finite, not numeric, or too fine.
    #[error(
        "the range of `{0}` must be numbers with min at most max, a step above 0, \
         a numeric field, and at most 1,000 values"
    )]
    BadRange(String),
    /// Too many (or no) candidates.
    #[error("a tuning search must try 1 to 10,000 candidates")]
    TooManyCandidates,
    /// A hold-out share outside 0 to 0.9.
    #[error("the hold-out share must be 0 to 0.9, not {0}")]
    BadHoldout(f64),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NoParameters => "no_tuning_parameters",
            Error::UnknownField(_) => "unknown_policy_field",
            Error::DuplicateParameter(_) | Error::RangeOrChoices(_) => "invalid_tuning_parameter",
            Error::BadRange(_) => "invalid_tuning_range",
            Error::TooManyCandidates => "too_many_candidates",
            Error::BadHoldout(_) => "invalid_holdout",
        }
    }
}

/// A candidate's place in the ranking.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningCandidate"))]
#[serde(rename_all = "camelCase")]
pub struct Ranked {
    /// Its index in search order (0-based).
    pub index: usize,
    /// The values it tried.
    pub settings: Vec<Setting>,
    /// The partial policy that applies it (`SetPolicy`'s `policy`).
    #[cfg_attr(feature = "ts", ts(type = "PolicyInput"))]
    pub patch: serde_json::Value,
    /// Scores on the choosing part (absent when the policy did not validate).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub choose: Option<Scores>,
    /// Scores on the held-out part (absent without a hold-out).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub validate: Option<Scores>,
    /// Every constraint holds on the choosing part.
    pub feasible: bool,
    /// The constraints it breaks, in words.
    pub violations: Vec<String>,
    /// Why its policy does not validate (then it did not run).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub invalid: Option<String>,
}

/// The result of a search: the current policy's scores and every candidate,
/// best first (feasible before infeasible before invalid; then by the
/// objective on the choosing part, the held-out part, the search order).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningRanking"))]
#[serde(rename_all = "camelCase")]
pub struct Ranking {
    /// What the ranking minimises.
    pub objective: Objective,
    /// Commands replayed per candidate.
    pub commands: usize,
    /// The first command of the held-out part (= `commands` without one).
    pub split: usize,
    /// The current policy on the choosing part.
    pub baseline_choose: Scores,
    /// The current policy on the held-out part.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub baseline_validate: Option<Scores>,
    /// Every candidate, best first.
    pub candidates: Vec<Ranked>,
}

/// How far a [`Tuner`] is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningProgress"))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Commands replayed so far, over every run.
    pub commands_done: usize,
    /// Commands to replay in all (the current policy's run and each valid candidate's).
    pub commands_total: usize,
    /// Candidates scored so far.
    pub candidates_done: usize,
    /// Candidates in all.
    pub candidates_total: usize,
    /// Every run is done: the ranking is ready.
    pub done: bool,
}

/// A run in progress: the brain under one policy and the next command.
#[derive(Clone, Debug)]
struct Replay {
    brain: Brain,
    next: usize,
    marks: Marks,
}

/// A tuning search that runs in slices. Run 0 is the current policy (the
/// baseline and the ground truth); then each valid candidate in search order.
#[derive(Clone, Debug)]
pub struct Tuner {
    spec: Spec,
    origin: Option<BrainState>,
    log: Vec<Envelope>,
    current: Policy,
    candidates: Vec<Prepared>,
    split: usize,
    baseline: Option<Marks>,
    scored: Vec<Option<Marks>>,
    replay: Option<Replay>,
    /// The next run to start: 0 the baseline, k the candidate k - 1.
    next_run: usize,
    commands_done: usize,
}

impl Tuner {
    /// Prepares a search of `spec` over `log` (from `origin`; `None`: the
    /// empty state), with the candidates merged over `current`. A spec that
    /// cannot run is an error before anything runs.
    pub fn new(
        spec: Spec,
        origin: Option<&BrainState>,
        log: Vec<Envelope>,
        current: &Policy,
    ) -> Result<Self, Error> {
        let candidates = spec.candidates(current)?;
        let held = (log.len() as f64 * spec.holdout).round() as usize;
        let split = log.len() - held.min(log.len());
        Ok(Self {
            scored: vec![None; candidates.len()],
            spec,
            origin: origin.cloned(),
            log,
            current: current.clone(),
            candidates,
            split,
            baseline: None,
            replay: None,
            next_run: 0,
            commands_done: 0,
        })
    }

    /// Replays up to `budget` more commands (across runs); returns the progress.
    pub fn step(&mut self, budget: usize) -> Progress {
        let mut left = budget;
        while left > 0 && !self.done() {
            let Some(replay) = self.replay.as_mut() else {
                self.start_next_run();
                continue;
            };
            while left > 0 {
                let Some(env) = self.log.get(replay.next) else {
                    break;
                };
                // The candidate stays in force (as in what-if).
                if !matches!(
                    env.command,
                    Command::Policy(policy::Command::SetPolicy { .. })
                ) {
                    if let Ok(events) = replay.brain.execute_for_decisions(env) {
                        replay.marks.record(replay.next, &events);
                    }
                }
                replay.next += 1;
                left -= 1;
                self.commands_done += 1;
            }
            if replay.next >= self.log.len() {
                self.finish_run();
            }
        }
        self.progress()
    }

    fn start_next_run(&mut self) {
        let policy = if self.next_run == 0 {
            Some(self.current.clone())
        } else {
            self.candidates
                .get(self.next_run - 1)
                .and_then(|c| c.policy.as_ref().ok().cloned())
        };
        let Some(policy) = policy else {
            // An invalid candidate does not run.
            self.next_run += 1;
            return;
        };
        let state = BrainState {
            policy,
            ..self.origin.clone().unwrap_or_default()
        };
        self.replay = Some(Replay {
            // Scores read decisions only: no audit sealing, no logs kept.
            brain: Brain::decisions_only(Some(&state)),
            next: 0,
            marks: Marks::default(),
        });
    }

    fn finish_run(&mut self) {
        let Some(replay) = self.replay.take() else {
            return;
        };
        if self.next_run == 0 {
            self.baseline = Some(replay.marks);
        } else if let Some(slot) = self.scored.get_mut(self.next_run - 1) {
            *slot = Some(replay.marks);
        }
        self.next_run += 1;
    }

    /// Whether every run is done.
    pub fn done(&self) -> bool {
        self.next_run > self.candidates.len()
    }

    /// How far the search is.
    pub fn progress(&self) -> Progress {
        let valid = self.candidates.iter().filter(|c| c.policy.is_ok()).count();
        Progress {
            commands_done: self.commands_done,
            commands_total: (valid + 1) * self.log.len(),
            candidates_done: self.next_run.saturating_sub(1).min(self.candidates.len()),
            candidates_total: self.candidates.len(),
            done: self.done(),
        }
    }

    /// The ranking, once [`Self::done`].
    pub fn ranking(&self) -> Option<Ranking> {
        let truth = self.baseline.as_ref().filter(|_| self.done())?;
        let (choose, validate) = (0..self.split, self.split..self.log.len());
        let holdout = !validate.is_empty();
        let baseline_choose = truth.score(truth, &self.log, choose.clone());
        let objective = self.spec.objective;
        let mut candidates: Vec<Ranked> = self
            .candidates
            .iter()
            .zip(&self.scored)
            .enumerate()
            .map(|(index, (c, marks))| {
                let choose_scores = marks
                    .as_ref()
                    .map(|m| m.score(truth, &self.log, choose.clone()));
                let violations: Vec<String> = match &choose_scores {
                    None => Vec::new(),
                    Some(s) => self
                        .spec
                        .constraints
                        .iter()
                        .filter_map(|k| {
                            let limit = k.max.unwrap_or(baseline_choose.get(k.objective));
                            let got = s.get(k.objective);
                            (got > limit + 1e-9)
                                .then(|| format!("{}: {got} above {limit}", k.objective.label()))
                        })
                        .collect(),
                };
                Ranked {
                    index,
                    settings: c.settings.clone(),
                    patch: c.patch.clone(),
                    validate: marks
                        .as_ref()
                        .filter(|_| holdout)
                        .map(|m| m.score(truth, &self.log, validate.clone())),
                    feasible: choose_scores.is_some() && violations.is_empty(),
                    choose: choose_scores,
                    violations,
                    invalid: c.policy.as_ref().err().cloned(),
                }
            })
            .collect();
        let key = |r: &Ranked| {
            (
                r.invalid.is_some(),
                !r.feasible,
                r.choose.map_or(f64::INFINITY, |s| s.get(objective)),
                r.validate.map_or(f64::INFINITY, |s| s.get(objective)),
                r.index,
            )
        };
        candidates.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0)
                .then(ka.1.cmp(&kb.1))
                .then(ka.2.total_cmp(&kb.2))
                .then(ka.3.total_cmp(&kb.3))
                .then(ka.4.cmp(&kb.4))
        });
        Some(Ranking {
            objective,
            commands: self.log.len(),
            split: self.split,
            baseline_choose,
            baseline_validate: holdout.then(|| truth.score(truth, &self.log, validate)),
            candidates,
        })
    }
}

/// Runs a whole search of `spec` over `log` at once.
pub fn tune(
    spec: Spec,
    origin: Option<&BrainState>,
    log: Vec<Envelope>,
    current: &Policy,
) -> Result<Ranking, Error> {
    let mut tuner = Tuner::new(spec, origin, log, current)?;
    tuner.step(usize::MAX);
    // Done after an unbounded step: the ranking is there.
    tuner.ranking().ok_or(Error::TooManyCandidates)
}

impl Brain {
    /// A tuning search over this brain's command log (from its origin), with
    /// the candidates merged over the policy in force.
    pub fn tuner(&self, spec: Spec) -> Result<Tuner, Error> {
        Tuner::new(spec, self.origin(), self.log().to_vec(), self.policy())
    }

    /// [`Self::tuner`] run to the end.
    pub fn tune(&self, spec: Spec) -> Result<Ranking, Error> {
        tune(spec, self.origin(), self.log().to_vec(), self.policy())
    }
}

#[cfg(test)]
mod tests;
