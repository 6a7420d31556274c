//! Continuous monitoring: scheduled checks, automatic safety responses, reports and an inbox.
//!
//! The core has no clock, so the schedule is data: each check has a cadence (policy) and a
//! last run (state), and [`Command::RunDueChecks`] brings the time (the envelope's `at`).
//! Every check that fell due since its last run runs once, in time order, as ordinary events
//! of this block: audited, replayed and seen by what-if like any other command. A long gap
//! runs each check once and records how many runs it skipped; with nothing due the command is
//! refused (`nothing_due`), so running it twice at the same time changes nothing the second
//! time. The console sends it on load and on a timer; JS apps call `brain.runDueChecks(at)`.
//!
//! The checks:
//! - `drift`: the automatic safety responses ([`responses`]): a critical degradation of a
//!   model's series or a major drift rolls the model back (the models block's own
//!   `RollBack`, run by the reducer), once per condition;
//! - `thresholds`: absolute limits on outcome series ([`thresholds`]);
//! - `ab_evaluation`: the winner of every experiment under the A/B policy in force;
//! - `health` and `weekly_report`: a report falls due ([`reports`] builds it from the state).
//!
//! Every alert and action names its rule, the values it compared and the command that caused
//! it. The inbox ([`inbox`]) lists alerts, actions and due reports with read / unread.

mod error;
pub mod inbox;
mod policy;
pub mod reports;
pub mod responses;
pub mod schedule;
pub mod thresholds;

pub use error::*;
pub use policy::*;
pub use responses::{Effect, RuleValue};
pub use schedule::{Check, CheckRun, Schedule, ScheduleRow};
pub use thresholds::{Breach, Statistic, Threshold};

use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};
use crate::{ab, gates, models, outcomes, promotion};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

tagged_enum! {
/// Commands of the monitoring block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringCommand"))]
pub enum Command {
    /// Runs every check that fell due since its last run, at the envelope's time.
    RunDueChecks {},
    /// Runs one check now, due or not (the console's "run now").
    RunCheck {
        /// The check.
        check: Check,
    },
    /// Marks notifications of the inbox read.
    MarkRead {
        /// The notifications (at least one, each in the inbox).
        notification_ids: Vec<String>,
    },
}
}

/// Where a monitoring alert stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringAlertKind"))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// An absolute threshold is breached.
    Threshold,
    /// A safety rule found a model in danger and acted.
    Response,
}

/// An alert the monitoring block raised; open while its condition holds.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringAlert"))]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// `monitor-<n>`, counting every monitoring alert from 1.
    pub alert_id: String,
    /// What kind.
    pub kind: AlertKind,
    /// The condition (`"threshold/<rule>/<series>"`, `"degradation/<series>"`,
    /// `"drift/<alert>"`): one open alert per condition.
    pub key: String,
    /// The rule.
    pub rule: String,
    /// The series.
    pub series_id: String,
    /// The series' subject.
    pub subject: Option<String>,
    /// The values the rule compared.
    pub values: Vec<RuleValue>,
    /// In words.
    pub message: String,
    /// The command that raised it (`"RunDueChecks at <time> (log position <n>)"`).
    pub caused_by: String,
    /// When raised.
    pub raised_at: DateTime<Utc>,
    /// When its condition cleared.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// An automatic action: what a safety rule did.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringAction"))]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// `action-<n>`, counting every action from 1.
    pub action_id: String,
    /// The rule.
    pub rule: String,
    /// The alert raised with it.
    pub alert_id: String,
    /// The model.
    pub model_id: String,
    /// The series.
    pub series_id: String,
    /// What it does.
    pub effect: Effect,
    /// The values the rule compared.
    pub values: Vec<RuleValue>,
    /// In words.
    pub message: String,
    /// The command that caused it.
    pub caused_by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Why the effect could not be carried out (e.g. no previous champion); none when done.
    #[serde(default)]
    pub failed: Option<String>,
}

/// The kind of a report.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReportKind"))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// The daily health report (the last 24 hours).
    Daily,
    /// The weekly summary (the last 7 days).
    Weekly,
}

impl ReportKind {
    /// The period a report covers.
    pub fn period(self) -> Duration {
        match self {
            ReportKind::Daily => Duration::hours(24),
            ReportKind::Weekly => Duration::days(7),
        }
    }

    /// The kind's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Daily => "daily",
            ReportKind::Weekly => "weekly",
        }
    }
}

/// A report that fell due.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "DueReport"))]
#[serde(rename_all = "camelCase")]
pub struct DueReport {
    /// `report-<kind>-<n>`.
    pub report_id: String,
    /// Which.
    pub kind: ReportKind,
    /// When it fell due (the report covers the period up to then).
    pub at: DateTime<Utc>,
}

tagged_enum! {
/// Events of the monitoring block.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringEvent"))]
pub enum Event {
    /// A check ran.
    CheckRan {
        /// Which.
        check: Check,
        /// When it fell due.
        due_at: DateTime<Utc>,
        /// When it ran (the command's time).
        at: DateTime<Utc>,
        /// Due runs a long gap skipped.
        skipped: u64,
    },
    /// A monitoring alert was raised.
    AlertRaised {
        /// The alert.
        alert: Alert,
    },
    /// A monitoring alert's condition no longer holds.
    AlertCleared {
        /// The alert.
        alert_id: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A safety rule acted (the effect's own events follow, from its block).
    ResponseTaken {
        /// The action.
        action: Action,
    },
    /// An experiment was evaluated.
    ExperimentEvaluated {
        /// The experiment.
        experiment: String,
        /// Its winner, if the evidence decides one.
        winner: Option<String>,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A report fell due.
    ReportDue {
        /// The report.
        report: DueReport,
    },
    /// Notifications were read.
    NotificationsRead {
        /// Which.
        notification_ids: Vec<String>,
        /// When.
        at: DateTime<Utc>,
    },
}
}

/// The state of the monitoring block.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringState"))]
#[serde(default)]
pub struct State {
    /// Each check's last run.
    pub runs: BTreeMap<Check, CheckRun>,
    /// Every monitoring alert, oldest first.
    pub alerts: Vec<Alert>,
    /// Every automatic action, oldest first.
    pub actions: Vec<Action>,
    /// Each experiment's winner at its latest evaluation.
    pub winners: BTreeMap<String, Option<String>>,
    /// Every report that fell due, oldest first.
    pub reports: Vec<DueReport>,
    /// Notifications read.
    pub read: BTreeSet<String>,
}

impl State {
    /// Nothing monitored yet (then the state is left out of the state hash, so states from
    /// before this block hash as they did).
    pub fn is_empty(&self) -> bool {
        *self == State::default()
    }

    /// Folds an event into the state.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::CheckRan {
                check, at, skipped, ..
            } => {
                let run = self.runs.entry(*check).or_insert(CheckRun {
                    last_run: *at,
                    runs: 0,
                    skipped: 0,
                });
                run.last_run = *at;
                run.runs += 1;
                run.skipped += skipped;
            }
            Event::AlertRaised { alert } => self.alerts.push(alert.clone()),
            Event::AlertCleared { alert_id, at } => {
                if let Some(a) = self.alerts.iter_mut().find(|a| &a.alert_id == alert_id) {
                    a.resolved_at = Some(*at);
                }
            }
            Event::ResponseTaken { action } => self.actions.push(action.clone()),
            Event::ExperimentEvaluated {
                experiment, winner, ..
            } => {
                self.winners.insert(experiment.clone(), winner.clone());
            }
            Event::ReportDue { report } => self.reports.push(report.clone()),
            Event::NotificationsRead {
                notification_ids, ..
            } => self.read.extend(notification_ids.iter().cloned()),
        }
    }

    /// The open alerts, oldest first.
    pub fn open_alerts(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.iter().filter(|a| a.resolved_at.is_none())
    }

    /// The schedule's rows under `policy`.
    pub fn schedule(&self, policy: &Policy) -> Vec<ScheduleRow> {
        schedule::rows(&policy.schedule, &self.runs)
    }

    /// The earliest next run of any check that has run (none before the first run, or when
    /// every check is off).
    pub fn next_due(&self, policy: &Policy) -> Option<(Check, DateTime<Utc>)> {
        self.schedule(policy)
            .into_iter()
            .filter_map(|r| r.next_run.map(|n| (r.check, n)))
            .min_by_key(|(c, n)| (*n, *c))
    }
}

/// The blocks the inbox and the reports read (the reducer's state, lent block by block so
/// that this module does not depend on the reducer).
pub struct View<'a> {
    /// Block 21.
    pub ab: &'a ab::State,
    /// Block 21's policy.
    pub ab_policy: &'a ab::Policy,
    /// Block 22.
    pub promotion: &'a promotion::State,
    /// Block 25.
    pub outcomes: &'a outcomes::State,
    /// Block 26.
    pub models: &'a models::State,
    /// Block 28.
    pub gates: &'a gates::State,
    /// This block.
    pub monitoring: &'a State,
}

/// What the checks read from the other blocks.
pub struct Inputs<'a> {
    /// Block 25.
    pub outcomes: &'a outcomes::State,
    /// Block 25's policy.
    pub outcomes_policy: &'a outcomes::Policy,
    /// Block 26.
    pub models: &'a models::State,
    /// Block 21.
    pub ab: &'a ab::State,
    /// Block 21's policy.
    pub ab_policy: &'a ab::Policy,
    /// The command's log position (named by what it causes).
    pub position: u64,
    /// Ids the inbox holds (for `MarkRead`).
    pub notification_ids: BTreeSet<String>,
    /// Models with a running staged rollout, to the rollout's id: a response on such a
    /// model pauses the rollout (the candidate stops gaining traffic, the champion keeps
    /// serving the rest) instead of rolling the champion back.
    pub running_rollouts: BTreeMap<String, String>,
}

/// The events of a command, or why it is refused.
pub fn decide(
    state: &State,
    policy: &Policy,
    command: &Command,
    at: DateTime<Utc>,
    inputs: &Inputs,
) -> Result<Vec<Event>, Error> {
    match command {
        Command::RunDueChecks {} => {
            let due = schedule::due(&policy.schedule, &state.runs, at);
            if due.is_empty() {
                return Err(Error::NothingDue {
                    at,
                    next: state
                        .next_due(policy)
                        .map_or("never (every check is off)".into(), |(c, n)| {
                            format!("{n} ({})", c.name())
                        }),
                });
            }
            let caused_by = format!(
                "RunDueChecks at {} (log position {})",
                at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                inputs.position
            );
            let mut run = Run::new(state, policy, at, inputs, caused_by);
            for d in due {
                run.check(d.check, d.due_at, d.skipped);
            }
            Ok(run.events)
        }
        Command::RunCheck { check } => {
            let caused_by = format!(
                "RunCheck {} at {} (log position {})",
                check.name(),
                at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                inputs.position
            );
            let mut run = Run::new(state, policy, at, inputs, caused_by);
            run.check(*check, at, 0);
            Ok(run.events)
        }
        Command::MarkRead { notification_ids } => {
            if notification_ids.is_empty() {
                return Err(Error::NoNotifications);
            }
            let mut ids = BTreeSet::new();
            for id in notification_ids {
                let id = id.trim();
                if !inputs.notification_ids.contains(id) {
                    return Err(Error::UnknownNotification {
                        notification_id: id.to_string(),
                    });
                }
                if !state.read.contains(id) {
                    ids.insert(id.to_string());
                }
            }
            Ok(vec![Event::NotificationsRead {
                notification_ids: ids.into_iter().collect(),
                at,
            }])
        }
    }
}

/// One command's checks: the events so far and the ids they used.
struct Run<'a> {
    state: &'a State,
    policy: &'a Policy,
    at: DateTime<Utc>,
    inputs: &'a Inputs<'a>,
    caused_by: String,
    events: Vec<Event>,
    next_alert: usize,
    next_action: usize,
    /// Models rolled back by this command, with the action that did it.
    rolled_back: BTreeMap<String, String>,
}

impl<'a> Run<'a> {
    fn new(
        state: &'a State,
        policy: &'a Policy,
        at: DateTime<Utc>,
        inputs: &'a Inputs<'a>,
        caused_by: String,
    ) -> Self {
        Self {
            state,
            policy,
            at,
            inputs,
            caused_by,
            events: Vec::new(),
            next_alert: state.alerts.len() + 1,
            next_action: state.actions.len() + 1,
            rolled_back: BTreeMap::new(),
        }
    }

    fn check(&mut self, check: Check, due_at: DateTime<Utc>, skipped: u64) {
        self.events.push(Event::CheckRan {
            check,
            due_at,
            at: self.at,
            skipped,
        });
        match check {
            Check::Drift => self.drift(),
            Check::Thresholds => self.thresholds(),
            Check::AbEvaluation => {
                for report in self.inputs.ab.reports(self.inputs.ab_policy) {
                    self.events.push(Event::ExperimentEvaluated {
                        experiment: report.experiment,
                        winner: report.winner,
                        reason: report.reason,
                        at: self.at,
                    });
                }
            }
            Check::Health => self.report(ReportKind::Daily),
            Check::WeeklyReport => self.report(ReportKind::Weekly),
        }
    }

    fn report(&mut self, kind: ReportKind) {
        let n = self.state.reports.iter().filter(|r| r.kind == kind).count() + 1;
        self.events.push(Event::ReportDue {
            report: DueReport {
                report_id: format!("report-{}-{n}", kind.name()),
                kind,
                at: self.at,
            },
        });
    }

    /// Raises an alert for a condition that has none open; returns its id when raised.
    fn raise(&mut self, kind: AlertKind, key: String, fields: AlertFields) -> Option<String> {
        if self.state.open_alerts().any(|a| a.key == key) {
            return None;
        }
        let alert_id = format!("monitor-{}", self.next_alert);
        self.next_alert += 1;
        self.events.push(Event::AlertRaised {
            alert: Alert {
                alert_id: alert_id.clone(),
                kind,
                key,
                rule: fields.rule,
                series_id: fields.series_id,
                subject: fields.subject,
                values: fields.values,
                message: fields.message,
                caused_by: self.caused_by.clone(),
                raised_at: self.at,
                resolved_at: None,
            },
        });
        Some(alert_id)
    }

    /// Clears the open alerts of `kind` whose condition is not in `holding`.
    fn clear_except(&mut self, kind: AlertKind, holding: &BTreeSet<String>) {
        let cleared: Vec<String> = self
            .state
            .open_alerts()
            .filter(|a| a.kind == kind && !holding.contains(&a.key))
            .map(|a| a.alert_id.clone())
            .collect();
        for alert_id in cleared {
            self.events.push(Event::AlertCleared {
                alert_id,
                at: self.at,
            });
        }
    }

    fn drift(&mut self) {
        let models = self.inputs.models;
        let found = responses::findings(
            self.policy,
            self.inputs.outcomes,
            self.inputs.outcomes_policy,
            |m| models.model(m).is_some(),
        )
        .into_iter()
        .map(|mut f| {
            if self.inputs.running_rollouts.contains_key(&f.model_id) {
                f.effect = Effect::PauseRollout {
                    model_id: f.model_id.clone(),
                };
            }
            f
        })
        .collect::<Vec<_>>();
        let holding: BTreeSet<String> = found.iter().map(|f| f.key.clone()).collect();
        for f in found {
            let fields = AlertFields {
                rule: f.rule.to_string(),
                series_id: f.series_id.clone(),
                subject: Some(f.model_id.clone()),
                values: f.values.clone(),
                message: f.message.clone(),
            };
            let Some(alert_id) = self.raise(AlertKind::Response, f.key, fields) else {
                continue;
            };
            let action_id = format!("action-{}", self.next_action);
            self.next_action += 1;
            let failed = self.cannot_carry_out(&f.effect, &action_id);
            self.events.push(Event::ResponseTaken {
                action: Action {
                    action_id,
                    rule: f.rule.to_string(),
                    alert_id,
                    model_id: f.model_id,
                    series_id: f.series_id,
                    effect: f.effect,
                    values: f.values,
                    message: f.message,
                    caused_by: self.caused_by.clone(),
                    at: self.at,
                    failed,
                },
            });
        }
        self.clear_except(AlertKind::Response, &holding);
    }

    /// Why `effect` cannot be carried out now (the models block's rollback needs a champion
    /// and a previous one; a model is rolled back at most once per command), or none.
    fn cannot_carry_out(&mut self, effect: &Effect, action_id: &str) -> Option<String> {
        let Effect::RollBack { model_id } = effect else {
            return None;
        };
        if let Some(earlier) = self.rolled_back.get(model_id) {
            return Some(format!(
                "model {model_id} is already rolled back by {earlier} in this run"
            ));
        }
        let models = self.inputs.models;
        if models.champion(model_id).is_none() {
            return Some(format!("model {model_id} has no champion to roll back"));
        }
        if models.rollback_target(model_id).is_none() {
            return Some(format!(
                "model {model_id} has no previous champion to roll back to"
            ));
        }
        self.rolled_back
            .insert(model_id.clone(), action_id.to_string());
        None
    }

    fn thresholds(&mut self) {
        let mut holding = BTreeSet::new();
        for t in &self.policy.thresholds {
            for (series_id, series) in &self.inputs.outcomes.series {
                let Some(b) = t.breach(series_id, series, self.at) else {
                    continue;
                };
                let key = format!("threshold/{}/{}", b.rule, b.series_id);
                holding.insert(key.clone());
                let fields = AlertFields {
                    rule: b.rule.clone(),
                    series_id: b.series_id.clone(),
                    subject: b.subject.clone(),
                    values: vec![
                        RuleValue {
                            name: b.statistic.name().into(),
                            value: b.value,
                        },
                        RuleValue {
                            name: if b.above { "max" } else { "min" }.into(),
                            value: b.limit,
                        },
                        RuleValue {
                            name: "samples".into(),
                            value: b.samples as f64,
                        },
                    ],
                    message: b.message(),
                };
                self.raise(AlertKind::Threshold, key, fields);
            }
        }
        self.clear_except(AlertKind::Threshold, &holding);
    }
}

/// An alert's fields a rule fills.
struct AlertFields {
    rule: String,
    series_id: String,
    subject: Option<String>,
    values: Vec<RuleValue>,
    message: String,
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::RunDueChecks {} => "monitoring".into(),
            Command::RunCheck { check } => format!("monitoring/{}", check.name()),
            Command::MarkRead { .. } => "monitoring/inbox".into(),
        }
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::MarkRead { .. } => Kind::Command,
            _ => Kind::ModelUpdate,
        }
    }
}

impl BlockEvent for Event {
    fn detail(&self) -> Option<String> {
        match self {
            Event::CheckRan { check, skipped, .. } if *skipped > 0 => {
                Some(format!("{} ran (skipped {skipped} due runs)", check.name()))
            }
            Event::CheckRan { check, .. } => Some(format!("{} ran", check.name())),
            Event::AlertRaised { alert } => Some(format!(
                "{} raised by rule {}: {}",
                alert.alert_id, alert.rule, alert.message
            )),
            Event::AlertCleared { alert_id, .. } => Some(format!("{alert_id} cleared")),
            Event::ResponseTaken { action } => Some(format!(
                "{} by rule {}: {}{} ({})",
                action.action_id,
                action.rule,
                effect_words(&action.effect),
                action
                    .failed
                    .as_ref()
                    .map_or(String::new(), |why| format!(" not possible: {why}")),
                values_words(&action.values)
            )),
            Event::ExperimentEvaluated { .. } | Event::ReportDue { .. } => None,
            Event::NotificationsRead {
                notification_ids, ..
            } => Some(format!("{} read", notification_ids.join(", "))),
        }
    }

    fn decision(&self) -> Option<Decision> {
        match self {
            Event::ResponseTaken { action } => Some(Decision::new(
                Kind::Response,
                format!("model/{}", action.model_id),
                Outcome::Status(match (&action.effect, &action.failed) {
                    (_, Some(_)) => "rollback not possible",
                    (Effect::RollBack { .. }, None) => "rolled back",
                    (Effect::PauseRollout { .. }, None) => "rollout paused",
                }),
                format!("rule {}: {}", action.rule, action.message),
            )),
            Event::CheckRan { .. } => Some(Decision::new(
                Kind::ModelUpdate,
                "monitoring".into(),
                Outcome::Unchanged,
                "",
            )),
            _ => None,
        }
    }
}

/// An effect in words.
pub fn effect_words(effect: &Effect) -> String {
    match effect {
        Effect::RollBack { model_id } => format!("roll back model {model_id}"),
        Effect::PauseRollout { model_id } => format!("pause the rollout of model {model_id}"),
    }
}

/// Values in words: `drop=0.4, limit=0.3`.
pub fn values_words(values: &[RuleValue]) -> String {
    values
        .iter()
        .map(|v| format!("{}={}", v.name, thresholds::round(v.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
