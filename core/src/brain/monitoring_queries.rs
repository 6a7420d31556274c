//! The monitoring queries on `Brain` (the schedule, the inbox, the live alerts, the reports)
//! and `run_due_checks`, the call the console's timer and JS apps make. Here, not in the
//! monitoring block, because they read the whole state (the block only sees the parts lent
//! to it, so it does not depend on the reducer).

use super::{Brain, BrainState, Envelope, Event};
use crate::error::BrainError;
use crate::monitoring::inbox::{self, LiveAlert, Notification};
use crate::monitoring::reports::{self, Report, Verification};
use crate::monitoring::{self, Check, Command, ReportKind, ScheduleRow, View};
use chrono::{DateTime, Utc};

impl BrainState {
    /// The blocks the monitoring inbox and reports read.
    pub fn monitoring_view(&self) -> View<'_> {
        View {
            ab: &self.ab,
            ab_policy: &self.policy.ab,
            promotion: &self.promotion,
            outcomes: &self.outcomes,
            models: &self.models,
            gates: &self.gates,
            monitoring: &self.monitoring,
        }
    }
}

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
            command: super::Command::Monitoring(Command::RunDueChecks {}),
        };
        match self.execute(env) {
            Err(BrainError::Monitoring(monitoring::Error::NothingDue { .. })) => Ok(Vec::new()),
            other => other,
        }
    }

    /// The inbox at or after `since` (all without), oldest first.
    pub fn notifications(&self, since: Option<DateTime<Utc>>) -> Vec<Notification> {
        inbox::notifications(&self.state().monitoring_view(), since)
    }

    /// Notifications not yet read.
    pub fn unread_count(&self) -> usize {
        self.notifications(None).iter().filter(|n| !n.read).count()
    }

    /// Every alert open now (outcomes, monitoring, gate BLOCKs).
    pub fn live_alerts(&self) -> Vec<LiveAlert> {
        inbox::live_alerts(&self.state().monitoring_view())
    }

    /// The report of `kind` for the period ending at `at`, from the state and its
    /// verification.
    pub fn report(&self, kind: ReportKind, at: DateTime<Utc>) -> Report {
        let verified = self.verify();
        // Named through its fields, not its types: the verification module depends on the
        // reducer, not the other way round.
        let verification = Verification {
            status: format!("{:?}", verified.status).to_lowercase(),
            problems: verified
                .checks
                .iter()
                .filter(|c| format!("{:?}", c.status) != "Pass")
                .map(|c| format!("{}: {}", c.name, c.details))
                .collect(),
        };
        reports::build(&self.state().monitoring_view(), kind, at, verification)
    }
}
