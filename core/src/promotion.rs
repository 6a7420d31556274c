//! Block 22, script promotion: scripts with versions move Experimental ->
//! Testing -> Primary (or Demoted / Retired) when evaluations meet the policy
//! a number of consecutive times, so that a script does not flap.

use crate::ab::rate_interval;
use crate::clean_name;
use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a script stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PromotionStatus"))]
pub enum Status {
    /// New, not yet proven.
    Experimental,
    /// Met the testing threshold.
    Testing,
    /// Met the primary threshold: recommended in packets.
    Primary,
    /// Fell below the demotion threshold.
    Demoted,
    /// Withdrawn by hand; no further evaluation.
    Retired,
}

/// One version of a script's text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PromotionVersion"))]
pub struct Version {
    /// 1, 2, ...
    pub number: u32,
    /// The script text.
    pub body: String,
    /// When it was added.
    pub at: DateTime<Utc>,
}

/// The evidence and thresholds behind a status change (kept so that the
/// verification can re-check every promotion).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evidence {
    /// Trials evaluated.
    pub trials: u64,
    /// Conversions evaluated.
    pub conversions: u64,
    /// The estimate compared with the threshold.
    pub estimate: f64,
    /// The threshold it was compared with.
    pub threshold: f64,
    /// The minimum sample in force.
    pub min_sample: u64,
}

/// One entry of a script's status history.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusChange {
    /// Previous status (None when registered).
    pub from: Option<Status>,
    /// New status.
    pub to: Status,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, in words.
    pub reason: String,
    /// The evidence, for automatic changes.
    pub evidence: Option<Evidence>,
}

/// A script.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Script {
    /// Current status.
    pub status: Status,
    /// Versions, oldest first.
    pub versions: Vec<Version>,
    /// Every status change, oldest first.
    pub history: Vec<StatusChange>,
    /// The transition the last evaluations qualified for, and how many in a row.
    pub streak: Option<(Status, u32)>,
    /// Evaluations run.
    pub evaluations: u64,
}

/// The state of block 22.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PromotionState"))]
pub struct State {
    /// Scripts by id.
    pub scripts: BTreeMap<String, Script>,
}

/// Which number is compared with the thresholds.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Estimate {
    /// The plain conversion rate (the original system).
    #[default]
    Point,
    /// Conservative: the Wilson lower bound to promote, the upper bound to demote.
    Wilson,
}

/// Thresholds of block 22 (defaults: the original system's).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PromotionPolicy"))]
#[serde(default)]
pub struct Policy {
    /// Trials needed before an evaluation counts, in 0..=[`MAX_MIN_SAMPLE`].
    pub min_sample: u64,
    /// Rate to move Experimental (or Demoted) -> Testing, in [0, 1].
    pub testing_rate: f64,
    /// Rate to move Testing -> Primary, in [0, 1], at least `testing_rate`.
    pub primary_rate: f64,
    /// Below this rate Testing or Primary -> Demoted, in [0, 1], at most `testing_rate`.
    pub demote_rate: f64,
    /// Consecutive qualifying evaluations before a change, in 1..=[`MAX_CONSECUTIVE`].
    pub consecutive: u32,
    /// Point estimate or Wilson bounds.
    pub estimate: Estimate,
    /// Significance of the Wilson bounds, in (0, 1).
    pub alpha: f64,
}

/// Largest `min_sample`: a billion trials.
pub const MAX_MIN_SAMPLE: u64 = 1_000_000_000;

/// Largest `consecutive`: a streak longer than this would never be reached in practice.
pub const MAX_CONSECUTIVE: u32 = 1000;

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_sample: 100,
            testing_rate: 0.05,
            primary_rate: 0.10,
            demote_rate: 0.03,
            consecutive: 3,
            estimate: Estimate::Point,
            alpha: 0.05,
        }
    }
}

impl Policy {
    /// Checks the thresholds are ordered and in range.
    pub fn validate(&self) -> Result<(), Error> {
        let rates = [self.demote_rate, self.testing_rate, self.primary_rate];
        if rates
            .iter()
            .any(|r| !(r.is_finite() && (0.0..=1.0).contains(r)))
        {
            return Err(Error::InvalidPolicy(
                "testing_rate, primary_rate and demote_rate must be within [0, 1]".into(),
            ));
        }
        if !(self.demote_rate <= self.testing_rate && self.testing_rate <= self.primary_rate) {
            return Err(Error::InvalidPolicy(format!(
                "need demote_rate ({}) <= testing_rate ({}) <= primary_rate ({})",
                self.demote_rate, self.testing_rate, self.primary_rate
            )));
        }
        if !(1..=MAX_CONSECUTIVE).contains(&self.consecutive) {
            return Err(Error::InvalidPolicy(format!(
                "consecutive ({}) must be in 1..={MAX_CONSECUTIVE}",
                self.consecutive
            )));
        }
        if self.min_sample > MAX_MIN_SAMPLE {
            return Err(Error::InvalidPolicy(format!(
                "min_sample ({}) must be at most {MAX_MIN_SAMPLE}",
                self.min_sample
            )));
        }
        if !(self.alpha.is_finite() && self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(Error::InvalidPolicy(format!(
                "alpha ({}) must be in (0, 1)",
                self.alpha
            )));
        }
        Ok(())
    }
}

tagged_enum! {
/// Commands of block 22.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PromotionCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Adds a script (Experimental) with its first version.
    RegisterScript {
        /// Script id (also the variant name in script experiments).
        script: String,
        /// First version's text.
        body: String,
    },
    /// Adds a version.
    AddScriptVersion {
        /// Script id.
        script: String,
        /// New text.
        body: String,
    },
    /// Evaluates the script against the policy. Without counts, the totals of
    /// its variants in the script experiments of block 21 are used.
    EvaluateScript {
        /// Script id.
        script: String,
        /// Trials (optional; signed so that negatives become a typed error).
        #[serde(default)]
        trials: Option<i64>,
        /// Conversions (optional).
        #[serde(default)]
        conversions: Option<i64>,
    },
    /// Withdraws a script by hand.
    RetireScript {
        /// Script id.
        script: String,
        /// Why.
        reason: String,
    },
}
}

tagged_enum! {
/// Events of block 22.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PromotionEvent"))]
pub enum Event {
    /// A script was added.
    ScriptRegistered {
        /// Script id.
        script: String,
        /// First version's text.
        body: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A version was added.
    ScriptVersionAdded {
        /// Script id.
        script: String,
        /// Version number.
        number: u32,
        /// Text.
        body: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// An evaluation ran; `streak` is the qualifying run after it.
    ScriptEvaluated {
        /// Script id.
        script: String,
        /// The evidence.
        evidence: Evidence,
        /// Transition qualified for and the run length, if any.
        streak: Option<(Status, u32)>,
    },
    /// The status changed.
    ScriptStatusChanged {
        /// Script id.
        script: String,
        /// The change.
        change: StatusChange,
    },
}
}

/// Bad input for block 22.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// Empty or over-long id.
    #[error("script id must be non-empty, at most 200 characters and free of control characters")]
    InvalidName,
    /// Empty body.
    #[error("script body must not be empty")]
    EmptyBody,
    /// Unknown script.
    #[error("unknown script {0}")]
    UnknownScript(String),
    /// Already registered.
    #[error("script {0} already exists; add a version instead")]
    DuplicateScript(String),
    /// Retired scripts are not evaluated.
    #[error("script {0} is retired")]
    Retired(String),
    /// Bad counts.
    #[error("{0}")]
    InvalidCount(String),
    /// No counts given and none in the experiments.
    #[error("no evidence for script {0}: give trials and conversions or record them in a script experiment")]
    NoEvidence(String),
    /// Unusable policy.
    #[error("invalid promotion policy: {0}")]
    InvalidPolicy(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidName => "invalid_name",
            Error::EmptyBody => "empty_body",
            Error::UnknownScript(_) => "unknown_script",
            Error::DuplicateScript(_) => "duplicate_script",
            Error::Retired(_) => "script_retired",
            Error::InvalidCount(_) => "invalid_count",
            Error::NoEvidence(_) => "no_evidence",
            Error::InvalidPolicy(_) => "invalid_policy",
        }
    }
}

/// Holds every rule of block 22. `ab_totals` are the script's (trials,
/// conversions) in block 21, used when the command carries no counts.
pub fn decide(
    state: &State,
    policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
    ab_totals: Option<(u64, u64)>,
) -> Result<Vec<Event>, Error> {
    match cmd {
        Command::RegisterScript { script, body } => {
            let id = clean_name(script).ok_or(Error::InvalidName)?;
            if body.trim().is_empty() {
                return Err(Error::EmptyBody);
            }
            if state.scripts.contains_key(id) {
                return Err(Error::DuplicateScript(id.to_string()));
            }
            Ok(vec![Event::ScriptRegistered {
                script: id.to_string(),
                body: body.clone(),
                at,
            }])
        }
        Command::AddScriptVersion { script, body } => {
            let found = state
                .scripts
                .get(script.trim())
                .ok_or_else(|| Error::UnknownScript(script.clone()))?;
            if body.trim().is_empty() {
                return Err(Error::EmptyBody);
            }
            let number = u32::try_from(found.versions.len())
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            Ok(vec![Event::ScriptVersionAdded {
                script: script.trim().to_string(),
                number,
                body: body.clone(),
                at,
            }])
        }
        Command::RetireScript { script, reason } => {
            let found = state
                .scripts
                .get(script.trim())
                .ok_or_else(|| Error::UnknownScript(script.clone()))?;
            if found.status == Status::Retired {
                return Err(Error::Retired(script.clone()));
            }
            Ok(vec![Event::ScriptStatusChanged {
                script: script.trim().to_string(),
                change: StatusChange {
                    from: Some(found.status),
                    to: Status::Retired,
                    at,
                    reason: if reason.trim().is_empty() {
                        "retired by hand".into()
                    } else {
                        reason.clone()
                    },
                    evidence: None,
                },
            }])
        }
        Command::EvaluateScript {
            script,
            trials,
            conversions,
        } => {
            let id = script.trim();
            let found = state
                .scripts
                .get(id)
                .ok_or_else(|| Error::UnknownScript(script.clone()))?;
            if found.status == Status::Retired {
                return Err(Error::Retired(id.to_string()));
            }
            let (t, c) = match (trials, conversions) {
                (Some(t), Some(c)) => crate::ab::validate_counts(*t, *c)
                    .map_err(|e| Error::InvalidCount(e.to_string()))?,
                (None, None) => ab_totals.ok_or_else(|| Error::NoEvidence(id.to_string()))?,
                _ => {
                    return Err(Error::InvalidCount(
                        "give both trials and conversions, or neither".into(),
                    ))
                }
            };
            Ok(evaluate(id, found, policy, t, c, at))
        }
    }
}

/// The evaluation rule: which transition the evidence qualifies for, the run
/// of consecutive qualifying evaluations, and the change once the run is long enough.
fn evaluate(
    id: &str,
    script: &Script,
    policy: &Policy,
    trials: u64,
    conversions: u64,
    at: DateTime<Utc>,
) -> Vec<Event> {
    let (rate, low, high) = rate_interval(trials, conversions, policy.alpha);
    let (up, down) = match policy.estimate {
        Estimate::Point => (rate, rate),
        Estimate::Wilson => (low, high),
    };
    let enough = trials >= policy.min_sample;
    let target = if !enough {
        None
    } else {
        match script.status {
            Status::Experimental | Status::Demoted if up >= policy.testing_rate => {
                Some((Status::Testing, up, policy.testing_rate))
            }
            Status::Testing if up >= policy.primary_rate => {
                Some((Status::Primary, up, policy.primary_rate))
            }
            Status::Testing | Status::Primary if down < policy.demote_rate => {
                Some((Status::Demoted, down, policy.demote_rate))
            }
            _ => None,
        }
    };
    let estimate = target.map(|(_, e, _)| e).unwrap_or(rate);
    let threshold = target.map(|(_, _, t)| t).unwrap_or(f64::from(0u8));
    let evidence = Evidence {
        trials,
        conversions,
        estimate,
        threshold,
        min_sample: policy.min_sample,
    };
    let streak = target.map(|(to, _, _)| match script.streak {
        Some((s, n)) if s == to => (to, n.saturating_add(1)),
        _ => (to, 1),
    });
    let mut events = vec![Event::ScriptEvaluated {
        script: id.to_string(),
        evidence: evidence.clone(),
        streak,
    }];
    if let Some((to, n)) = streak {
        if n >= policy.consecutive {
            let verb = if to == Status::Demoted {
                "below"
            } else {
                "at or above"
            };
            events.push(Event::ScriptStatusChanged {
                script: id.to_string(),
                change: StatusChange {
                    from: Some(script.status),
                    to,
                    at,
                    reason: format!(
                        "{n} consecutive evaluations {verb} {threshold:.4} (estimate {estimate:.4} over {trials} trials, minimum {})",
                        policy.min_sample
                    ),
                    evidence: Some(evidence),
                },
            });
        }
    }
    events
}

impl State {
    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::ScriptRegistered { script, body, at } => {
                self.scripts.insert(
                    script.clone(),
                    Script {
                        status: Status::Experimental,
                        versions: vec![Version {
                            number: 1,
                            body: body.clone(),
                            at: *at,
                        }],
                        history: vec![StatusChange {
                            from: None,
                            to: Status::Experimental,
                            at: *at,
                            reason: "registered".into(),
                            evidence: None,
                        }],
                        streak: None,
                        evaluations: 0,
                    },
                );
            }
            Event::ScriptVersionAdded {
                script,
                number,
                body,
                at,
            } => {
                if let Some(s) = self.scripts.get_mut(script) {
                    s.versions.push(Version {
                        number: *number,
                        body: body.clone(),
                        at: *at,
                    });
                }
            }
            Event::ScriptEvaluated { script, streak, .. } => {
                if let Some(s) = self.scripts.get_mut(script) {
                    s.streak = *streak;
                    s.evaluations = s.evaluations.saturating_add(1);
                }
            }
            Event::ScriptStatusChanged { script, change } => {
                if let Some(s) = self.scripts.get_mut(script) {
                    s.status = change.to;
                    s.streak = None;
                    s.history.push(change.clone());
                }
            }
        }
    }

    /// Ids of the current Primary scripts.
    pub fn primaries(&self) -> Vec<String> {
        self.scripts
            .iter()
            .filter(|(_, s)| s.status == Status::Primary)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// The latest evidence evaluated for each script, by script id, from this
/// block's events: a script's row shows what its last evaluation saw, even
/// when that evaluation changed nothing (the state keeps evidence only with
/// a status change).
pub fn latest_evidence<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> BTreeMap<String, Evidence> {
    let mut out = BTreeMap::new();
    for e in events {
        if let Event::ScriptEvaluated {
            script, evidence, ..
        } = e
        {
            out.insert(script.clone(), evidence.clone());
        }
    }
    out
}

impl Status {
    /// The status's name, as in JSON and what-if ("Primary").
    pub fn name(self) -> &'static str {
        match self {
            Status::Experimental => "Experimental",
            Status::Testing => "Testing",
            Status::Primary => "Primary",
            Status::Demoted => "Demoted",
            Status::Retired => "Retired",
        }
    }
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::RegisterScript { script, .. }
            | Command::AddScriptVersion { script, .. }
            | Command::EvaluateScript { script, .. }
            | Command::RetireScript { script, .. } => format!("script/{}", script.trim()),
        }
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::EvaluateScript { .. } => Kind::Promotion,
            _ => Kind::Command,
        }
    }
}

impl BlockEvent for Event {
    fn detail(&self) -> Option<String> {
        match self {
            // The audit trail has always written the previous status as
            // `Some(Testing)` / `None`: the text is hashed into the chain and
            // re-executing a stored log must give it again, so it stays.
            Event::ScriptStatusChanged { change, .. } => Some(format!(
                "{} -> {}: {}",
                match change.from {
                    Some(from) => format!("Some({})", from.name()),
                    None => "None".into(),
                },
                change.to.name(),
                change.reason
            )),
            _ => None,
        }
    }

    fn decision(&self) -> Option<Decision> {
        match self {
            Event::ScriptStatusChanged { script, change } => Some(Decision::new(
                if change.to == Status::Demoted {
                    Kind::Demotion
                } else {
                    Kind::Promotion
                },
                format!("script/{script}"),
                Outcome::Status(change.to.name()),
                change.reason.clone(),
            )),
            Event::ScriptEvaluated {
                script,
                evidence,
                streak,
            } => Some(Decision::new(
                Kind::Promotion,
                format!("script/{script}"),
                Outcome::Unchanged,
                match streak {
                    Some((to, n)) => format!("{n} qualifying evaluation(s) toward {}", to.name()),
                    None => format!(
                        "no qualifying evidence ({} trials, rate {:.4})",
                        evidence.trials, evidence.estimate
                    ),
                },
            )),
            _ => None,
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

    fn run(state: &mut State, policy: &Policy, cmd: Command) -> Result<Vec<Event>, Error> {
        let events = decide(state, policy, &cmd, at(), None)?;
        events.iter().for_each(|e| state.apply(e));
        Ok(events)
    }

    fn eval(script: &str, trials: i64, conversions: i64) -> Command {
        Command::EvaluateScript {
            script: script.into(),
            trials: Some(trials),
            conversions: Some(conversions),
        }
    }

    fn registered(id: &str) -> State {
        let mut s = State::default();
        let _ = run(
            &mut s,
            &Policy::default(),
            Command::RegisterScript {
                script: id.into(),
                body: "Hi {{name}}".into(),
            },
        );
        s
    }

    #[test]
    fn the_latest_evidence_of_each_script_is_its_last_evaluation() {
        let mut s = registered("s1");
        let mut events = Vec::new();
        for (trials, conversions) in [(100, 10), (200, 40)] {
            events.extend(
                run(&mut s, &Policy::default(), eval("s1", trials, conversions))
                    .unwrap_or_default(),
            );
        }
        let latest = latest_evidence(&events);
        assert_eq!(latest.keys().collect::<Vec<_>>(), vec!["s1"]);
        let last = events.iter().rev().find_map(|e| match e {
            Event::ScriptEvaluated { evidence, .. } => Some(evidence),
            _ => None,
        });
        assert_eq!(latest.get("s1"), last);
        assert!(last.is_some_and(|e| e.trials == 200));
        assert!(latest_evidence(&[]).is_empty());
    }

    #[test]
    fn promotes_only_after_consecutive_qualifying_evaluations_and_keeps_history() {
        let p = Policy::default();
        let mut s = registered("s1");
        for _ in 0..2 {
            let _ = run(&mut s, &p, eval("s1", 200, 20));
        }
        assert_eq!(
            s.scripts.get("s1").map(|x| x.status),
            Some(Status::Experimental)
        );
        let _ = run(&mut s, &p, eval("s1", 200, 20));
        assert_eq!(s.scripts.get("s1").map(|x| x.status), Some(Status::Testing));
        for _ in 0..3 {
            let _ = run(&mut s, &p, eval("s1", 200, 30));
        }
        assert_eq!(s.scripts.get("s1").map(|x| x.status), Some(Status::Primary));
        assert_eq!(s.primaries(), vec!["s1".to_string()]);
        let history: Vec<Status> = s
            .scripts
            .get("s1")
            .map(|x| x.history.iter().map(|h| h.to).collect())
            .unwrap_or_default();
        assert_eq!(
            history,
            vec![Status::Experimental, Status::Testing, Status::Primary]
        );
    }

    #[test]
    fn a_non_qualifying_evaluation_breaks_the_run_so_the_script_does_not_flap() {
        let p = Policy::default();
        let mut s = registered("s1");
        let _ = run(&mut s, &p, eval("s1", 200, 20));
        let _ = run(&mut s, &p, eval("s1", 200, 20));
        let _ = run(&mut s, &p, eval("s1", 200, 2));
        let _ = run(&mut s, &p, eval("s1", 200, 20));
        assert_eq!(
            s.scripts.get("s1").map(|x| (x.status, x.streak)),
            Some((Status::Experimental, Some((Status::Testing, 1))))
        );
        // Below the minimum sample, nothing counts.
        let _ = run(&mut s, &p, eval("s1", 99, 99));
        assert_eq!(s.scripts.get("s1").and_then(|x| x.streak), None);
    }

    #[test]
    fn demotes_a_primary_that_falls_below_the_demotion_rate() {
        let p = Policy {
            consecutive: 1,
            ..Policy::default()
        };
        let mut s = registered("s1");
        let _ = run(&mut s, &p, eval("s1", 100, 10));
        let _ = run(&mut s, &p, eval("s1", 100, 10));
        assert_eq!(s.scripts.get("s1").map(|x| x.status), Some(Status::Primary));
        let _ = run(&mut s, &p, eval("s1", 100, 1));
        assert_eq!(s.scripts.get("s1").map(|x| x.status), Some(Status::Demoted));
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        let p = Policy::default();
        let mut s = registered("s1");
        assert_eq!(
            run(&mut s, &p, eval("nope", 1, 0)),
            Err(Error::UnknownScript("nope".into()))
        );
        assert_eq!(
            run(&mut s, &p, eval("s1", -1, 0)).map_err(|e| e.code()),
            Err("invalid_count")
        );
        assert_eq!(
            run(&mut s, &p, eval("s1", 10, 11)).map_err(|e| e.to_string()),
            Err("conversions (11) exceed trials (10)".into())
        );
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::RegisterScript {
                    script: "s1".into(),
                    body: "x".into()
                }
            ),
            Err(Error::DuplicateScript("s1".into()))
        );
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::RegisterScript {
                    script: "".into(),
                    body: "x".into()
                }
            ),
            Err(Error::InvalidName)
        );
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::RegisterScript {
                    script: "s2".into(),
                    body: " ".into()
                }
            ),
            Err(Error::EmptyBody)
        );
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::EvaluateScript {
                    script: "s1".into(),
                    trials: None,
                    conversions: None
                }
            ),
            Err(Error::NoEvidence("s1".into()))
        );
        let _ = run(
            &mut s,
            &p,
            Command::RetireScript {
                script: "s1".into(),
                reason: String::new(),
            },
        );
        assert_eq!(
            run(&mut s, &p, eval("s1", 10, 1)),
            Err(Error::Retired("s1".into()))
        );
    }

    #[test]
    fn wilson_bounds_do_not_promote_on_a_lucky_small_sample() {
        // Given a Testing script and 12 conversions in 100 trials (point 0.12, lower bound ~0.07).
        let point = Policy {
            consecutive: 1,
            ..Policy::default()
        };
        let wilson = Policy {
            estimate: Estimate::Wilson,
            ..point.clone()
        };
        let mut s = registered("s1");
        let _ = run(&mut s, &point, eval("s1", 100, 12));
        assert_eq!(s.scripts.get("s1").map(|x| x.status), Some(Status::Testing));
        // When evaluated with plain averages, then Primary; with Wilson bounds, not yet.
        let mut by_point = s.clone();
        let _ = run(&mut by_point, &point, eval("s1", 100, 12));
        assert_eq!(
            by_point.scripts.get("s1").map(|x| x.status),
            Some(Status::Primary)
        );
        let mut by_wilson = s.clone();
        let _ = run(&mut by_wilson, &wilson, eval("s1", 100, 12));
        assert_eq!(
            by_wilson.scripts.get("s1").map(|x| x.status),
            Some(Status::Testing)
        );
        // With enough evidence the bound clears the threshold too.
        let _ = run(&mut by_wilson, &wilson, eval("s1", 2000, 240));
        assert_eq!(
            by_wilson.scripts.get("s1").map(|x| x.status),
            Some(Status::Primary)
        );
    }

    #[test]
    fn policy_validation_rejects_unordered_thresholds() {
        let p = Policy {
            testing_rate: 0.5,
            primary_rate: 0.1,
            ..Policy::default()
        };
        assert_eq!(p.validate().map_err(|e| e.code()), Err("invalid_policy"));
        assert_eq!(Policy::default().validate(), Ok(()));
    }
}
