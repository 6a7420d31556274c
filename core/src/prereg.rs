//! Pre-registration: an experiment's decision rule (metric, method, alpha,
//! minimum sample, minimum run time, minimum detectable effect) fixed before
//! its data arrives, so a winner cannot be chosen by looking at the data
//! first. The rule's SHA-256 goes into the audit entry of its registration;
//! a winner read before the rule's minimum run time or sample is refused
//! ("peeking", [`Error::Peeking`]); a rule changed after data arrived needs
//! a reason and stays flagged (verification's `registered_rules_unchanged`).
//!
//! Whether data arrived is the A/B block's counts, given to [`decide`] by
//! the reducer; reading a winner is `Brain::registered_winner` (in
//! `peeking`), with the time as an argument (the core has no clock).

use crate::ab;
use crate::canon;
use crate::contract::{BlockCommand, BlockEvent};
use crate::stats::WinnerMethod;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest minimum run time a rule may ask for: ten years.
pub const MAX_RUN_HOURS: u64 = 24 * 3650;

/// Longest reason for a rule changed after data arrived, in characters.
pub const MAX_REASON_LEN: usize = 500;

/// How an experiment's winner will be decided, fixed before its data.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionRule {
    /// The metric the experiment is judged on (e.g. "conversion").
    pub metric: String,
    /// The test that decides.
    pub method: WinnerMethod,
    /// Significance level, in (0, 1).
    pub alpha: f64,
    /// Trials every variant needs before the winner may be read.
    pub min_sample: u64,
    /// Hours from the experiment's start before the winner may be read,
    /// at most [`MAX_RUN_HOURS`].
    pub min_run_hours: u64,
    /// Smallest relative lift worth detecting, in (0, 10] (what the sample
    /// size was planned for).
    pub min_detectable_effect: f64,
}

impl DecisionRule {
    /// Checks every field's range.
    pub fn validate(&self) -> Result<(), Error> {
        let bad =
            |field: &'static str, allowed: &'static str| Err(Error::InvalidRule { field, allowed });
        if crate::clean_name(&self.metric).is_none() {
            return bad("metric", "a name of 1 to 200 characters");
        }
        if !(self.alpha.is_finite() && 0.0 < self.alpha && self.alpha < 1.0) {
            return bad("alpha", "above 0 and below 1");
        }
        if self.min_run_hours > MAX_RUN_HOURS {
            return bad("min_run_hours", "at most 87600 (ten years)");
        }
        let mde = self.min_detectable_effect;
        if !(mde.is_finite() && 0.0 < mde && mde <= 10.0) {
            return bad("min_detectable_effect", "above 0 and at most 10");
        }
        Ok(())
    }

    /// SHA-256 of the rule's canonical JSON: what the audit entry records.
    pub fn hash(&self) -> String {
        canon::sha256_json(self)
    }
}

/// An experiment's registration: its rule in force and how it came to be.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    /// The rule in force.
    pub rule: DecisionRule,
    /// Its hash.
    pub rule_hash: String,
    /// When the first rule was registered.
    pub registered_at: DateTime<Utc>,
    /// Every later change, oldest first.
    #[serde(default)]
    pub changes: Vec<RuleChange>,
}

impl Registration {
    /// The changes made after the experiment's data arrived.
    pub fn changed_after_data(&self) -> impl Iterator<Item = &RuleChange> {
        self.changes.iter().filter(|c| c.after_data)
    }
}

/// A registered rule replaced by another.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RuleChange {
    /// When.
    pub at: DateTime<Utc>,
    /// The hash of the rule it replaced.
    pub previous_hash: String,
    /// Whether the experiment had data then (such a change is flagged).
    pub after_data: bool,
    /// Why (required after data arrived).
    pub reason: Option<String>,
}

/// The state of pre-registration: registrations by experiment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PreregState"))]
pub struct State {
    /// Registrations by experiment id.
    pub registrations: BTreeMap<String, Registration>,
}

impl State {
    /// Nothing registered (the state hash then leaves the block out, so
    /// states from before it keep their hashes).
    pub fn is_empty(&self) -> bool {
        self.registrations.is_empty()
    }

    /// Folds one event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::RuleRegistered {
                experiment_id,
                rule,
                rule_hash,
                at,
                change,
            } => match (self.registrations.get_mut(experiment_id), change) {
                (Some(reg), Some(change)) => {
                    reg.rule = rule.clone();
                    reg.rule_hash = rule_hash.clone();
                    reg.changes.push(change.clone());
                }
                _ => {
                    self.registrations.insert(
                        experiment_id.clone(),
                        Registration {
                            rule: rule.clone(),
                            rule_hash: rule_hash.clone(),
                            registered_at: *at,
                            changes: Vec::new(),
                        },
                    );
                }
            },
        }
    }
}

tagged_enum! {
/// Commands of pre-registration.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PreregCommand"))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Registers (or changes) an experiment's decision rule. A first
    /// registration must come before the experiment's data; a change after
    /// data arrived needs a reason and is flagged.
    RegisterRule {
        /// The experiment (its A/B name).
        experiment_id: String,
        /// The rule.
        rule: DecisionRule,
        /// Why the rule changes (required once data arrived).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}
}

tagged_enum! {
/// Events of pre-registration.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PreregEvent"))]
pub enum Event {
    /// A rule was registered, or replaced (`change`).
    RuleRegistered {
        /// The experiment.
        experiment_id: String,
        /// The rule now in force.
        rule: DecisionRule,
        /// Its hash (also in the audit entry's detail).
        rule_hash: String,
        /// When.
        at: DateTime<Utc>,
        /// Set when an earlier rule was replaced.
        change: Option<RuleChange>,
    },
}
}

/// Bad pre-registration input, or a winner read too early.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// A rule field out of its range.
    #[error("decision rule: {field} must be {allowed}")]
    InvalidRule {
        /// The field.
        field: &'static str,
        /// What it may be.
        allowed: &'static str,
    },
    /// An empty or over-long experiment id.
    #[error("experiment id must be 1 to 200 characters without control characters")]
    InvalidExperiment,
    /// A first registration after the experiment's data arrived.
    #[error("experiment {0} already has data: a rule registered now is not a pre-registration")]
    DataArrived(String),
    /// A rule change after data arrived without a reason (or a blank or too long one).
    #[error(
        "experiment {0} already has data: changing its rule needs a reason of 1 to 500 characters"
    )]
    ReasonRequired(String),
    /// No registration for the experiment.
    #[error("experiment {0} has no registered decision rule")]
    NotRegistered(String),
    /// A winner read before the rule allows it.
    #[error("peeking: the winner of {experiment} may be read {wait}")]
    Peeking {
        /// The experiment.
        experiment: String,
        /// When, in words ("after 2026-03-09 09:00 UTC (minimum run time 168 h)").
        wait: String,
    },
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidRule { .. } => "invalid_rule",
            Error::InvalidExperiment => "invalid_name",
            Error::DataArrived(_) => "rule_after_data",
            Error::ReasonRequired(_) => "rule_change_needs_reason",
            Error::NotRegistered(_) => "not_registered",
            Error::Peeking { .. } => "peeking",
        }
    }
}

/// Whether an experiment has any trial recorded.
pub fn has_data(ab: &ab::State, experiment: &str) -> bool {
    ab.experiments
        .get(experiment)
        .is_some_and(|e| e.variants.values().any(|v| v.trials > 0))
}

/// Holds the rules: a valid rule; a first one before data; a change after
/// data with a reason.
pub fn decide(
    state: &State,
    cmd: &Command,
    at: DateTime<Utc>,
    data_arrived: bool,
) -> Result<Vec<Event>, Error> {
    let Command::RegisterRule {
        experiment_id,
        rule,
        reason,
    } = cmd;
    let id = crate::clean_name(experiment_id).ok_or(Error::InvalidExperiment)?;
    rule.validate()?;
    let reason = reason.as_deref().map(str::trim);
    let change = match state.registrations.get(id) {
        None if data_arrived => return Err(Error::DataArrived(id.to_string())),
        None => None,
        Some(reg) => {
            let ok = reason.is_some_and(|r| !r.is_empty() && r.chars().count() <= MAX_REASON_LEN);
            if data_arrived && !ok {
                return Err(Error::ReasonRequired(id.to_string()));
            }
            Some(RuleChange {
                at,
                previous_hash: reg.rule_hash.clone(),
                after_data: data_arrived,
                reason: reason.map(str::to_string),
            })
        }
    };
    Ok(vec![Event::RuleRegistered {
        experiment_id: id.to_string(),
        rule: rule.clone(),
        rule_hash: rule.hash(),
        at,
        change,
    }])
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::RegisterRule { experiment_id, .. } => {
                format!("experiment/{}", experiment_id.trim())
            }
        }
    }
}

impl BlockEvent for Event {
    /// The rule's hash, so the audit log commits to the rule registered.
    fn detail(&self) -> Option<String> {
        match self {
            Event::RuleRegistered {
                rule_hash, change, ..
            } => Some(match change {
                None => format!("rule {rule_hash}"),
                Some(c) if c.after_data => format!(
                    "rule {rule_hash} replaces {} after data arrived: {}",
                    c.previous_hash,
                    c.reason.as_deref().unwrap_or_default()
                ),
                Some(c) => format!("rule {rule_hash} replaces {}", c.previous_hash),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::{Brain, Command as Any, Envelope};
    use crate::error::BrainError;
    use chrono::{Duration, TimeZone};

    fn at(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default()
            + Duration::hours(hours)
    }

    fn rule(min_sample: u64, min_run_hours: u64) -> DecisionRule {
        DecisionRule {
            metric: "conversion".into(),
            method: WinnerMethod::Frequentist,
            alpha: 0.05,
            min_sample,
            min_run_hours,
            min_detectable_effect: 0.1,
        }
    }

    fn register(rule: DecisionRule, reason: Option<&str>) -> Any {
        Any::Prereg(Command::RegisterRule {
            experiment_id: "open".into(),
            rule,
            reason: reason.map(str::to_string),
        })
    }

    fn variant(name: &str) -> Any {
        Any::Ab(ab::Command::RegisterVariant {
            experiment: "open".into(),
            variant: name.into(),
            kind: ab::VariantKind::Script,
            weight: 1.0,
        })
    }

    fn counts(name: &str, trials: i64, conversions: i64) -> Any {
        Any::Ab(ab::Command::RecordCounts {
            experiment: "open".into(),
            variant: name.into(),
            trials,
            conversions,
        })
    }

    /// Given commands at hours 0, 1, 2, ...: the brain, or the first refusal's code.
    fn given(commands: Vec<Any>) -> Result<Brain, (usize, &'static str)> {
        let mut brain = Brain::new();
        for (i, c) in commands.into_iter().enumerate() {
            brain
                .execute(Envelope::new(at(i as i64), c))
                .map_err(|e| (i, e.code()))?;
        }
        Ok(brain)
    }

    fn registered_then_data() -> Vec<Any> {
        vec![
            register(rule(1000, 168), None),
            variant("a"),
            variant("b"),
            counts("a", 1000, 100),
            counts("b", 1000, 160),
        ]
    }

    #[test]
    fn a_registered_rule_is_hashed_into_the_audit_log() {
        let brain = given(registered_then_data()).expect("accepted");
        let hash = rule(1000, 168).hash();
        let reg = brain
            .state()
            .prereg
            .registrations
            .get("open")
            .expect("registered");
        assert_eq!(reg.rule_hash, hash);
        let entry = &brain.state().audit.entries[0];
        assert_eq!(entry.subject, "experiment/open");
        assert_eq!(entry.detail, format!("rule {hash}"));
    }

    #[test]
    fn a_winner_read_before_the_minimum_run_time_or_sample_is_refused_as_peeking() {
        let brain = given(registered_then_data()).expect("accepted");
        // The variants were registered at hour 1: the winner may be read from hour 169.
        let early = brain
            .registered_winner("open", at(168))
            .map_err(|e| e.code());
        assert_eq!(early.err(), Some("peeking"));
        let report = brain.registered_winner("open", at(169)).expect("read");
        assert_eq!(report.winner.as_deref(), Some("b"));
        // Too few trials in one variant: still peeking, whatever the time.
        let mut cmds = registered_then_data();
        cmds[4] = counts("b", 999, 160);
        let brain = given(cmds).expect("accepted");
        let err = brain.registered_winner("open", at(10_000)).err();
        assert_eq!(err.as_ref().map(BrainError::code), Some("peeking"));
        assert!(err.is_some_and(|e| e.to_string().contains("the smallest has 999")));
        let none = brain
            .registered_winner("other", at(10_000))
            .map_err(|e| e.code());
        assert_eq!(none.err(), Some("not_registered"));
    }

    #[test]
    fn registration_refusals_leave_the_state_unchanged() {
        let mut late = registered_then_data();
        late.remove(0);
        late.push(register(rule(1000, 168), None));
        let mut no_reason = registered_then_data();
        no_reason.push(register(rule(500, 24), None));
        let mut blank = registered_then_data();
        blank.push(register(rule(500, 24), Some("  ")));
        let mut bad_alpha = rule(10, 1);
        bad_alpha.alpha = 1.0;
        let mut bad_mde = rule(10, 1);
        bad_mde.min_detectable_effect = 0.0;
        let cases: Vec<(Vec<Any>, usize, &str)> = vec![
            (late, 4, "rule_after_data"),
            (no_reason, 5, "rule_change_needs_reason"),
            (blank, 5, "rule_change_needs_reason"),
            (vec![register(bad_alpha, None)], 0, "invalid_rule"),
            (vec![register(bad_mde, None)], 0, "invalid_rule"),
            (vec![register(rule(1, 87_601), None)], 0, "invalid_rule"),
        ];
        for (cmds, position, code) in cases {
            assert_eq!(given(cmds).err(), Some((position, code)));
        }
    }

    #[test]
    fn a_rule_changed_before_data_is_quiet_and_after_data_needs_a_reason_and_is_flagged() {
        let mut cmds = vec![register(rule(10, 1), None), register(rule(1000, 168), None)];
        cmds.extend(registered_then_data().into_iter().skip(1));
        let brain = given(cmds.clone()).expect("accepted");
        let check = brain.verify();
        let flag = check.check("registered_rules_unchanged").expect("check");
        assert_eq!(flag.status, crate::verify::Status::Pass);
        cmds.push(register(
            rule(500, 24),
            Some("the planned sample was too large"),
        ));
        let brain = given(cmds).expect("accepted");
        let reg = brain
            .state()
            .prereg
            .registrations
            .get("open")
            .expect("registered");
        assert_eq!(reg.rule, rule(500, 24));
        assert_eq!(reg.changed_after_data().count(), 1);
        let flag = brain.verify();
        let flag = flag.check("registered_rules_unchanged").expect("check");
        assert_eq!(flag.status, crate::verify::Status::Warn);
        assert!(
            flag.details.contains("the planned sample was too large"),
            "{flag:?}"
        );
    }

    #[test]
    fn a_brain_without_registrations_keeps_its_state_json_and_hash() {
        let brain = given(vec![variant("a")]).expect("accepted");
        let json = serde_json::to_value(brain.state()).expect("json");
        assert!(json.get("prereg").is_none(), "{json}");
    }
}
