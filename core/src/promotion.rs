//! Block 22, script promotion: scripts with versions move Experimental ->
//! Testing -> Primary (or Demoted / Retired) when evaluations meet the policy
//! a number of consecutive times, so that a script does not flap.
//!
//! Only evaluations that bring new evidence count toward the run (at least
//! `min_new_trials` trials the last counted evaluation did not see), so
//! evaluating the same totals again cannot promote; a new version starts
//! its own evidence (`evidence_per_version`). An evaluation may also carry
//! a performance score in [0, 1] (the original system's `evaluate(script,
//! score)`), compared with the thresholds of the [`Policy::performance_score`]
//! preset or of whatever policy is in force.

use crate::ab::rate_interval;
use crate::clean_name;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod words;
pub use words::status_change_sentence;

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
    /// The performance score evaluated, when the evaluation gave one instead of counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub score: Option<f64>,
}

/// Trials and conversions, as A/B totals or a version's evidence.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PromotionCounts"))]
pub struct Counts {
    /// Trials.
    pub trials: u64,
    /// Conversions.
    pub conversions: u64,
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
    /// The script's A/B totals when its current version was added: its
    /// evidence is counted from there (`evidence_per_version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub evidence_from: Option<Counts>,
    /// Trials of the last evaluation that counted toward the run, when the
    /// policy asks for new evidence (`min_new_trials` above 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub last_counted_trials: Option<u64>,
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
    /// New trials an evaluation must bring, since the last one that counted,
    /// to count toward the run, in 0..=[`MAX_MIN_SAMPLE`] (0: every
    /// evaluation counts, as before this rule). A policy written before the
    /// rule existed reads as 0, so its command logs re-execute as they ran;
    /// 0 is not written, so such a policy keeps its hash.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub min_new_trials: u64,
    /// A new version starts its own evidence: the run restarts and the A/B
    /// totals so far are set aside. A policy written before the rule
    /// existed reads as `false`, so its logs re-execute as they ran (and
    /// `false` is not written, so such a policy keeps its hash).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub evidence_per_version: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Policy {
    /// The policy as JSON with every field written out, also those serde
    /// leaves out at their old-rule values, so that a partial policy may
    /// name them.
    pub(crate) fn to_full_value(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("min_new_trials".into(), self.min_new_trials.into());
            map.insert(
                "evidence_per_version".into(),
                self.evidence_per_version.into(),
            );
        }
        value
    }
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
            min_new_trials: 100,
            evidence_per_version: true,
        }
    }
}

/// The names of the promotion presets, for [`Policy::preset`].
pub const PRESETS: [&str; 2] = ["default", "performance_score"];

impl Policy {
    /// The original system's `evaluate(script, performance_score)`: one
    /// evaluation decides, on a score in [0, 1]: at or above 0.75 an
    /// Experimental script moves to Testing, at or above 0.85 a Testing one
    /// to Primary, below 0.65 a Testing or Primary one is demoted (so 0.87
    /// promotes and 0.62 demotes).
    pub fn performance_score() -> Self {
        Self {
            min_sample: 0,
            testing_rate: 0.75,
            primary_rate: 0.85,
            demote_rate: 0.65,
            consecutive: 1,
            min_new_trials: 0,
            ..Self::default()
        }
    }

    /// A named preset (one of [`PRESETS`]), `None` for an unknown name.
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "default" => Some(Self::default()),
            "performance_score" => Some(Self::performance_score()),
            _ => None,
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
        if self.min_new_trials > MAX_MIN_SAMPLE {
            return Err(Error::InvalidPolicy(format!(
                "min_new_trials ({}) must be at most {MAX_MIN_SAMPLE}",
                self.min_new_trials
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
        #[serde(rename = "script_id", alias = "script")]
        script: String,
        /// First version's text.
        body: String,
    },
    /// Adds a version.
    AddScriptVersion {
        /// Script id.
        #[serde(rename = "script_id", alias = "script")]
        script: String,
        /// New text.
        body: String,
    },
    /// Evaluates the script against the policy. Counts are the current
    /// version's totals so far; without counts, the totals of its variants
    /// in the script experiments of block 21 are used (since the version was
    /// added); a `score` in [0, 1] is compared with the thresholds as it is.
    EvaluateScript {
        /// Script id.
        #[serde(rename = "script_id", alias = "script")]
        script: String,
        /// Trials (optional; signed so that negatives become a typed error).
        #[serde(default)]
        trials: Option<i64>,
        /// Conversions (optional).
        #[serde(default)]
        conversions: Option<i64>,
        /// A performance score in [0, 1], instead of counts (optional).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        score: Option<f64>,
    },
    /// Withdraws a script by hand.
    RetireScript {
        /// Script id.
        #[serde(rename = "script_id", alias = "script")]
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
        /// The A/B totals set aside: the version's evidence starts after
        /// them (present when the policy keeps evidence per version).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        evidence_from: Option<Counts>,
    },
    /// An evaluation ran; `streak` is the qualifying run after it.
    ScriptEvaluated {
        /// Script id.
        script: String,
        /// The evidence.
        evidence: Evidence,
        /// Transition qualified for and the run length, if any.
        streak: Option<(Status, u32)>,
        /// Trials since the last evaluation that counted (present when the
        /// policy asks for new evidence).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        new_trials: Option<u64>,
        /// Too few new trials: the run is neither extended nor broken.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
        stale: bool,
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
    /// A score outside [0, 1], or given with counts.
    #[error("{0}")]
    InvalidScore(String),
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
            Error::InvalidScore(_) => "invalid_score",
        }
    }
}

/// Holds every rule of block 22. `ab_totals` are the script's (trials,
/// conversions) in block 21, used when an evaluation carries no counts and
/// set aside when a version is added.
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
            let evidence_from = policy.evidence_per_version.then(|| {
                let (trials, conversions) = ab_totals.unwrap_or_default();
                Counts {
                    trials,
                    conversions,
                }
            });
            Ok(vec![Event::ScriptVersionAdded {
                script: script.trim().to_string(),
                number,
                body: body.clone(),
                at,
                evidence_from,
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
            score,
        } => {
            let id = script.trim();
            let found = state
                .scripts
                .get(id)
                .ok_or_else(|| Error::UnknownScript(script.clone()))?;
            if found.status == Status::Retired {
                return Err(Error::Retired(id.to_string()));
            }
            if let Some(score) = score {
                if trials.is_some() || conversions.is_some() {
                    return Err(Error::InvalidScore(
                        "give a score or counts, not both".into(),
                    ));
                }
                if !(score.is_finite() && (0.0..=1.0).contains(score)) {
                    return Err(Error::InvalidScore(format!(
                        "score ({score}) must be within [0, 1]"
                    )));
                }
                return Ok(evaluate(id, found, policy, Measure::Score(*score), at));
            }
            let (t, c) = match (trials, conversions) {
                (Some(t), Some(c)) => crate::ab::validate_counts(*t, *c)
                    .map_err(|e| Error::InvalidCount(e.to_string()))?,
                (None, None) => {
                    let (t, c) = ab_totals.ok_or_else(|| Error::NoEvidence(id.to_string()))?;
                    let from = found.evidence_from.unwrap_or_default();
                    (
                        t.saturating_sub(from.trials),
                        c.saturating_sub(from.conversions),
                    )
                }
                _ => {
                    return Err(Error::InvalidCount(
                        "give both trials and conversions, or neither".into(),
                    ))
                }
            };
            Ok(evaluate(id, found, policy, Measure::Counts(t, c), at))
        }
    }
}

/// What an evaluation measured.
#[derive(Clone, Copy)]
enum Measure {
    /// The version's trials and conversions so far.
    Counts(u64, u64),
    /// A performance score in [0, 1]: one fresh measurement, no sample.
    Score(f64),
}

/// The evaluation rule: which transition the evidence qualifies for, the run
/// of consecutive qualifying evaluations (extended only by new evidence), and
/// the change once the run is long enough.
fn evaluate(
    id: &str,
    script: &Script,
    policy: &Policy,
    measure: Measure,
    at: DateTime<Utc>,
) -> Vec<Event> {
    let (trials, conversions, score) = match measure {
        Measure::Counts(t, c) => (t, c, None),
        Measure::Score(s) => (0, 0, Some(s)),
    };
    let (rate, low, high) = match score {
        Some(s) => (s, s, s),
        None => rate_interval(trials, conversions, policy.alpha),
    };
    let (up, down) = match policy.estimate {
        Estimate::Point => (rate, rate),
        Estimate::Wilson => (low, high),
    };
    let min_sample = if score.is_some() {
        0
    } else {
        policy.min_sample
    };
    let enough = trials >= min_sample;
    // New evidence: trials the last counted evaluation did not see (a score
    // is always a new measurement).
    let new_trials = (policy.min_new_trials > 0 && score.is_none())
        .then(|| trials.saturating_sub(script.last_counted_trials.unwrap_or(0)));
    let stale = new_trials.is_some_and(|n| n < policy.min_new_trials);
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
        min_sample,
        score,
    };
    let streak = if stale {
        script.streak
    } else {
        target.map(|(to, _, _)| match script.streak {
            Some((s, n)) if s == to => (to, n.saturating_add(1)),
            _ => (to, 1),
        })
    };
    let mut events = vec![Event::ScriptEvaluated {
        script: id.to_string(),
        evidence: evidence.clone(),
        streak,
        new_trials,
        stale,
    }];
    if let (Some((to, n)), false) = (streak, stale) {
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
                    reason: match score {
                        Some(s) => format!(
                            "{n} consecutive evaluations {verb} {threshold:.4} (performance score {s:.4})"
                        ),
                        None => format!(
                            "{n} consecutive evaluations {verb} {threshold:.4} (estimate {estimate:.4} over {trials} trials, minimum {min_sample})"
                        ),
                    },
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
                        evidence_from: None,
                        last_counted_trials: None,
                    },
                );
            }
            Event::ScriptVersionAdded {
                script,
                number,
                body,
                at,
                evidence_from,
            } => {
                if let Some(s) = self.scripts.get_mut(script) {
                    s.versions.push(Version {
                        number: *number,
                        body: body.clone(),
                        at: *at,
                    });
                    if let Some(from) = evidence_from {
                        s.evidence_from = Some(*from);
                        s.streak = None;
                        s.last_counted_trials = None;
                        s.history.push(StatusChange {
                            from: Some(s.status),
                            to: s.status,
                            at: *at,
                            reason: format!(
                                "version {number} added: its evidence starts here ({} earlier trials set aside, run restarted)",
                                from.trials
                            ),
                            evidence: None,
                        });
                    }
                }
            }
            Event::ScriptEvaluated {
                script,
                streak,
                evidence,
                new_trials,
                stale,
            } => {
                if let Some(s) = self.scripts.get_mut(script) {
                    s.streak = *streak;
                    s.evaluations = s.evaluations.saturating_add(1);
                    if new_trials.is_some() && !stale {
                        s.last_counted_trials = Some(evidence.trials);
                    }
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
            score: None,
        }
    }

    /// The rule before new evidence was required: every evaluation counts.
    fn every_evaluation() -> Policy {
        Policy {
            min_new_trials: 0,
            ..Policy::default()
        }
    }

    fn score(script: &str, score: f64) -> Command {
        Command::EvaluateScript {
            script: script.into(),
            trials: None,
            conversions: None,
            score: Some(score),
        }
    }

    fn status(s: &State, id: &str) -> Option<Status> {
        s.scripts.get(id).map(|x| x.status)
    }

    #[test]
    fn evaluating_the_same_totals_again_does_not_promote() {
        // Given a script whose A/B totals qualify for Testing (200 trials, rate 0.10).
        let p = Policy::default();
        let mut s = registered("s1");
        let same = Command::EvaluateScript {
            script: "s1".into(),
            trials: None,
            conversions: None,
            score: None,
        };
        // When it is evaluated three times on the same totals, then only the first counts.
        for _ in 0..3 {
            let events = decide(&s, &p, &same, at(), Some((200, 20))).unwrap_or_default();
            events.iter().for_each(|e| s.apply(e));
        }
        assert_eq!(status(&s, "s1"), Some(Status::Experimental));
        assert_eq!(
            s.scripts.get("s1").and_then(|x| x.streak),
            Some((Status::Testing, 1))
        );
        // With 100 new trials each time, the run grows and the script is promoted.
        for total in [300, 400] {
            let events = decide(&s, &p, &same, at(), Some((total, total / 10))).unwrap_or_default();
            events.iter().for_each(|e| s.apply(e));
        }
        assert_eq!(status(&s, "s1"), Some(Status::Testing));
        // 99 new trials are not enough.
        let events = decide(&s, &p, &same, at(), Some((499, 49))).unwrap_or_default();
        assert!(matches!(
            events.as_slice(),
            [Event::ScriptEvaluated {
                stale: true,
                new_trials: Some(99),
                ..
            }]
        ));
    }

    #[test]
    fn a_new_version_starts_its_own_evidence_and_its_history_says_so() {
        let p = Policy::default();
        let mut s = registered("s1");
        let evaluate = Command::EvaluateScript {
            script: "s1".into(),
            trials: None,
            conversions: None,
            score: None,
        };
        // Given two counted evaluations toward Testing on the first version's totals.
        for total in [200, 300] {
            let events =
                decide(&s, &p, &evaluate, at(), Some((total, total / 10))).unwrap_or_default();
            events.iter().for_each(|e| s.apply(e));
        }
        // When a version is added at 300 trials.
        let add = Command::AddScriptVersion {
            script: "s1".into(),
            body: "Hello {{name}}".into(),
        };
        let events = decide(&s, &p, &add, at(), Some((300, 30))).unwrap_or_default();
        events.iter().for_each(|e| s.apply(e));
        let script = s.scripts.get("s1").cloned();
        assert_eq!(script.as_ref().and_then(|x| x.streak), None);
        let last = script.as_ref().and_then(|x| x.history.last().cloned());
        assert!(last.is_some_and(|h| h.from == Some(Status::Experimental)
            && h.to == Status::Experimental
            && h.reason.contains("version 2 added")
            && h.reason.contains("300 earlier trials set aside")));
        // Then an evaluation at 400 total trials sees only the version's 100.
        let events = decide(&s, &p, &evaluate, at(), Some((400, 40))).unwrap_or_default();
        assert!(matches!(
            events.as_slice(),
            [Event::ScriptEvaluated { evidence, .. }] if evidence.trials == 100 && evidence.conversions == 10
        ));
    }

    #[test]
    fn the_performance_score_preset_promotes_at_087_and_demotes_at_062() {
        let p = Policy::performance_score();
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(Policy::preset("performance_score"), Some(p.clone()));
        assert_eq!(Policy::preset("nope"), None);
        let mut s = registered("s1");
        let _ = run(&mut s, &p, score("s1", 0.87));
        assert_eq!(status(&s, "s1"), Some(Status::Testing));
        let _ = run(&mut s, &p, score("s1", 0.87));
        assert_eq!(status(&s, "s1"), Some(Status::Primary));
        let reason = s
            .scripts
            .get("s1")
            .and_then(|x| x.history.last())
            .map(|h| h.reason.clone());
        assert!(reason.is_some_and(|r| r.contains("performance score 0.8700")));
        let _ = run(&mut s, &p, score("s1", 0.62));
        assert_eq!(status(&s, "s1"), Some(Status::Demoted));
        // Under the default policy a score is compared with the rate thresholds.
        let mut d = registered("s2");
        let _ = run(&mut d, &Policy::default(), score("s2", 0.62));
        assert_eq!(
            d.scripts.get("s2").and_then(|x| x.streak),
            Some((Status::Testing, 1))
        );
    }

    #[test]
    fn a_score_outside_0_1_or_with_counts_is_refused() {
        let p = Policy::performance_score();
        let mut s = registered("s1");
        for bad in [1.5, -0.1, f64::NAN] {
            assert_eq!(
                run(&mut s, &p, score("s1", bad)).map_err(|e| e.code()),
                Err("invalid_score")
            );
        }
        let both = Command::EvaluateScript {
            script: "s1".into(),
            trials: Some(10),
            conversions: Some(1),
            score: Some(0.9),
        };
        assert_eq!(
            run(&mut s, &p, both).map_err(|e| e.to_string()),
            Err("give a score or counts, not both".into())
        );
    }

    #[test]
    fn a_policy_written_before_the_new_evidence_rules_reads_as_the_old_rules() {
        let old: Policy =
            serde_json::from_str(r#"{"min_sample":100,"consecutive":3}"#).unwrap_or_default();
        assert_eq!((old.min_new_trials, old.evidence_per_version), (0, false));
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
        let p = every_evaluation();
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
        let p = every_evaluation();
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
            ..every_evaluation()
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
                    conversions: None,
                    score: None,
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
            ..every_evaluation()
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

    #[test]
    fn a_status_change_in_the_audit_reads_as_a_sentence() {
        assert_eq!(
            status_change_sentence("Some(Primary) -> Retired: no longer used").as_deref(),
            Some("moved from Primary to Retired: no longer used")
        );
        assert_eq!(
            status_change_sentence("None -> Experimental: registered").as_deref(),
            Some("registered as Experimental: registered")
        );
        assert_eq!(status_change_sentence("PROMOTE: every gate passed"), None);
        assert_eq!(status_change_sentence("mean 0.845 -> 0.855"), None);
    }
}
