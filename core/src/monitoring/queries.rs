//! The monitoring queries on `Brain` (the schedule, the inbox, the live alerts, the reports)
//! and `run_due_checks`, the call the console's timer and JS apps make: kept beside the
//! block so that the reducer's query file stays about the other blocks.

use super::inbox::{self, LiveAlert, Notification};
use super::reports::{self, Report};
use super::{Check, Command, ReportKind, ScheduleRow};
use crate::brain::{Brain, Envelope, Event};
use crate::error::BrainError;
use chrono::{DateTime, Utc};

impl Brain {
    /// Each check's cadence, last and next run.
    pub fn schedule(&self) -> Vec<ScheduleRow> {
        self.state().monitoring.schedule(&self.policy().monitoring)
    }

    /// The check that falls due next and when (none before the first run).
    pub fn next_due_check(&self) -> Option<(Check, DateTime<Utc>)> {
        self.state().monitoring.next_due(&self.policy().monitoring)
    }

    /// Runs every check due at `at` as the command `RunDueChecks` by `actor`; nothing due is
    /// not an error here (the console's timer and JS apps call this often): no events, the
    /// state unchanged.
    pub fn run_due_checks(
        &mut self,
        at: DateTime<Utc>,
        actor: Option<&str>,
    ) -> Result<Vec<Event>, BrainError> {
        let env = Envelope {
            at,
            actor: actor.map(String::from),
            command: crate::brain::Command::Monitoring(Command::RunDueChecks {}),
        };
        match self.execute(env) {
            Err(BrainError::Monitoring(super::Error::NothingDue { .. })) => Ok(Vec::new()),
            other => other,
        }
    }

    /// The inbox at or after `since` (all without), oldest first.
    pub fn notifications(&self, since: Option<DateTime<Utc>>) -> Vec<Notification> {
        inbox::notifications(self.state(), since)
    }

    /// Notifications not yet read.
    pub fn unread_count(&self) -> usize {
        self.notifications(None).iter().filter(|n| !n.read).count()
    }

    /// Every alert open now (outcomes, monitoring, gate BLOCKs).
    pub fn live_alerts(&self) -> Vec<LiveAlert> {
        inbox::live_alerts(self.state())
    }

    /// The report of `kind` for the period ending at `at`, from the state and its
    /// verification.
    pub fn report(&self, kind: ReportKind, at: DateTime<Utc>) -> Report {
        reports::build(self.state(), kind, at, &self.verify())
    }
}
