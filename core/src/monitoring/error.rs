//! What was wrong with a monitoring command or policy, one variant per refusal, each with a
//! stable code for the console and the JS API.

use chrono::{DateTime, Utc};

/// What was wrong with a command or a policy.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// `RunDueChecks` when no check is due (the console sends it on a timer: nothing to do).
    #[error("no check is due at {at}; the next falls due at {next}")]
    NothingDue {
        /// The command's time.
        at: DateTime<Utc>,
        /// When the next check falls due, in words ("never" when every check is off).
        next: String,
    },
    /// `MarkRead` without ids.
    #[error("name at least one notification to mark read")]
    NoNotifications,
    /// `MarkRead` of an id the inbox does not hold.
    #[error("notification {notification_id} is not in the inbox")]
    UnknownNotification {
        /// The id.
        notification_id: String,
    },
    /// A cadence beyond a year.
    #[error("schedule.{check} ({minutes} minutes) must be within [0, 527040] (0 turns it off)")]
    CadenceOutOfRange {
        /// The check.
        check: &'static str,
        /// The cadence given.
        minutes: u32,
    },
    /// A critical factor out of range.
    #[error("critical_factor ({value}) must be a number within (0, 1000]")]
    FactorOutOfRange {
        /// The value.
        value: f64,
    },
    /// A major drift PSI out of range.
    #[error("major_drift_psi ({value}) must be a finite number above 0")]
    PsiOutOfRange {
        /// The value.
        value: f64,
    },
    /// Too many thresholds.
    #[error("thresholds holds {count} rules; at most 100 are allowed")]
    TooManyThresholds {
        /// How many.
        count: usize,
    },
    /// Two thresholds with one name.
    #[error("threshold rule {rule} is named twice; rule names must be unique")]
    DuplicateRule {
        /// The name.
        rule: String,
    },
    /// A threshold that does not validate.
    #[error("threshold {rule}: {reason}")]
    ThresholdInvalid {
        /// The rule.
        rule: String,
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NothingDue { .. } => "nothing_due",
            Error::NoNotifications => "no_notifications",
            Error::UnknownNotification { .. } => "unknown_notification",
            Error::CadenceOutOfRange { .. } => "cadence_out_of_range",
            Error::FactorOutOfRange { .. } => "critical_factor_out_of_range",
            Error::PsiOutOfRange { .. } => "major_drift_psi_out_of_range",
            Error::TooManyThresholds { .. } => "too_many_thresholds",
            Error::DuplicateRule { .. } => "duplicate_threshold_rule",
            Error::ThresholdInvalid { .. } => "threshold_invalid",
        }
    }
}
